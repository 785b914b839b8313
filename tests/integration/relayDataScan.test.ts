import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { KindredClient } from '../../core/client/index.js';
import { utf8 } from '../../core/client/index.js';
import {
  TempDirs,
  connectPair,
  messagesOf,
  newClient,
  startTestRelay,
  waitFor,
} from './helpers.js';

const dirs = new TempDirs();
const clients: KindredClient[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await dirs.cleanup();
});

async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesBelow(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Every way the bytes could sit in a file: raw, UTF-16, hex, and base64 at each alignment. */
function encodings(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes);
  const forms = [buffer.toString('latin1'), buffer.toString('hex')];
  if (isText(bytes)) forms.push(Buffer.from(buffer.toString('utf8'), 'utf16le').toString('latin1'));
  for (let offset = 0; offset < 3; offset++) {
    // A run of whole 3-byte groups encodes to the same base64 wherever it sits in a larger blob.
    const aligned = buffer.subarray(offset, offset + Math.floor((buffer.length - offset) / 3) * 3);
    if (aligned.length >= 9) {
      forms.push(aligned.toString('base64'), aligned.toString('base64url'));
    }
  }
  return forms;
}

function isText(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte >= 0x20 && byte < 0x7f);
}

describe('what the relay keeps on disk', () => {
  it('holds no pseudonym, message text, alias or profile key', async () => {
    const relay = await startTestRelay(dirs);
    const secrets = new Map<string, Uint8Array>();
    const say = (label: string, text: string): string => {
      secrets.set(label, utf8(text));
      return text;
    };
    const fern = await newClient(dirs, relay.url, say('pseudonym 1', 'Zephyrine Quillfeather'));
    const oak = await newClient(dirs, relay.url, say('pseudonym 2', 'Bartholomew Vexwinkle'));
    clients.push(fern, oak);
    secrets.set('profile key 1', fern.whoami().profileKey);
    secrets.set('profile key 2', oak.whoami().profileKey);
    await fern.start({ receive: true });
    await oak.start({ receive: true });
    await connectPair(fern, oak, { aliasForA: say('alias', 'MyDearestOakfriend') });

    const texts = [
      'Methotrexate-tuesday-Xylophone-4417 made me queasy',
      'My rheumatologist Dr Quenby-Halloway suggested folic acid',
      'Diagnosis: Erdheim-Chester, confirmed on the 9th of Brumaire',
    ];
    for (const [i, text] of texts.entries()) {
      await oak.send('MyDearestOakfriend', say(`text ${i}`, text));
      await fern.send(oak.address, say(`reply ${i}`, `Re: ${text} (hugs from Zephyrine)`));
    }
    await Promise.all([fern.flushOutbox(10_000), oak.flushOutbox(10_000)]);
    // Leave one message unread in a mailbox so the scan also sees a stored envelope.
    await oak.close();
    await fern.send(oak.address, say('unread', 'Unread-Pomegranate-Umbrella-Sonnet-8812'));
    await fern.flushOutbox(10_000);
    await waitFor(
      async () => messagesOf(await fern.messages(oak.address)).length === 2 * texts.length + 1,
      10_000,
      'the conversation',
    );
    await relay.close();

    const files = await filesBelow(relay.dataDir);
    expect(files.length).toBeGreaterThan(0);
    let scanned = 0;
    let addressSeen = false;
    for (const file of files) {
      const content = (await readFile(file)).toString('latin1');
      scanned += content.length;
      // Positive control: the relay does store addresses, and the scan must be able to see them.
      if (content.includes(oak.address)) addressSeen = true;
      for (const [label, secret] of secrets) {
        for (const form of encodings(secret)) {
          expect(content.includes(form), `${label} found in ${path.basename(file)}`).toBe(false);
        }
      }
    }
    expect(scanned).toBeGreaterThan(1000);
    expect(addressSeen).toBe(true);
  });
});
