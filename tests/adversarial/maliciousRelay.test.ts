import { randomBytes } from 'node:crypto';
import { PrivateKey } from '@signalapp/libsignal-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  GroupHandle,
  GroupWarningKind,
  KindredClient,
  KindredClientEmits,
  wire,
} from '../../core/client/index.js';
import {
  CoreErrorCode,
  Persona,
  RelayConnection,
  RelayErrorCode,
  RelayRejectedError,
  decodeGroupOperation,
  groupJoinSigningBytes,
  signGroupOperation,
} from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import {
  GroupTestClients,
  fetchGroupState,
  groupIdOf,
  groupKeysOf,
  personaFromVault,
  submitOperation,
  textsOf,
} from '../integration/groupHelpers.js';
import {
  TempDirs,
  connectPair,
  messagesOf,
  startTestRelay,
  waitFor,
} from '../integration/helpers.js';
import { ACCEPT_ANYTHING_GROUP_RULES, MaliciousRelay } from './MaliciousRelay.js';

/**
 * The attacks a malicious relay can make, one by one, against real clients: a real relay behind
 * a rewriting proxy (MaliciousRelay), and, for what the relay itself must store, a relay whose
 * group rules accept anything. Each attack is refused or detected, and what the person is shown
 * is checked: an event, a stored warning, a gap marker in history, or an error code. Where a
 * variant is tested in another file, the describe block below names it.
 */

const dirs = new TempDirs();
/** Enforces the real group rules. */
let relay: RunningRelay;
/** Stores any operation and any post, as a relay that lies about groups would. */
let laxRelay: RunningRelay;
let evil: MaliciousRelay;
const crowds: GroupTestClients[] = [];
const honest = (frame: wire.ServerFrame): wire.ServerFrame => frame;
const HOUR = 3_600_000;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
  laxRelay = await startTestRelay(dirs, { groupRules: ACCEPT_ANYTHING_GROUP_RULES });
  evil = await MaliciousRelay.start(relay.url);
});

afterAll(async () => {
  await Promise.all(crowds.map((crowd) => crowd.closeAll()));
  await evil.close();
  await relay.close();
  await laxRelay.close();
  await dirs.cleanup();
});

function crowd(url: string): GroupTestClients {
  const made = new GroupTestClients(dirs, url);
  crowds.push(made);
  return made;
}

async function cast(url: string, names: readonly string[]): Promise<KindredClient[]> {
  return crowd(url).addMany(names);
}

/** Every event a client emits that a person is shown, kept in order. */
class Witness {
  readonly #seen = new Map<keyof KindredClientEmits, unknown[]>();

  constructor(client: KindredClient) {
    for (const name of SHOWN) {
      client.on(name, (value) => {
        this.#seen.set(name, [...(this.#seen.get(name) ?? []), value]);
      });
    }
  }

  of<K extends (typeof SHOWN)[number]>(name: K): KindredClientEmits[K][] {
    return (this.#seen.get(name) ?? []) as KindredClientEmits[K][];
  }
}

const SHOWN = [
  'message',
  'reaction',
  'gap',
  'identityMismatch',
  'dropped',
  'sendFailed',
  'error',
  'groupMessage',
  'groupOperation',
  'groupWarning',
] as const satisfies readonly (keyof KindredClientEmits)[];

async function warningKinds(group: GroupHandle): Promise<GroupWarningKind[]> {
  return (await group.warnings()).map((warning) => warning.kind);
}

async function waitForMembers(groups: readonly GroupHandle[], count: number): Promise<void> {
  await waitFor(
    async () => {
      for (const group of groups) if ((await group.members()).length !== count) return false;
      return true;
    },
    10_000,
    `${count} members everywhere`,
  );
}

async function incoming(client: KindredClient, contact: string): Promise<string[]> {
  return messagesOf(await client.messages(contact))
    .filter((message) => message.direction === 'in')
    .map((message) => message.text);
}

describe('(a) a relay that replays', () => {
  // Also: every kind of ciphertext a run produces (prekey and normal messages, sender keys,
  // reports, reactions, group messages and operations), replayed through the relay, pushed into
  // live connections, stored for a reconnect and interleaved with new messages, counted:
  // tests/adversarial/replay.test.ts.
  it('delivers every envelope and group entry twice: each is taken once, and shown once', async () => {
    const [ada, ben, olive] = await cast(evil.url, ['Ada', 'Ben', 'Olive']);
    if (!ada || !ben || !olive) throw new Error('clients');
    await connectPair(ada, ben, { aliasForA: 'ada' });
    const group = await olive.createGroup({ name: 'circle', description: '', rules: '' });
    const adaGroup = await ada.joinGroup(
      await group.invite({ maxUses: 5, expiresAt: Date.now() + HOUR }),
    );
    await waitForMembers([group, adaGroup], 2);
    const seen = { ada: new Witness(ada), ben: new Witness(ben), olive: new Witness(olive) };

    let doubled = 0;
    evil.tamper = (frame, link) => {
      if (frame.body.case === 'deliver' || frame.body.case === 'groupDeliver') {
        link.toClient(frame);
        doubled++;
      }
      return frame;
    };
    for (let i = 1; i <= 3; i++) {
      await ben.send('ada', `ben ${i}`);
      await ada.send(ben.address, `ada ${i}`);
    }
    await group.setInfo({ rules: 'be kind' });
    await group.send('olive in the group');
    await adaGroup.send('ada in the group');
    await Promise.all([ada, ben, olive].map((client) => client.flushOutbox(10_000)));
    await waitFor(
      async () =>
        (await incoming(ada, ben.address)).length === 3 &&
        (await incoming(ben, 'ada')).length === 3 &&
        (await textsOf(adaGroup)).length === 2 &&
        (await textsOf(group)).length === 2,
      10_000,
      'everything, once',
    );
    await Promise.all([ada, ben, olive].map((client) => client.whenInboxQuiet(300, 5_000)));
    evil.tamper = honest;

    expect(doubled).toBeGreaterThanOrEqual(6 + 2 + 1);
    expect(await incoming(ada, ben.address)).toStrictEqual(['ben 1', 'ben 2', 'ben 3']);
    expect(await incoming(ben, 'ada')).toStrictEqual(['ada 1', 'ada 2', 'ada 3']);
    expect((await textsOf(adaGroup)).sort()).toStrictEqual([
      'ada in the group',
      'olive in the group',
    ]);
    expect(seen.ada.of('message')).toHaveLength(3);
    expect(seen.ben.of('message')).toHaveLength(3);
    expect(seen.ada.of('groupMessage')).toHaveLength(1);
    expect(seen.olive.of('groupMessage')).toHaveLength(1);
    expect(seen.ada.of('groupOperation').map(({ entry }) => entry.action)).toStrictEqual([
      'setInfo',
    ]);
    for (const witness of Object.values(seen)) {
      expect(witness.of('gap')).toStrictEqual([]);
      expect(witness.of('error')).toStrictEqual([]);
      expect(witness.of('groupWarning')).toStrictEqual([]);
    }

    // An envelope sealed to Ada, handed to Ben: it opens for nobody but Ada.
    const stray = evil.envelopes.findLast((envelope) => envelope.recipient === ada.address);
    if (stray === undefined) throw new Error('no envelope to Ada');
    const before = await ben.messages('ada');
    await evil.waitForEnvelopeAck(ben.address, evil.injectDeliver(ben.address, stray.sealed));
    expect(seen.ben.of('dropped').map(({ reason }) => reason)).toStrictEqual([
      CoreErrorCode.DecryptFailed,
    ]);
    expect(await ben.messages('ada')).toStrictEqual(before);
  }, 60_000);

  it('an old group message replayed before a sender key arrives costs nothing', async () => {
    const [olive, bo, ana] = await cast(evil.url, ['Olive', 'Bo', 'Ana']);
    if (!olive || !bo || !ana) throw new Error('clients');
    const group = await olive.createGroup({ name: 'circle', description: '', rules: '' });
    const link = await group.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const boGroup = await bo.joinGroup(link);
    await waitForMembers([group, boGroup], 2);
    await group.send('before you came');
    await olive.flushOutbox(10_000);
    const old = evil.posts.at(-1);
    if (old === undefined) throw new Error('no post');
    const anaGroup = await ana.joinGroup(link);
    await waitForMembers([group, anaGroup], 3);
    const seen = new Witness(ana);
    // Ana has no key of Olive's yet: the replay waits for one. The key Olive then sends her
    // starts after that message, so it never opens; taking the key up must not fail on it.
    const index = evil.injectGroupEntry(anaGroup.persona, groupIdOf(group), {
      case: 'message',
      value: old.envelope,
    });
    await evil.waitForGroupAck(anaGroup.persona, groupIdOf(group), index);
    await group.send('after you came');
    await olive.flushOutbox(10_000);
    await waitFor(
      async () => (await textsOf(anaGroup)).includes('after you came'),
      10_000,
      'the new message',
    );
    await ana.whenInboxQuiet(300, 5_000);
    expect(await textsOf(anaGroup)).toStrictEqual(['after you came']);
    expect(seen.of('error')).toStrictEqual([]);
    expect(seen.of('groupWarning')).toStrictEqual([]);
  }, 60_000);
});

describe('(b) a relay that reorders', () => {
  it('1:1: a message held back behind the next one shows a gap, then fills it, marked late', async () => {
    const [ada, ben] = await cast(evil.url, ['Ada', 'Ben']);
    if (!ada || !ben) throw new Error('clients');
    await connectPair(ada, ben, { aliasForA: 'ada' });
    const seen = new Witness(ada);
    let held: wire.ServerFrame | undefined;
    let armed = true;
    evil.tamper = (frame, link) => {
      if (link.persona !== ada.address || frame.body.case !== 'deliver') return frame;
      if (armed) {
        armed = false;
        held = frame;
        return undefined;
      }
      // The next one first, then the one held back.
      link.toClient(frame);
      if (held !== undefined) link.toClient(held);
      held = undefined;
      return undefined;
    };
    await ben.send('ada', 'first');
    await ben.flushOutbox(10_000);
    await ben.send('ada', 'second');
    await ben.flushOutbox(10_000);
    await waitFor(
      async () => (await incoming(ada, ben.address)).length === 2,
      10_000,
      'both messages',
    );
    evil.tamper = honest;

    const history = await ada.messages(ben.address);
    const first = messagesOf(history).find((message) => message.text === 'first');
    expect(
      history.map((entry) => (entry.kind === 'message' ? entry.text : entry.kind)),
    ).toStrictEqual(['gap', 'second', 'first']);
    expect(history[0]).toMatchObject({
      kind: 'gap',
      from: first?.sequence,
      to: first?.sequence,
      remaining: 0,
    });
    expect(first?.late).toBe(true);
    expect(seen.of('gap')).toHaveLength(1);
    expect(seen.of('message').map(({ message }) => message.text)).toStrictEqual([
      'second',
      'first',
    ]);
  }, 60_000);

  it('group: operations delivered out of order still make the one log, in order, unwarned', async () => {
    const [olive, ada] = await cast(evil.url, ['Olive', 'Ada']);
    if (!olive || !ada) throw new Error('clients');
    const group = await olive.createGroup({ name: 'circle', description: '', rules: '' });
    const adaGroup = await ada.joinGroup(
      await group.invite({ maxUses: 5, expiresAt: Date.now() + HOUR }),
    );
    await waitForMembers([group, adaGroup], 2);
    const seen = new Witness(ada);
    let held: wire.ServerFrame | undefined;
    let swapped = 0;
    evil.tamper = (frame, link) => {
      if (link.persona !== adaGroup.persona || frame.body.case !== 'groupDeliver') return frame;
      if (frame.body.value.entry.case !== 'operation' || swapped > 0) return frame;
      if (held === undefined) {
        held = frame;
        return undefined;
      }
      // The second operation first, then the first.
      link.toClient(frame);
      link.toClient(held);
      swapped++;
      return undefined;
    };
    await group.setInfo({ rules: 'one' });
    await group.setInfo({ rules: 'two' });
    await waitFor(
      async () => (await adaGroup.details()).logLength === (await group.details()).logLength,
      10_000,
      'ada has the whole log',
    );
    await ada.whenInboxQuiet(300, 5_000);
    evil.tamper = honest;

    expect(swapped).toBe(1);
    expect((await adaGroup.details()).rules).toBe('two');
    expect(await adaGroup.log()).toStrictEqual(await group.log());
    expect(await adaGroup.warnings()).toStrictEqual([]);
    expect(seen.of('groupOperation').map(({ entry }) => entry.sequence)).toStrictEqual([3, 4]);
  }, 60_000);
  it('group: a member’s posts handed over out of order are noticed (withheld, then reordered)', async () => {
    const [olive, ada] = await cast(evil.url, ['Olive', 'Ada']);
    if (!olive || !ada) throw new Error('clients');
    const group = await olive.createGroup({ name: 'circle', description: '', rules: '' });
    const adaGroup = await ada.joinGroup(
      await group.invite({ maxUses: 5, expiresAt: Date.now() + HOUR }),
    );
    await waitForMembers([group, adaGroup], 2);
    await group.send('one');
    await olive.flushOutbox(10_000);
    await waitFor(async () => (await textsOf(adaGroup)).includes('one'), 10_000, 'one');
    const seen = new Witness(ada);
    // The relay numbers its stream itself: it hands Ada the third post under the second's
    // number, and the second under the third's, so nothing in the stream looks out of place.
    let held: wire.ServerFrame | undefined;
    let swapped = 0;
    evil.tamper = (frame, link) => {
      if (link.persona !== adaGroup.persona || frame.body.case !== 'groupDeliver') return frame;
      if (frame.body.value.entry.case !== 'message' || swapped > 0) return frame;
      if (held?.body.case !== 'groupDeliver') {
        held = frame;
        return undefined;
      }
      const [first, second] = [held.body.value, frame.body.value];
      [first.entry, second.entry] = [second.entry, first.entry];
      [first.receivedAt, second.receivedAt] = [second.receivedAt, first.receivedAt];
      link.toClient(held);
      link.toClient(frame);
      swapped++;
      return undefined;
    };
    await group.send('two');
    await olive.flushOutbox(10_000);
    await group.send('three');
    await olive.flushOutbox(10_000);
    await waitFor(async () => (await textsOf(adaGroup)).length === 3, 10_000, 'all three at Ada');
    evil.tamper = honest;

    expect(swapped).toBe(1);
    expect(await textsOf(adaGroup)).toStrictEqual(['one', 'three', 'two']);
    expect(await warningKinds(adaGroup)).toStrictEqual(['withheld-posts', 'reordered-posts']);
    expect(seen.of('groupWarning').map(({ warning }) => warning.kind)).toStrictEqual([
      'withheld-posts',
      'reordered-posts',
    ]);
    expect(await warningKinds(group)).toStrictEqual([]);
  }, 60_000);
});

describe('(c) a relay that withholds', () => {
  // Also: a setInfo withheld from one member, noticed through the log length inside another
  // member's message: tests/integration/groupsAdversarial.test.ts.
  it('1:1: a message dropped for good leaves a gap marker in history and a gap event', async () => {
    const people = crowd(evil.url);
    const [ada, ben] = await people.addMany(['Ada', 'Ben']);
    if (!ada || !ben) throw new Error('clients');
    await connectPair(ada, ben, { aliasForA: 'ada' });
    const seen = new Witness(ada);
    let dropped = 0;
    evil.tamper = (frame, link) => {
      if (link.persona !== ada.address || frame.body.case !== 'deliver' || dropped > 0) {
        return frame;
      }
      dropped++;
      // Gone for good: the relay deletes it, as if Ada had acknowledged it.
      link
        .toRelay({ case: 'ackEnvelopes', value: { envelopeIds: [frame.body.value.envelopeId] } })
        .catch(() => undefined);
      return undefined;
    };
    await ben.send('ada', 'one');
    await ben.flushOutbox(10_000);
    await ben.send('ada', 'two');
    await ben.flushOutbox(10_000);
    await waitFor(
      async () => (await incoming(ada, ben.address)).length === 1,
      10_000,
      'the second',
    );
    // It stays missing across a reconnect: the relay no longer has it.
    await people.close(ada);
    evil.tamper = honest;
    const back = await people.reopen(ada);
    await back.whenInboxQuiet(300, 5_000);

    expect(dropped).toBe(1);
    const history = await back.messages(ben.address);
    expect(
      history.map((entry) => (entry.kind === 'message' ? entry.text : entry.kind)),
    ).toStrictEqual(['gap', 'two']);
    expect(history[0]).toMatchObject({ kind: 'gap', remaining: 1 });
    expect(seen.of('gap').map(({ gap }) => gap.remaining)).toStrictEqual([1]);
  }, 60_000);

  it('group: a member’s post dropped for good is noticed from their next one', async () => {
    const [olive, ada] = await cast(evil.url, ['Olive', 'Ada']);
    if (!olive || !ada) throw new Error('clients');
    const group = await olive.createGroup({ name: 'circle', description: '', rules: '' });
    const adaGroup = await ada.joinGroup(
      await group.invite({ maxUses: 5, expiresAt: Date.now() + HOUR }),
    );
    await waitForMembers([group, adaGroup], 2);
    await group.send('one');
    await olive.flushOutbox(10_000);
    await waitFor(async () => (await textsOf(adaGroup)).includes('one'), 10_000, 'one');
    const seen = new Witness(ada);
    let dropped = 0;
    evil.tamper = (frame, link) => {
      if (link.persona !== adaGroup.persona || frame.body.case !== 'groupDeliver') return frame;
      if (frame.body.value.entry.case !== 'message' || dropped > 0) return frame;
      // Gone: Ada's acknowledgement of the next entry moves her cursor past it.
      dropped++;
      return undefined;
    };
    await group.send('two');
    await olive.flushOutbox(10_000);
    await group.send('three');
    await olive.flushOutbox(10_000);
    await waitFor(async () => (await textsOf(adaGroup)).includes('three'), 10_000, 'three');
    await ada.whenInboxQuiet(300, 5_000);
    evil.tamper = honest;

    expect(dropped).toBe(1);
    expect(await textsOf(adaGroup)).toStrictEqual(['one', 'three']);
    expect(await warningKinds(adaGroup)).toStrictEqual(['withheld-posts']);
    expect(seen.of('groupWarning').map(({ warning }) => warning.detail)).toStrictEqual([
      'posts from a member are missing from the stream',
    ]);
  }, 60_000);

  it('group: posts the relay refused (a mute) leave no gap for members to warn about', async () => {
    const people = crowd(relay.url);
    const [olive, ada, ben] = await people.addMany(['Olive', 'Ada', 'Ben']);
    if (!olive || !ada || !ben) throw new Error('clients');
    const group = await olive.createGroup({ name: 'circle', description: '', rules: '' });
    const link = await group.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const adaGroup = await ada.joinGroup(link);
    const benGroup = await ben.joinGroup(link);
    await waitForMembers([group, adaGroup, benGroup], 3);
    await benGroup.send('before the mute');
    await ben.flushOutbox(10_000);
    await waitFor(
      async () => (await textsOf(adaGroup)).includes('before the mute'),
      10_000,
      'the first post',
    );
    // Ben is muted while offline, so he writes twice before he knows: the relay refuses both.
    await people.close(ben);
    await group.mute(benGroup.persona, Date.now() + HOUR, 'cool down');
    const offline = await people.reopen(ben, { start: false });
    const refused: string[] = [];
    offline.on('groupSendFailed', ({ error }) => {
      refused.push(RelayRejectedError.isRelayRejection(error) ? error.relayCode : error.code);
    });
    const benAgain = await offline.group(benGroup.id);
    await benAgain.send('while muted, one');
    await benAgain.send('while muted, two');
    await offline.start({ receive: true });
    // Wide: on a loaded machine the reconnect, the log sync and two refusals take a while.
    await waitFor(() => refused.length === 2, 40_000, 'both posts refused');
    await group.mute(benGroup.persona, 0, 'ok');
    await waitFor(
      async () => (await benAgain.members()).every((m) => m.mutedUntil <= Date.now()),
      10_000,
      'Ben sees the unmute',
    );
    await benAgain.send('after the mute');
    await offline.flushOutbox(10_000);
    await waitFor(
      async () => (await textsOf(adaGroup)).includes('after the mute'),
      10_000,
      'the post after the mute',
    );
    await ada.whenInboxQuiet(300, 5_000);
    expect(refused).toStrictEqual([RelayErrorCode.GroupMuted, RelayErrorCode.GroupMuted]);
    expect(await textsOf(adaGroup)).toStrictEqual(['before the mute', 'after the mute']);
    expect(await warningKinds(adaGroup)).toStrictEqual([]);
  }, 90_000);

  it('group: a removal withheld from one member is noticed from the next message it gets', async () => {
    // Dana reaches the relay through a path of her own, which hides every removal from her, in
    // the live stream and in log pages (whose length it shortens to match).
    const danaPath = await MaliciousRelay.start(relay.url);
    try {
      const [olive, ana, bo] = await cast(relay.url, ['Olive', 'Ana', 'Bo']);
      const [dana] = await cast(danaPath.url, ['Dana']);
      if (!olive || !ana || !bo || !dana) throw new Error('clients');
      const group = await olive.createGroup({ name: 'circle', description: '', rules: '' });
      const link = await group.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
      const anaGroup = await ana.joinGroup(link);
      const boGroup = await bo.joinGroup(link);
      const danaGroup = await dana.joinGroup(link);
      await waitForMembers([group, anaGroup, danaGroup], 4);
      const seen = new Witness(dana);
      danaPath.tamper = hideOperations('remove');

      await group.remove(boGroup.persona, 'off topic');
      await waitForMembers([anaGroup], 3);
      await group.send('after the removal');
      await olive.flushOutbox(10_000);
      await waitFor(
        async () => (await warningKinds(danaGroup)).includes('withheld-operations'),
        10_000,
        'dana warns',
      );
      // Noticed from the rotation that follows the removal, and from the message sealed under
      // the new epoch: withheld operations, never a forgery.
      const kinds = seen.of('groupWarning').map(({ warning }) => warning.kind);
      expect(kinds.length).toBeGreaterThan(0);
      expect(new Set(kinds)).toStrictEqual(new Set(['withheld-operations']));
      // What she was shown is still her log; the warning says it is not the whole one.
      expect((await danaGroup.members()).map((member) => member.address)).toContain(
        boGroup.persona,
      );
      expect(await warningKinds(anaGroup)).toStrictEqual([]);

      // A log page that claims operations and serves none.
      danaPath.tamper = (frame) => {
        if (frame.body.case === 'groupLogPage') {
          frame.body.value.logLength += 5n;
          frame.body.value.operations = [];
        }
        return frame;
      };
      await danaGroup.sync();
      const warnings = (await danaGroup.warnings()).map(({ kind, detail }) => [kind, detail]);
      expect(warnings).toContainEqual([
        'withheld-operations',
        'a member has seen operations we have not',
      ]);
      expect(warnings.at(-1)).toStrictEqual([
        'withheld-operations',
        'log page empty before its end',
      ]);
      expect(new Set(warnings.map(([kind]) => kind))).toStrictEqual(
        new Set(['withheld-operations']),
      );
    } finally {
      await danaPath.close();
    }
  }, 60_000);
});

describe('(d) a relay that adds a ghost member', () => {
  // Also: a non-member who holds the group secret (an old invite link) posting through a relay
  // that lets it: tests/integration/groupsAdversarial.test.ts.
  it('a join without the invite’s key is refused by every member; the ghost’s post is flagged', async () => {
    const people = crowd(laxRelay.url);
    const [olive, ana, ghost] = await people.addMany(['Olive', 'Ana', 'Ghost']);
    if (!olive || !ana || !ghost) throw new Error('clients');
    const group = await olive.createGroup({ name: 'circle', description: '', rules: '' });
    const link = await group.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const anaGroup = await ana.joinGroup(link);
    await waitForMembers([group, anaGroup], 2);
    const seen = { olive: new Witness(olive), ana: new Witness(ana) };
    const ghostHome = people.home(ghost);
    const ghostAddress = ghost.address;
    await people.close(ghost);
    const ghostPersona = await personaFromVault(ghostHome, ghostAddress);

    // The relay reads the log, so it knows the invite's id, but never its private key.
    const keys = groupKeysOf(link);
    const state = await fetchGroupState(laxRelay.url, keys);
    const [inviteIdHex] = [...state.invites.keys()];
    const inviteId = Buffer.from(inviteIdHex ?? '', 'hex');
    const notTheInviteKey = PrivateKey.generate();
    const forgedJoin = signGroupOperation(ghostPersona, {
      groupId: keys.groupId,
      state,
      action: {
        case: 'join',
        value: {
          inviteId,
          inviteSignature: notTheInviteKey.sign(
            new Uint8Array(
              groupJoinSigningBytes(keys.groupId, inviteId, ghostPersona.identityPublicKey),
            ),
          ),
          sealedProfile: randomBytes(96),
        },
      },
    });
    await submitOperation(laxRelay.url, forgedJoin);
    for (const handle of [group, anaGroup]) {
      await waitFor(
        async () => (await warningKinds(handle)).includes('forged-operation'),
        10_000,
        'the refusal',
      );
      expect((await handle.warnings())[0]?.detail).toBe(CoreErrorCode.GroupInviteInvalid);
      expect((await handle.members()).map((member) => member.address)).not.toContain(ghostAddress);
      expect((await handle.log()).map((entry) => entry.actor)).not.toContain(ghostAddress);
    }

    // The ghost posts; the relay takes it. It cannot seal it under the group secret it lacks.
    const connection = await RelayConnection.open({ url: laxRelay.url });
    try {
      await connection.authenticate(ghostPersona);
      const page = await connection.request(
        {
          case: 'fetchGroupLog',
          value: { groupId: keys.groupId, logKey: keys.secret.logKey(), fromSequence: 0n },
        },
        'groupLogPage',
      );
      await connection.request(
        {
          case: 'postGroupMessage',
          value: { groupId: keys.groupId, logLength: page.logLength, envelope: randomBytes(200) },
        },
        'groupAppended',
      );
    } finally {
      connection.close();
    }
    for (const handle of [group, anaGroup]) {
      await waitFor(
        async () => (await warningKinds(handle)).includes('ghost-member'),
        10_000,
        'the ghost',
      );
      expect(await handle.messages()).toStrictEqual([]);
    }
    for (const witness of Object.values(seen)) {
      // The forged join first, then the ghost's post. A later sync meets the forged join again
      // on the lax relay, so it may be warned about twice.
      const kinds = witness.of('groupWarning').map(({ warning }) => warning.kind);
      expect(kinds[0]).toBe('forged-operation');
      expect(kinds.filter((kind) => kind === 'ghost-member')).toHaveLength(1);
      expect(new Set(kinds)).toStrictEqual(new Set(['forged-operation', 'ghost-member']));
      expect(witness.of('groupMessage')).toStrictEqual([]);
    }
  }, 60_000);
});

describe('(e) a relay that forges moderator operations', () => {
  // Also: a plain member's removal of the owner stored in the relay's log and refused on every
  // member's sync: tests/integration/groupsAdversarial.test.ts; every moderator operation from a
  // plain member refused by its own client and by the relay: groupsModeration.test.ts.
  it('unsigned, wrongly signed, or by a plain member: the relay refuses each, every member too', async () => {
    const people = crowd(evil.url);
    const [olive, ana, mallory] = await people.addMany(['Olive', 'Ana', 'Mallory']);
    if (!olive || !ana || !mallory) throw new Error('clients');
    const group = await olive.createGroup({ name: 'circle', description: '', rules: '' });
    const link = await group.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const anaGroup = await ana.joinGroup(link);
    const malloryGroup = await mallory.joinGroup(link);
    await waitForMembers([group, anaGroup], 3);
    const seen = { olive: new Witness(olive), ana: new Witness(ana) };
    // Mallory is a plain member; her client would refuse to sign this, so it is signed by hand.
    await people.close(mallory);
    const malloryPersona = await personaFromVault(people.home(mallory), malloryGroup.persona);

    const keys = groupKeysOf(link);
    const state = await fetchGroupState(relay.url, keys);
    const ownerKey = state.members.get(group.persona)?.identityKey;
    if (ownerKey === undefined) throw new Error('no owner');
    const stranger = Persona.generate('Stranger');
    const removeAna = { case: 'remove', value: { member: anaGroup.persona } } as const;
    const forged = {
      // The owner named as actor, and no signature at all.
      unsigned: signGroupOperation(
        { identityPublicKey: ownerKey, sign: () => new Uint8Array(0) },
        { groupId: keys.groupId, state, action: removeAna },
      ),
      // The owner named as actor, signed by another key.
      'wrongly signed': signGroupOperation(
        { identityPublicKey: ownerKey, sign: (bytes) => stranger.sign(bytes) },
        { groupId: keys.groupId, state, action: removeAna },
      ),
      // Properly signed by a member whose role does not allow it.
      'by a plain member': signGroupOperation(malloryPersona, {
        groupId: keys.groupId,
        state,
        action: { case: 'ban', value: { member: anaGroup.persona } },
      }),
    };
    const refusals: (string | number)[] = [];
    for (const signed of Object.values(forged)) refusals.push(await evil.resubmit(signed));
    expect(refusals).toStrictEqual([
      RelayErrorCode.GroupInvalid,
      RelayErrorCode.GroupInvalid,
      RelayErrorCode.GroupForbidden,
    ]);

    // So the relay slips them into the members' streams itself.
    const logBefore = await group.log();
    for (const handle of [group, anaGroup]) {
      for (const signed of Object.values(forged)) {
        const index = evil.injectGroupEntry(handle.persona, keys.groupId, {
          case: 'operation',
          value: signed,
        });
        await evil.waitForGroupAck(handle.persona, keys.groupId, index);
      }
      expect((await handle.warnings()).map(({ kind, detail }) => [kind, detail])).toStrictEqual([
        ['forged-operation', CoreErrorCode.GroupOperationInvalid],
        ['forged-operation', CoreErrorCode.GroupOperationInvalid],
        ['forged-operation', CoreErrorCode.GroupForbidden],
      ]);
      expect((await handle.members()).map((member) => member.address).sort()).toStrictEqual(
        [group.persona, anaGroup.persona, malloryGroup.persona].sort(),
      );
      expect(await handle.log()).toStrictEqual(logBefore);
    }
    for (const witness of Object.values(seen)) {
      expect(witness.of('groupWarning')).toHaveLength(3);
      expect(witness.of('groupOperation')).toStrictEqual([]);
    }
    expect(decodeGroupOperation(forged['by a plain member']).actorAddress).toBe(
      malloryGroup.persona,
    );

    // The group goes on: the owner's next (real) operation reaches everyone, unwarned.
    await group.setInfo({ rules: 'still here' });
    await waitFor(
      async () => (await anaGroup.details()).rules === 'still here',
      10_000,
      'the real operation',
    );
    expect(await anaGroup.warnings()).toHaveLength(3);
  }, 60_000);
});

describe('(f) a relay that swaps keys in prekey bundles', () => {
  // Also: an invite link owner's bundle under another identity key, or another persona's whole
  // bundle (CORE_IDENTITY_MISMATCH from addContact), and a prekey message made under an identity
  // key that does not derive its sender (the identityMismatch event):
  // tests/integration/oneToOne.test.ts; what the CLI prints for both:
  // tests/integration/cliHostileRelay.test.ts.
  it('a fellow member’s bundle under another key is refused: no session, no sender key sent', async () => {
    const [olive, ana, ben, cleo] = await cast(evil.url, ['Olive', 'Ana', 'Ben', 'Cleo']);
    if (!olive || !ana || !ben || !cleo) throw new Error('clients');
    const group = await olive.createGroup({ name: 'circle', description: '', rules: '' });
    const link = await group.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const anaGroup = await ana.joinGroup(link);
    const benGroup = await ben.joinGroup(link);
    const cleoGroup = await cleo.joinGroup(link);
    await waitForMembers([group, anaGroup, benGroup, cleoGroup], 4);
    // Each newcomer waits for the group key, which Olive (the owner) sends it 1:1, before the
    // relay starts lying (a lie about Cleo's bundle would otherwise keep the key from her).
    for (const member of [anaGroup, benGroup, cleoGroup]) {
      await waitFor(
        async () => !(await member.details()).waitingForKey,
        10_000,
        'each newcomer to get the group key',
      );
    }
    const seen = new Witness(ana);
    const stranger = Persona.generate('Stranger');
    // Ana has never written to Ben or Cleo (the owner wrote to each of them, with the group key):
    // her first post needs their bundles for her sender key.
    evil.tamper = (frame) => {
      if (frame.body.case !== 'preKeyBundle') return frame;
      const bundle = frame.body.value;
      // Ben's bundle under another key; Cleo's replaced by a whole bundle of someone else's.
      if (bundle.address === benGroup.persona) bundle.identityKey = stranger.identityPublicKey;
      if (bundle.address === cleoGroup.persona) {
        bundle.identityKey = stranger.identityPublicKey;
        bundle.address = stranger.address;
      }
      return frame;
    };
    const sentBefore = evil.envelopes.length;
    await anaGroup.send('for members only');
    await ana.flushOutbox(10_000);
    evil.tamper = honest;

    expect(
      seen
        .of('sendFailed')
        .map(({ recipient, error }) => [recipient, error.code])
        .sort(),
    ).toStrictEqual(
      [
        [benGroup.persona, CoreErrorCode.IdentityMismatch],
        [cleoGroup.persona, CoreErrorCode.IdentityMismatch],
      ].sort(),
    );
    // Nothing was sealed to either: no envelope left Ana for them.
    const liedAbout = new Set([benGroup.persona, cleoGroup.persona]);
    expect(
      evil.envelopes.slice(sentBefore).filter(({ recipient }) => liedAbout.has(recipient)),
    ).toStrictEqual([]);
    await Promise.all([ben, cleo].map((client) => client.whenInboxQuiet(300, 5_000)));
    expect(await textsOf(benGroup)).toStrictEqual([]);
    expect(await textsOf(cleoGroup)).toStrictEqual([]);

    // One lie must not cut them off: with the relay honest again, Ana's key goes out again
    // with her next post, and both read it.
    await anaGroup.send('after the lie');
    await ana.flushOutbox(10_000);
    for (const member of [benGroup, cleoGroup]) {
      await waitFor(
        async () => (await textsOf(member)).includes('after the lie'),
        10_000,
        `${member === benGroup ? 'ben' : 'cleo'}, cut off by the lie, to read the next post`,
      );
    }
  }, 60_000);

  it('a bundle whose prekeys the identity key did not sign is refused, and no contact is made', async () => {
    const [ada, ben] = await cast(evil.url, ['Ada', 'Ben']);
    if (!ada || !ben) throw new Error('clients');
    const invite = await ada.createInvite({ maxUses: 3, expiresAt: Date.now() + HOUR });
    for (const part of ['signedPreKey', 'kyberPreKey'] as const) {
      evil.tamper = (frame) => {
        const key = frame.body.case === 'preKeyBundle' ? frame.body.value[part] : undefined;
        if (key !== undefined)
          key.signature = Persona.generate('Relay').sign(new Uint8Array(key.publicKey));
        return frame;
      };
      await expect(ben.addContact(invite.link, { alias: 'ada' })).rejects.toMatchObject({
        code: CoreErrorCode.InvalidPreKeyBundle,
      });
      expect(await ben.contacts()).toStrictEqual([]);
    }
    evil.tamper = honest;
    await ben.addContact(invite.link, { alias: 'ada' });
    expect((await ben.contacts()).map((contact) => contact.address)).toStrictEqual([ada.address]);
  }, 60_000);
});

/** A relay-side rewrite that hides every operation of `action` from the client, and the log. */
function hideOperations(action: string): (frame: wire.ServerFrame) => wire.ServerFrame | undefined {
  return (frame) => {
    const body = frame.body;
    if (body.case === 'groupDeliver' && body.value.entry.case === 'operation') {
      if (decodeGroupOperation(body.value.entry.value).action.case === action) return undefined;
    }
    if (body.case === 'groupLogPage') {
      const shown: Uint8Array[] = [];
      for (const operation of body.value.operations) {
        if (decodeGroupOperation(operation).action.case === action) break;
        shown.push(operation);
      }
      body.value.logLength -= BigInt(body.value.operations.length - shown.length);
      body.value.operations = shown;
    }
    return frame;
  };
}
