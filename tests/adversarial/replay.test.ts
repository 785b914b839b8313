import {
  CiphertextMessageType,
  SenderKeyMessage,
  sealedSenderDecryptToUsmc,
} from '@signalapp/libsignal-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupHandle, KindredClient, KindredClientEmits } from '../../core/client/index.js';
import {
  MemoryKeyValueStore,
  PersonaCipher,
  bytesEqual,
  parseContactInviteLink,
  RelayErrorCode,
  decodeGroupOperation,
  fromHex,
  groupEnvelopeEpoch,
  openGroupEnvelope,
  toHex,
} from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import {
  GroupTestClients,
  epochSecretsFromVault,
  messageIdOf,
  personaFromVault,
  textsOf,
} from '../integration/groupHelpers.js';
import { TempDirs, messagesOf, startTestRelay, waitFor } from '../integration/helpers.js';
import type { CapturedEnvelope, CapturedOperation, CapturedPost } from './MaliciousRelay.js';
import { MaliciousRelay } from './MaliciousRelay.js';

/**
 * Every ciphertext a real run produces, captured at a relay that lies, then injected again in
 * four ways: through the relay at once, pushed straight into live connections, while the
 * recipients are offline (they get it on reconnect), and interleaved with new traffic. Nothing
 * may be accepted twice: histories, group logs, reports and reactions stay as they were, and no
 * event fires for a replay.
 */

const dirs = new TempDirs();
let relay: RunningRelay;
let evil: MaliciousRelay;
let people: GroupTestClients;

/** The cast, replaced by new objects when reopened. */
let cast: { ada: KindredClient; ben: KindredClient; olive: KindredClient };
let groupHex = '';
let groupId = new Uint8Array(0);
/** Group personas: the owner's, and every member's that stays. */
let olivePersona = '';
let members: string[] = [];
/** Personas of the member removed during the run (its client is closed). */
let removed: string[] = [];

/** Events that would show a replay as new: counted over every client, opened and reopened. */
const WATCHED = [
  'message',
  'reaction',
  'gap',
  'contactAdded',
  'identityMismatch',
  'dropped',
  'error',
  'groupMessage',
  'groupReaction',
  'groupOperation',
  'groupWarning',
  'groupReport',
] as const satisfies readonly (keyof KindredClientEmits)[];
type Watched = (typeof WATCHED)[number];
const events = new Map<Watched, number>(WATCHED.map((name) => [name, 0]));

function watch(client: KindredClient): KindredClient {
  for (const name of WATCHED) {
    client.on(name, () => {
      events.set(name, (events.get(name) ?? 0) + 1);
    });
  }
  return client;
}

function eventCounts(): Record<string, number> {
  return Object.fromEntries(events);
}

function everyone(): KindredClient[] {
  return [cast.ada, cast.ben, cast.olive];
}

async function groupOf(client: KindredClient): Promise<GroupHandle> {
  return client.group(groupHex);
}

/** Everything a person could see: every conversation, and every group's state, log and queues. */
async function snapshot(): Promise<unknown> {
  const seen: Record<string, unknown> = {};
  for (const client of everyone()) {
    for (const session of client.sessions()) {
      for (const contact of await session.direct.contacts()) {
        seen[`${session.address} with ${contact.address}`] = await session.direct.messages(
          contact.address,
        );
      }
    }
    for (const summary of await client.groups()) {
      const group = await client.group(summary.groupId);
      seen[`${summary.persona} in ${summary.groupId}`] = {
        details: await group.details(),
        members: await group.members(),
        messages: await group.messages(),
        log: await group.log(),
        reports: await group.reports(),
        warnings: await group.warnings(),
      };
    }
  }
  return JSON.parse(
    JSON.stringify(seen, (_key, value: unknown) =>
      value instanceof Uint8Array ? toHex(value) : typeof value === 'bigint' ? `${value}` : value,
    ),
  );
}

async function quiet(): Promise<void> {
  await Promise.all(everyone().map((client) => client.whenInboxQuiet(300, 10_000)));
}

/**
 * What the run produced, frozen once it ended: the 1:1 envelopes whose recipient is still around
 * to receive a replay (not those to the removed member), every group message, every operation.
 */
const captured = {
  envelopes: [] as CapturedEnvelope[],
  posts: [] as CapturedPost[],
  operations: [] as CapturedOperation[],
};

/** The log length every member holds now (the relay refuses posts at any other). */
async function logLength(): Promise<number> {
  return (await (await groupOf(cast.olive)).details()).logLength;
}

/** Waits until every member has acknowledged the relay's group entry `relayIndex`. */
async function allAcknowledge(answer: number | string): Promise<void> {
  const relayIndex = expectIndex(answer);
  for (const member of members) {
    await evil.waitForGroupAck(member, groupId, evil.seenIndex(member, groupId, relayIndex));
  }
}

/** Every replay made, by how (the test) and what it replayed. */
const replays = new Map<string, Map<string, number>>();
function count(how: string, what: string): void {
  const byKind = replays.get(how) ?? new Map<string, number>();
  byKind.set(what, (byKind.get(what) ?? 0) + 1);
  replays.set(how, byKind);
}

/** What a captured envelope held, by the step of the run that sent it. */
const ENVELOPE_KIND: Record<string, string> = {
  prekey: '1:1 introduction (prekey message)',
  grant: '1:1 delivery key grant (the answer to an introduction)',
  normal: '1:1 text',
  reaction: '1:1 reaction',
  group: 'sender key distribution',
  // The new epoch's secret, sent 1:1 by the owner's client to the two who stay.
  moderation: 'moderation',
  'after removal': 'sender key distribution after a removal',
  report: 'report',
};
function envelopeKind(envelope: CapturedEnvelope): string {
  return ENVELOPE_KIND[envelope.label] ?? envelope.label;
}
function postKind(post: CapturedPost): string {
  return post.reaction ? 'group reaction' : 'group message';
}

beforeAll(async () => {
  // The relay replays on its own account here, faster than any one client may post.
  relay = await startTestRelay(dirs, { maxGroupPostsPerSecond: 10_000 });
  evil = await MaliciousRelay.start(relay.url);
  people = new GroupTestClients(dirs, evil.url);
  const [ada, ben, olive, cy] = await people.addMany(['Ada', 'Ben', 'Olive', 'Cy']);
  if (!ada || !ben || !olive || !cy) throw new Error('clients');
  cast = { ada: watch(ada), ben: watch(ben), olive: watch(olive) };

  // 1:1. Ben writes first: his introduction is a prekey message. Ada answers it with a delivery
  // key for Ben alone (a DeliveryKeyGrant); once Ben has it, both sides send normal messages.
  evil.label = 'prekey';
  const invite = await ada.createInvite({ maxUses: 1, expiresAt: Date.now() + 60_000 });
  const inviteKey = parseContactInviteLink(invite.link).card.accessKey;
  await ben.addContact(invite.link, { alias: 'ada' });
  await ben.flushOutbox(10_000);
  // Ada's grant needs the introduction delivered, opened and her key registered first: it comes
  // well after Ben's introduction was acknowledged.
  evil.label = 'grant';
  await waitFor(
    async () => (await ada.contacts()).some((contact) => contact.address === ben.address),
    10_000,
    'the introduction',
  );
  await ada.flushOutbox(10_000);
  await waitFor(
    async () => !bytesEqual((await ben.contact('ada')).accessKey, inviteKey),
    10_000,
    'ben has his own key',
  );
  evil.label = 'normal';
  await ben.send('ada', 'ben 1');
  await ben.send('ada', 'ben 2');
  await ben.flushOutbox(10_000);
  await waitFor(
    async () => messagesOf(await ada.messages(ben.address)).length === 2,
    10_000,
    'ada reads ben',
  );
  evil.label = 'normal';
  await ada.send(ben.address, 'ada 1');
  await ada.flushOutbox(10_000);
  await waitFor(
    async () => messagesOf(await ben.messages('ada')).some((m) => m.text === 'ada 1'),
    10_000,
    'ben reads ada',
  );
  await ben.send('ada', 'ben 3');
  await ben.flushOutbox(10_000);
  await waitFor(
    async () => messagesOf(await ada.messages(ben.address)).some((m) => m.text === 'ben 3'),
    10_000,
    'ada reads ben 3',
  );
  evil.label = 'reaction';
  const ada1 = messagesOf(await ben.messages('ada')).find((m) => m.text === 'ada 1');
  const ben1 = messagesOf(await ada.messages(ben.address)).find((m) => m.text === 'ben 1');
  if (ada1 === undefined || ben1 === undefined) throw new Error('messages');
  await ben.react('ada', ada1.messageId, '👍');
  await ada.react(ben.address, ben1.messageId, '❤️');
  await Promise.all([ada.flushOutbox(10_000), ben.flushOutbox(10_000)]);
  await waitFor(
    async () =>
      messagesOf(await ada.messages(ben.address)).some((m) => m.reactions !== undefined) &&
      messagesOf(await ben.messages('ada')).some((m) => m.reactions !== undefined),
    10_000,
    'reactions',
  );

  // A group: every kind of operation a run makes, sender keys, messages, reactions, a report.
  evil.label = 'group';
  const oliveGroup = await olive.createGroup({ name: 'circle', description: '', rules: '' });
  groupHex = oliveGroup.id;
  groupId = fromHex(groupHex) ?? new Uint8Array(0);
  olivePersona = oliveGroup.persona;
  const link = await oliveGroup.invite({ maxUses: 10, expiresAt: Date.now() + 3_600_000 });
  const adaGroup = await ada.joinGroup(link);
  const benGroup = await ben.joinGroup(link);
  const cyGroup = await cy.joinGroup(link);
  await oliveGroup.promote(adaGroup.persona, 'steady hand');
  await oliveGroup.setInfo({ rules: 'be kind' });
  const all = [oliveGroup, adaGroup, benGroup];
  await waitFor(
    async () => {
      for (const group of [...all, cyGroup])
        if ((await group.details()).logLength < 6) return false;
      return true;
    },
    10_000,
    'everyone has the log',
  );
  for (const [group, client, text] of [
    [oliveGroup, olive, 'olive hello'],
    [adaGroup, ada, 'ada hello'],
    [benGroup, ben, 'ben hello'],
  ] as const) {
    await group.send(text);
    await client.flushOutbox(10_000);
  }
  await waitFor(
    async () => {
      for (const group of all) if ((await textsOf(group)).length < 3) return false;
      return true;
    },
    10_000,
    'everyone reads everyone',
  );
  await benGroup.react(await messageIdOf(benGroup, 'olive hello'), '🙏');
  await adaGroup.react(await messageIdOf(adaGroup, 'olive hello'), '👍');
  await Promise.all([ben.flushOutbox(10_000), ada.flushOutbox(10_000)]);
  evil.label = 'report';
  await benGroup.report(await messageIdOf(benGroup, 'ada hello'), 'unkind');
  await ben.flushOutbox(10_000);
  await waitFor(
    async () =>
      (await oliveGroup.reports()).length === 1 && (await adaGroup.reports()).length === 1,
    10_000,
    'the report reaches both moderators',
  );

  evil.label = 'moderation';
  await oliveGroup.pin(await messageIdOf(oliveGroup, 'ben hello'), 'good question');
  await oliveGroup.mute(benGroup.persona, Date.now() + 3_600_000, 'cool down');
  await oliveGroup.mute(benGroup.persona, 0);
  await oliveGroup.remove(cyGroup.persona, 'not here');
  removed = cy.sessions().map((session) => session.address);
  // Everyone rotates its sender key after the removal: new distributions, then new messages.
  evil.label = 'after removal';
  await waitFor(
    async () => {
      for (const group of all) if ((await group.members()).length !== 3) return false;
      return true;
    },
    10_000,
    'the removal',
  );
  for (const [group, client, text] of [
    [oliveGroup, olive, 'olive again'],
    [adaGroup, ada, 'ada again'],
    [benGroup, ben, 'ben again'],
  ] as const) {
    await group.send(text);
    await client.flushOutbox(10_000);
  }
  await waitFor(
    async () => {
      for (const group of all) if ((await textsOf(group)).length < 6) return false;
      return true;
    },
    10_000,
    'everyone reads the new messages',
  );
  members = all.map((group) => group.persona);
  await people.close(cy);
  await quiet();
  evil.label = 'after the run';
  captured.envelopes = evil.envelopes.filter((envelope) => !removed.includes(envelope.recipient));
  captured.posts = [...evil.posts];
  captured.operations = [...evil.operations];
}, 90_000);

afterAll(async () => {
  await people.closeAll();
  await evil.close();
  await relay.close();
  await dirs.cleanup();
});

describe('replaying every ciphertext of a real run', () => {
  it('captured every kind of ciphertext the run produced', () => {
    const labels = [...new Set(captured.envelopes.map((envelope) => envelope.label))].sort();
    expect(labels).toStrictEqual(Object.keys(ENVELOPE_KIND).sort());
    // Ben's introduction, Ada's key grant and Ben's two texts; Ada's and Ben's answers; a reaction
    // each; each member's sender key to the two others, before and after the removal; the report
    // to two moderators; the group key (epoch secret) to each joiner, and the new epoch's to those
    // who stay: 30. Besides them, delivered receipts: one per contact per mailbox pass, so one
    // to six for the six 1:1 messages (texts, answers, reactions), as the passes fall.
    expect(captured.envelopes.length).toBeGreaterThanOrEqual(31);
    expect(captured.envelopes.length).toBeLessThanOrEqual(36);
    expect(captured.posts.filter((post) => post.reaction)).toHaveLength(2);
    expect(captured.posts.filter((post) => !post.reaction)).toHaveLength(6);
    expect(
      captured.operations.map((operation) => decodeGroupOperation(operation.signed).action.case),
    ).toStrictEqual([
      'create',
      'invite',
      'join',
      'join',
      'join',
      'promote',
      'setInfo',
      'pin',
      'mute',
      'mute',
      'remove',
      'rotateEpoch',
    ]);
  });

  it('through the relay, at once: nothing is taken twice; the relay refuses every operation', async () => {
    const how = 'through the relay';
    const before = await snapshot();
    const eventsBefore = eventCounts();
    for (const envelope of captured.envelopes) {
      const id = await evil.resend(envelope);
      await evil.waitForEnvelopeAck(envelope.recipient, id);
      count(how, envelopeKind(envelope));
    }
    const length = await logLength();
    for (const post of captured.posts) {
      await allAcknowledge(await evil.repost(olivePersona, post, length));
      count(how, postKind(post));
    }
    const refusals: string[] = [];
    for (const operation of captured.operations) {
      refusals.push(String(await evil.resubmit(operation.signed)));
      count(how, 'group operation');
    }
    // A create for a group that exists; every other operation names a place in the log that is
    // taken (its sequence and previous hash no longer extend the head).
    expect(refusals).toStrictEqual([
      RelayErrorCode.GroupExists,
      ...captured.operations.slice(1).map(() => RelayErrorCode.GroupConflict),
    ]);
    await quiet();
    expect(await snapshot()).toStrictEqual(before);
    expect(eventCounts()).toStrictEqual(eventsBefore);
  }, 60_000);

  it('pushed into live connections (envelopes under their first ids): nothing is taken twice', async () => {
    const how = 'pushed into the connection';
    const before = await snapshot();
    const eventsBefore = eventCounts();
    for (const envelope of captured.envelopes) {
      const times = evil.envelopeAcks(envelope.recipient, envelope.envelopeId);
      evil.injectDeliver(envelope.recipient, envelope.sealed, envelope.envelopeId);
      await evil.waitForEnvelopeAck(envelope.recipient, envelope.envelopeId, times + 1);
      count(how, envelopeKind(envelope));
    }
    for (const member of members) {
      for (const post of captured.posts) {
        const index = evil.injectGroupEntry(member, groupId, {
          case: 'message',
          value: post.envelope,
        });
        await evil.waitForGroupAck(member, groupId, index);
        count(how, postKind(post));
      }
      for (const operation of captured.operations) {
        const index = evil.injectGroupEntry(member, groupId, {
          case: 'operation',
          value: operation.signed,
        });
        await evil.waitForGroupAck(member, groupId, index);
        count(how, 'group operation');
      }
    }
    await quiet();
    expect(await snapshot()).toStrictEqual(before);
    expect(eventCounts()).toStrictEqual(eventsBefore);
  }, 60_000);

  it('stored while everyone is offline, received on reconnect: nothing is taken twice', async () => {
    const how = 'after a reconnect';
    const before = await snapshot();
    const eventsBefore = eventCounts();
    const oliveHome = people.home(cast.olive);
    const length = await logLength();
    await Promise.all(everyone().map((client) => people.close(client)));

    const waiting: { recipient: string; id: bigint }[] = [];
    for (const envelope of captured.envelopes) {
      waiting.push({ recipient: envelope.recipient, id: await evil.resend(envelope) });
      count(how, envelopeKind(envelope));
    }
    // Group messages go in as the owner's group persona: its client is offline too.
    const owner = await personaFromVault(oliveHome, olivePersona);
    let last = 0;
    for (const post of captured.posts) {
      last = expectIndex(await evil.repostAs(owner, post, length));
      count(how, postKind(post));
    }

    cast.ada = watch(await people.reopen(cast.ada));
    cast.ben = watch(await people.reopen(cast.ben));
    cast.olive = watch(await people.reopen(cast.olive));
    for (const { recipient, id } of waiting) await evil.waitForEnvelopeAck(recipient, id);
    await allAcknowledge(last);
    // And the whole log once more, into the new connections.
    for (const member of members) {
      for (const operation of captured.operations) {
        const index = evil.injectGroupEntry(member, groupId, {
          case: 'operation',
          value: operation.signed,
        });
        await evil.waitForGroupAck(member, groupId, index);
        count(how, 'group operation');
      }
    }
    await quiet();
    expect(await snapshot()).toStrictEqual(before);
    expect(eventCounts()).toStrictEqual(eventsBefore);
  }, 60_000);

  it('interleaved with new messages: each new one arrives once and in order, no replay', async () => {
    const how = 'between new messages';
    const before = await snapshot();
    const eventsBefore = eventCounts();
    const { ada, ben, olive } = cast;
    const waiting: { recipient: string; id: bigint }[] = [];
    const fresh = { toAda: [] as string[], toBen: [] as string[] };
    for (const [i, envelope] of captured.envelopes.entries()) {
      const text = `interleaved ${i}`;
      if (i % 2 === 0) {
        await ben.send('ada', text);
        fresh.toAda.push(text);
      } else {
        await ada.send(ben.address, text);
        fresh.toBen.push(text);
      }
      waiting.push({ recipient: envelope.recipient, id: await evil.resend(envelope) });
      count(how, envelopeKind(envelope));
    }
    const oliveGroup = await groupOf(olive);
    const length = await logLength();
    const freshInGroup: string[] = [];
    let last = 0;
    for (const [i, post] of captured.posts.entries()) {
      const text = `interleaved in the group ${i}`;
      await oliveGroup.send(text);
      freshInGroup.push(text);
      const operation = captured.operations[i % captured.operations.length];
      if (operation !== undefined) {
        for (const member of members) {
          evil.injectGroupEntry(member, groupId, { case: 'operation', value: operation.signed });
          count(how, 'group operation');
        }
      }
      // Delivered after the injected operations, so its acknowledgement covers theirs.
      last = expectIndex(await evil.repost(olivePersona, post, length));
      count(how, postKind(post));
    }
    await Promise.all(everyone().map((client) => client.flushOutbox(10_000)));
    for (const { recipient, id } of waiting) await evil.waitForEnvelopeAck(recipient, id);
    await allAcknowledge(last);
    const newIn = async (client: KindredClient, contact: string): Promise<string[]> =>
      messagesOf(await client.messages(contact))
        .filter((message) => message.direction === 'in' && message.text.startsWith('interleaved'))
        .map((message) => message.text);
    const newInGroup = async (client: KindredClient): Promise<string[]> =>
      (await textsOf(await groupOf(client))).filter((text) => text.startsWith('interleaved'));
    await waitFor(
      async () =>
        (await newIn(ada, ben.address)).length >= fresh.toAda.length &&
        (await newIn(ben, 'ada')).length >= fresh.toBen.length &&
        (await newInGroup(ada)).length >= freshInGroup.length &&
        (await newInGroup(ben)).length >= freshInGroup.length,
      10_000,
      'the new messages',
    );
    await quiet();

    expect(await newIn(ada, ben.address)).toStrictEqual(fresh.toAda);
    expect(await newIn(ben, 'ada')).toStrictEqual(fresh.toBen);
    expect(await newInGroup(ada)).toStrictEqual(freshInGroup);
    expect(await newInGroup(ben)).toStrictEqual(freshInGroup);
    const gaps = [...(await ada.messages(ben.address)), ...(await ben.messages('ada'))].filter(
      (entry) => entry.kind === 'gap',
    );
    expect(gaps).toStrictEqual([]);
    // Without the new messages, everything is as it was before the replays.
    expect(withoutTexts(await snapshot(), 'interleaved')).toStrictEqual(before);
    expect(eventCounts()).toStrictEqual({
      ...eventsBefore,
      message: (eventsBefore.message ?? 0) + fresh.toAda.length + fresh.toBen.length,
      // Ada and Ben each get every new message of the owner's.
      groupMessage: (eventsBefore.groupMessage ?? 0) + 2 * freshInGroup.length,
    });
  }, 60_000);

  it('counts the replays, and what each ciphertext was', async () => {
    const homes = new Map<string, string>();
    for (const client of everyone()) {
      for (const session of client.sessions()) homes.set(session.address, people.home(client));
    }
    await people.closeAll();
    // Opened only as far as the recipient's identity key reaches (the outer sealed-sender
    // layer), which spends no ratchet step: the kind of Signal message inside.
    const types = new Map<string, string[]>();
    for (const envelope of captured.envelopes) {
      const home = homes.get(envelope.recipient);
      if (home === undefined) throw new Error('an envelope to nobody in the run');
      const persona = await personaFromVault(home, envelope.recipient);
      const stores = new PersonaCipher(persona, new MemoryKeyValueStore()).stores;
      const usmc = await sealedSenderDecryptToUsmc(
        new Uint8Array(envelope.sealed),
        stores.identities,
      );
      const type = signalType(usmc.msgType());
      types.set(envelope.label, [...(types.get(envelope.label) ?? []), type]);
    }
    expect(types.get('prekey')).toStrictEqual(['prekey']);
    expect(types.get('grant')).toStrictEqual(['normal']);
    // Four texts and two reactions, with the receipts for them (all in running sessions).
    expect(new Set(types.get('normal'))).toStrictEqual(new Set(['normal']));
    expect(types.get('normal')?.length).toBeGreaterThanOrEqual(4);
    expect(new Set(types.get('reaction'))).toStrictEqual(new Set(['normal']));
    expect(types.get('reaction')?.length).toBeGreaterThanOrEqual(2);
    // Group personas write 1:1 only to each other: each pair's first message opens a session.
    const groupTypes = [...(types.get('group') ?? []), ...(types.get('report') ?? [])];
    expect(groupTypes).toContain('prekey');
    for (const type of [...groupTypes, ...(types.get('after removal') ?? [])]) {
      expect(['prekey', 'normal']).toContain(type);
    }
    // Every group message is a sender-key message inside the group's sealing (under the epoch's
    // secret it names), by a member.
    const oliveHome = homes.get(olivePersona);
    if (oliveHome === undefined) throw new Error('no home for the owner');
    const epochSecrets = await epochSecretsFromVault(oliveHome, olivePersona, groupId);
    for (const post of captured.posts) {
      const epoch = groupEnvelopeEpoch(post.envelope);
      const secret = epoch === undefined ? undefined : epochSecrets[epoch];
      if (secret === undefined) throw new Error('a post under an epoch nobody holds');
      const opened = await openGroupEnvelope(secret, groupId, post.envelope);
      expect(members).toContain(opened.sender);
      expect(() => SenderKeyMessage.deserialize(new Uint8Array(opened.ciphertext))).not.toThrow();
    }

    const envelopes = new Map<string, number>();
    for (const envelope of captured.envelopes) {
      envelopes.set(envelopeKind(envelope), (envelopes.get(envelopeKind(envelope)) ?? 0) + 1);
    }
    const times = (n: number): Record<string, number> =>
      Object.fromEntries([...envelopes].map(([kind, count]) => [kind, count * n]));
    expect(members).toHaveLength(3);
    const table = Object.fromEntries(
      [...replays].map(([how, byKind]) => [how, Object.fromEntries(byKind)]),
    );
    expect(table).toStrictEqual({
      'through the relay': {
        ...times(1),
        'group message': 6,
        'group reaction': 2,
        'group operation': 12,
      },
      'pushed into the connection': {
        ...times(1),
        'group message': 6 * 3,
        'group reaction': 2 * 3,
        'group operation': 12 * 3,
      },
      'after a reconnect': {
        ...times(1),
        'group message': 6,
        'group reaction': 2,
        'group operation': 12 * 3,
      },
      'between new messages': {
        ...times(1),
        'group message': 6,
        'group reaction': 2,
        'group operation': 8 * 3,
      },
    });
    // Every envelope (30 and the receipts), 8 group messages and 12 operations, replayed in all:
    const total = [...replays.values()].flatMap((byKind) => [...byKind.values()]);
    expect(total.reduce((a, b) => a + b, 0)).toBe(
      4 * captured.envelopes.length + (1 + 3 + 1 + 1) * 8 + (1 + 3 + 3) * 12 + 8 * 3,
    );
  });
});

/** What a sealed envelope carried: a prekey message (opens a session) or a normal one. */
function signalType(type: number): string {
  if (type === (CiphertextMessageType.PreKey as number)) return 'prekey';
  if (type === (CiphertextMessageType.Whisper as number)) return 'normal';
  return `type ${type}`;
}

/** The relay's index for a post it took; fails the test with the relay's code otherwise. */
function expectIndex(answer: number | string): number {
  if (typeof answer !== 'number') throw new Error(`the relay refused a replayed post: ${answer}`);
  return answer;
}

/** A snapshot without the messages whose text starts with `prefix`. */
function withoutTexts(value: unknown, prefix: string): unknown {
  if (Array.isArray(value)) {
    return value
      .filter(
        (item: unknown) =>
          !(
            typeof item === 'object' &&
            item !== null &&
            'text' in item &&
            typeof item.text === 'string' &&
            item.text.startsWith(prefix)
          ),
      )
      .map((item: unknown) => withoutTexts(item, prefix));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, withoutTexts(item, prefix)]),
    );
  }
  return value;
}
