import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GroupSecret, parseGroupInviteLink, utf8 } from '../../core/index.js';
import { openGroupEnvelope } from '../../core/client/groups/groupCodec.js';
import { LevelRelayStore, STORE_FOLDER } from '../../server/index.js';
import {
  GroupTestClients,
  epochSecretsFromVault,
  filesBelow,
  groupKeysOf,
  messageIdOf,
  textsOf,
} from './groupHelpers.js';
import { TempDirs, startTestRelay, waitFor } from './helpers.js';

const dirs = new TempDirs();
let clients: GroupTestClients | undefined;

afterAll(async () => {
  await clients?.closeAll();
  await dirs.cleanup();
});

/** Every way the bytes could sit in a file: raw, UTF-16, hex, and base64 at each alignment. */
function encodings(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes);
  const forms = [buffer.toString('latin1'), buffer.toString('hex')];
  if (isText(bytes)) forms.push(Buffer.from(buffer.toString('utf8'), 'utf16le').toString('latin1'));
  for (let offset = 0; offset < 3; offset++) {
    // A run of whole 3-byte groups encodes to the same base64 wherever it sits in a larger blob.
    const aligned = buffer.subarray(offset, offset + Math.floor((buffer.length - offset) / 3) * 3);
    if (aligned.length >= 9) forms.push(aligned.toString('base64'), aligned.toString('base64url'));
  }
  return forms;
}

function isText(bytes: Uint8Array): boolean {
  return bytes.every((byte) => byte >= 0x20 && byte < 0x7f);
}

/** Labels of the secrets found in any file below `dir` (in any of their encodings). */
async function secretsFoundBelow(
  dir: string,
  secrets: ReadonlyMap<string, Uint8Array>,
): Promise<{ found: string[]; files: number; bytes: number; contents: string[] }> {
  const found: string[] = [];
  const contents: string[] = [];
  let bytes = 0;
  const files = await filesBelow(dir);
  for (const file of files) {
    const content = (await readFile(file)).toString('latin1');
    contents.push(content);
    bytes += content.length;
    for (const [label, secret] of secrets) {
      if (encodings(secret).some((form) => content.includes(form))) {
        found.push(`${label} in ${path.relative(dir, file)}`);
      }
    }
  }
  return { found, files: files.length, bytes, contents };
}

describe('what the relay keeps on disk about a group', () => {
  it('holds no group info, topic, scheduled chat, resource, pseudonym, message text, reason or key the members share', async () => {
    const relay = await startTestRelay(dirs);
    const pool = new GroupTestClients(dirs, relay.url);
    clients = pool;
    const secrets = new Map<string, Uint8Array>();
    const say = (label: string, text: string): string => {
      secrets.set(label, utf8(text));
      return text;
    };

    const owner = await pool.add(say('owner pseudonym', 'Ottoline Marrowbright-Quince'));
    const mod = await pool.add(say('moderator pseudonym', 'Peregrine Wimbleshank-Ode'));
    const ana = await pool.add(say('member pseudonym', 'Anastasia Thistlewood-Vane'));
    const bo = await pool.add('Bo');
    const cy = await pool.add('Cy');
    const group = await owner.createGroup({
      name: say('group name', 'Fibrodysplasia-Ossificans-Circle-7731'),
      description: say('description', 'Peer support for FOP-Zanzibar-Quokka families'),
      rules: say('rules', 'Rule-Marzipan-Obelisk: no dosing advice, ever'),
    });
    const link = await group.invite({ maxUses: 10, expiresAt: Date.now() + 3_600_000 });
    const linkData = parseGroupInviteLink(link);
    const keys = groupKeysOf(link);
    secrets.set('invite secret', GroupSecret.forInvite(linkData.invitePrivateKey).bytes);
    secrets.set('log key', keys.secret.logKey());
    secrets.set('invite private key', linkData.invitePrivateKey);

    const modGroup = await mod.joinGroup(link);
    const anaGroup = await ana.joinGroup(link);
    const boGroup = await bo.joinGroup(link, {
      pseudonym: say('chosen group pseudonym', 'Bartholomew-in-Disguise-5150'),
    });
    const cyGroup = await cy.joinGroup(link);
    for (const [label, handle, client] of [
      ['owner', group, owner],
      ['moderator', modGroup, mod],
      ['ana', anaGroup, ana],
      ['bo', boGroup, bo],
      ['cy', cyGroup, cy],
    ] as const) {
      secrets.set(`${label} group profile key`, client.session(handle.persona).whoami().profileKey);
    }
    await group.promote(modGroup.persona, say('promote reason', 'Reason-Trustworthy-Lanternfish'));
    await waitFor(async () => (await cyGroup.members()).length === 5, 10_000, 'cy sees everyone');

    const texts = [
      say('text 1', 'Methotrexate-Wednesday-Pangolin-2291 made my flare worse'),
      say('text 2', 'Dr Quenby-Halloway-Abernathy at St Ives clinic'),
      say('text 3', 'Diagnosis-Erdheim-Chester-Nebula-4471 confirmed today'),
    ];
    await anaGroup.send(texts[0] ?? '');
    await boGroup.send(texts[1] ?? '');
    await anaGroup.send(texts[2] ?? '');
    await Promise.all([ana.flushOutbox(10_000), bo.flushOutbox(10_000)]);
    await waitFor(async () => (await textsOf(modGroup)).length === 3, 10_000, 'the moderator');

    const harmful = await messageIdOf(modGroup, texts[1] ?? '');
    await modGroup.pin(
      await messageIdOf(modGroup, texts[0] ?? ''),
      say('pin reason', 'Reason-Pinned-Because-Helpful-Axolotl'),
    );
    await modGroup.deleteMessage(harmful, say('delete reason', 'Reason-Doxxing-Clinician-Kestrel'));
    await modGroup.setInfo({ name: say('new group name', 'Renamed-Circle-Wolverine-8080') });
    // Topics, scheduled chats and pinned resources are sealed with the info: none of their words.
    const topic = await group.createTopic(say('topic name', 'Topic-Spirituality-Heron-3317'));
    await group.renameTopic(topic, say('topic new name', 'Topic-Grief-Renamed-Tapir-4420'));
    await group.schedules.create({
      title: say('scheduled chat title', 'Chat-Thursday-Checkin-Gannet-5521'),
      startsAt: Date.now() + 3_600_000,
      durationMinutes: 60,
      occurrences: 2,
      prompts: [{ offsetMinutes: 0, text: say('prompt', 'Prompt-How-Was-Your-Week-Okapi-6632') }],
    });
    await group.setResources([
      {
        name: say('resource name', 'Resource-Lupus-Nurse-Line-Quail-7743'),
        reach: 'web',
        address: say('resource address', 'https://resource-address-lemur.example.org/help'),
        note: say('resource note', 'Resource-Note-Weekdays-Marmot-8854'),
      },
    ]);
    await group.mute(
      anaGroup.persona,
      Date.now() + 60_000,
      say('mute reason', 'Reason-Cooling-Off-Period-Narwhal'),
    );
    await anaGroup.report(harmful, say('report reason', 'Reason-Report-Harassment-Platypus'));
    await ana.flushOutbox(10_000);
    await waitFor(async () => (await group.reports()).length === 1, 10_000, 'the report');
    await group.remove(boGroup.persona, say('remove reason', 'Reason-Removed-Repeat-Offence-Ibis'));

    // Cy goes offline and misses the last messages, so the relay still holds them at the scan.
    await pool.close(cy);
    await modGroup.send(say('unread 1', 'Unread-Pomegranate-Umbrella-Sonnet-8812'));
    await group.send(say('unread 2', 'Unread-Gooseberry-Trombone-Haiku-6603'));
    await Promise.all([mod.flushOutbox(10_000), owner.flushOutbox(10_000)]);
    await waitFor(
      async () => (await textsOf(anaGroup)).includes('Unread-Gooseberry-Trombone-Haiku-6603'),
      10_000,
      'ana reads the last message',
    );
    await pool.closeAll();
    await relay.close();
    // Every epoch's secret (the removal started a second): never on the relay's disk either.
    const epochs = await epochSecretsFromVault(pool.home(owner), group.persona, keys.groupId);
    expect(epochs.length).toBe(2);
    epochs.forEach((secret, epoch) => secrets.set(`epoch ${epoch} secret`, secret.bytes));
    epochs.forEach((secret, epoch) => secrets.set(`epoch ${epoch} log key`, secret.logKey()));

    const atRelay = await secretsFoundBelow(relay.dataDir, secrets);
    expect(atRelay.found).toStrictEqual([]);
    expect(atRelay.bytes).toBeGreaterThan(1000);
    // Positive controls: the relay does store members' addresses, and the scan can see them; and
    // it still holds the messages Cy has not read, sealed so only members can open them.
    expect(atRelay.contents.some((content) => content.includes(anaGroup.persona))).toBe(true);
    const store = await LevelRelayStore.open(path.join(relay.dataDir, STORE_FOLDER));
    const senders: string[] = [];
    try {
      const unread = await store.readMemberEntries(keys.groupId, cyGroup.persona, undefined, 100);
      for (const entry of unread?.entries ?? []) {
        if (entry.kind !== 'message') continue;
        const latest = epochs.at(-1);
        if (latest === undefined) throw new Error('no epoch secret');
        senders.push((await openGroupEnvelope(latest, keys.groupId, entry.bytes)).sender);
      }
    } finally {
      await store.close();
    }
    // Two members wrote them at once: the relay's order between the two is either.
    expect([...senders].sort()).toStrictEqual([modGroup.persona, group.persona].sort());

    for (const client of [owner, mod, ana, bo, cy]) {
      const home = pool.home(client);
      const inVault = await secretsFoundBelow(home, secrets);
      expect(inVault.found, home).toStrictEqual([]);
      expect(inVault.files).toBeGreaterThan(1);
    }
  }, 60_000);
});
