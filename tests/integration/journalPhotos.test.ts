// Issue 13: a journal update's photo is uploaded ONCE for all its followers (docs/journal.md),
// against a real relay on loopback with real LevelDB vaults. The relay's blob folder shows one
// blob granted for three downloads; each follower downloads and decrypts the same bytes; the
// author's one kept copy outlives the removal of two followers' messages and goes with the last.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { FeedUpdate } from '../../core/client/index.js';
import { ATTACHMENTS_FOLDER, KindredClient, toHex } from '../../core/client/index.js';
import { fromHex } from '../../core/bytes/bytes.js';
import { fetchesFor } from '../../core/client/journal/Journals.js';
import type { RunningRelay } from '../../server/index.js';
import {
  PASSPHRASE,
  TEST_CLIENT_OPTIONS,
  TempDirs,
  newClient,
  startTestRelay,
  waitFor,
} from './helpers.js';

const dirs = new TempDirs();
let relay: RunningRelay & { dataDir: string };
const open = new Set<KindredClient>();
let author: KindredClient;
let authorHome: string;
let files: string;
/** The three followers' vaults (closed until the update is posted, so none downloads early). */
const followers: { name: string; home: string; persona: string }[] = [];

async function started(made: KindredClient): Promise<KindredClient> {
  open.add(made);
  await made.start({ receive: true });
  return made;
}

/** The relay's stored blobs: id → its record (FileBlobStore keeps `<id>.json` beside the bytes). */
async function relayBlobs(): Promise<Map<string, { expectedFetches: number; fetches: number }>> {
  const folder = join(relay.dataDir, 'blobs');
  const found = new Map<string, { expectedFetches: number; fetches: number }>();
  for (const name of await readdir(folder).catch(() => [] as string[])) {
    if (!name.endsWith('.json')) continue;
    const record = JSON.parse(await readFile(join(folder, name), 'utf8')) as {
      expectedFetches: number;
      fetches: number;
    };
    found.set(name.slice(0, -'.json'.length), record);
  }
  return found;
}

async function keptFiles(): Promise<string[]> {
  return (await readdir(join(authorHome, ATTACHMENTS_FOLDER)).catch(() => [] as string[])).filter(
    (name) => /^[0-9a-f]{32}$/.test(name),
  );
}

beforeAll(async () => {
  relay = await startTestRelay(dirs);
  files = await dirs.make('files');
  authorHome = await dirs.make('author');
  author = await started(await newClient(dirs, relay.url, 'Patient Pat', { home: authorHome }));
  await author.journals.create({ title: 'Pat’s photo diary' });
  const { link } = await author.journals.createLink({ maxUses: 3, expiresAt: 0 });
  for (const name of ['Aurelio Frond', 'Bettina Quill', 'Casimir Vane']) {
    const home = await dirs.make('follower');
    const made = await started(await newClient(dirs, relay.url, `${name} main`, { home }));
    const followed = await made.journals.follow(link, { pseudonym: name });
    await made.flushOutbox(10_000);
    open.delete(made);
    await made.close();
    followers.push({ name, home, persona: followed.persona });
  }
  await waitFor(
    async () => (await author.journals.followers()).length === 3,
    20_000,
    'three followers',
  );
}, 120_000);

afterAll(async () => {
  await Promise.all([...open].map((made) => made.close()));
  await relay.close();
  await dirs.cleanup();
});

describe('a journal update with a photo to three followers', () => {
  it('is uploaded once, and each follower downloads and decrypts the same bytes', async () => {
    const photo = join(files, 'ward.jpg');
    await sharp(randomBytes(120 * 80 * 3), { raw: { width: 120, height: 80, channels: 3 } })
      .jpeg()
      .toFile(photo);
    const before = await relayBlobs();
    const posted = await author.journals.post('The view from the ward.', {
      attachments: [photo],
    });
    expect(posted).toMatchObject({ attachments: 1, sentTo: 3 });
    // ONE blob on the relay for the three followers, granted for three downloads rounded up to a
    // power of two (a follower probing by fetching learns the audience only within a factor of
    // two). No follower is running yet, so none of it has been fetched.
    const added = [...(await relayBlobs())].filter(([id]) => !before.has(id));
    expect(added).toHaveLength(1);
    const [[blobId, record] = ['', { expectedFetches: 0, fetches: 0 }]] = added;
    expect(record).toMatchObject({ expectedFetches: 4, fetches: 0 });
    // ONE kept copy on the author's side, named by the three messages.
    expect(await keptFiles()).toHaveLength(1);

    const saved: Buffer[] = [];
    for (const follower of followers) {
      const made = await started(
        await KindredClient.open({
          home: follower.home,
          passphrase: PASSPHRASE,
          ...TEST_CLIENT_OPTIONS,
        }),
      );
      let update: FeedUpdate | undefined;
      await waitFor(
        async () => {
          update = (await made.journals.feed()).find((u) => u.text === 'The view from the ward.');
          return update?.attachments[0]?.state === 'downloaded';
        },
        30_000,
        `${follower.name}’s photo`,
      );
      const attachment = update?.attachments[0];
      expect(toHex(attachment?.pointer.blobId ?? new Uint8Array())).toBe(blobId);
      const out = join(files, `${follower.name}.jpg`);
      await made.session(follower.persona).saveAttachment(
        {
          contact: update?.journal ?? '',
          messageId: fromHex(update?.updateId ?? '') ?? new Uint8Array(),
        },
        0,
        out,
      );
      saved.push(await readFile(out));
    }
    const [first, ...others] = saved;
    expect(first?.length).toBeGreaterThan(0);
    for (const other of others) expect(other.equals(first ?? Buffer.alloc(0))).toBe(true);
    // Fetched three times, once by each: one more (a fourth follower's worth) before the relay
    // deletes it, else its expiry.
    await waitFor(
      async () => (await relayBlobs()).get(blobId)?.fetches === 3,
      10_000,
      'three whole downloads counted',
    );
  }, 120_000);

  it('grants a photo for the followers rounded up to a power of two, never past a relay’s default limit', () => {
    expect([1, 2, 3, 4, 5, 9, 100, 512, 513, 1000, 1001].map(fetchesFor)).toStrictEqual([
      1, 2, 4, 4, 8, 16, 128, 512, 1000, 1000, 1001,
    ]);
  });

  it('keeps the one kept copy while any follower’s message names it; the last removal removes it', async () => {
    const [kept] = await keptFiles();
    if (kept === undefined) throw new Error('no kept copy');
    const journal = author.session((await author.journals.mine()).address);
    const [update] = await author.journals.updates();
    expect(update?.attachments).toBe(1);
    const [aurelio, bettina, casimir] = followers;
    if (aurelio === undefined || bettina === undefined || casimir === undefined) throw new Error();

    // A removed follower's conversation leaves the vault: the file stays for the two others.
    await author.journals.removeFollower(aurelio.name);
    expect(await keptFiles()).toEqual([kept]);
    const out = join(files, 'author-copy.jpg');
    const bettinaMessage = (await journal.direct.messages(bettina.persona)).find(
      (m) => m.kind === 'message' && m.attachments?.length === 1,
    );
    if (bettinaMessage?.kind !== 'message') throw new Error('no message to Bettina');
    await journal.saveAttachment(
      { contact: bettina.persona, messageId: bettinaMessage.messageId },
      0,
      out,
    );
    expect((await stat(out)).size).toBeGreaterThan(0);

    // The author deletes Bettina's copy for everyone: Casimir's still names the file.
    await journal.direct.deleteForEveryone(bettina.persona, bettinaMessage.messageId);
    expect(await keptFiles()).toEqual([kept]);

    // The last follower holding it goes: so does the file.
    await author.journals.removeFollower(casimir.name);
    expect(await keptFiles()).toEqual([]);
  });
});
