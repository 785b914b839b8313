import { describe, expect, it } from 'vitest';
import type { GroupHandle, KindredClient } from '../../core/client/index.js';
import {
  CoreErrorCode,
  Persona,
  RelayConnection,
  RelayErrorCode,
  applyGroupOperation,
  signGroupOperation,
  toHex,
} from '../../core/client/index.js';
import { decodeGroupOperation } from '../../core/groups/GroupRules.js';
import type { GroupKeys } from './groupHelpers.js';
import {
  fetchGroupState,
  groupKeysOf,
  messageIdOf,
  submitOperation,
  textsOf,
  useGroupTestClients,
} from './groupHelpers.js';
import { useTestRelay, waitFor } from './helpers.js';

const relay = useTestRelay();
const clients = useGroupTestClients(relay);
const HOUR = 3_600_000;

async function joinEach(link: string, joiners: readonly KindredClient[]): Promise<GroupHandle[]> {
  const handles: GroupHandle[] = [];
  for (const joiner of joiners) {
    handles.push(await joiner.joinGroup(link, { pseudonym: joiner.whoami().pseudonym }));
  }
  return handles;
}

async function waitForLog(leader: GroupHandle, handles: readonly GroupHandle[]): Promise<void> {
  const length = (await leader.details()).logLength;
  await waitFor(
    async () =>
      (await Promise.all(handles.map(async (h) => (await h.details()).logLength))).every(
        (seen) => seen >= length,
      ),
    15_000,
    `every member to reach log length ${length}`,
  );
}

async function waitForTexts(group: GroupHandle, texts: readonly string[]): Promise<void> {
  await waitFor(
    async () => {
      const held = await textsOf(group);
      return texts.every((text) => held.includes(text));
    },
    15_000,
    texts.join(', '),
  );
}

/** Where each text shows: its topic's hex id ('' General). */
async function topicsByText(group: GroupHandle): Promise<Record<string, string>> {
  return Object.fromEntries((await group.messages()).map((m) => [m.text, m.topic]));
}

/** Every operation of the log, as the relay serves it to a holder of the log key. */
async function fetchOperations(keys: GroupKeys): Promise<Uint8Array[]> {
  const connection = await RelayConnection.open({ url: relay.url });
  try {
    const page = await connection.request(
      {
        case: 'fetchGroupLog',
        value: { groupId: keys.groupId, logKey: keys.secret.logKey(), fromSequence: 0n },
      },
      'groupLogPage',
    );
    return page.operations;
  } finally {
    connection.close();
  }
}

/** Three members (the owner, Ada, Ben) of a group on the file's relay, all on one log. */
async function threeMembers(): Promise<{
  owner: GroupHandle;
  ada: GroupHandle;
  ben: GroupHandle;
  link: string;
}> {
  const [ownerClient, adaClient, benClient] = await clients.addMany(['Owner', 'Ada', 'Ben']);
  if (ownerClient === undefined || adaClient === undefined || benClient === undefined) {
    throw new Error('three clients');
  }
  const owner = await ownerClient.createGroup({ name: 'Lupus circle', description: '', rules: '' });
  const link = await owner.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
  const [ada, ben] = await joinEach(link, [adaClient, benClient]);
  if (ada === undefined || ben === undefined) throw new Error('two joins');
  await waitForLog(owner, [ada, ben]);
  return { owner, ada, ben, link };
}

describe('topics and threads', () => {
  it('puts messages in their topic for every member, with unread counts, threads and moves', async () => {
    const { owner, ada, ben } = await threeMembers();
    const treatment = await owner.createTopic('Treatment');
    await waitForLog(owner, [ada, ben]);
    // Every member opens the sealed name (once the group key has reached it: '' until then).
    for (const member of [owner, ada, ben]) {
      await waitFor(
        async () => (await member.topics()).some((t) => t.name === 'Treatment'),
        15_000,
        'the topic name',
      );
      expect((await member.topics()).map((t) => [t.name, t.id, t.closed])).toEqual([
        ['General', '', false],
        ['Treatment', treatment, false],
      ]);
    }

    await ada.send('infusion day tips?', { topic: 'Treatment' });
    await ben.send('hello all');
    await waitForTexts(owner, ['infusion day tips?', 'hello all']);
    const root = await messageIdOf(owner, 'infusion day tips?');
    await owner.send('ice on the arm helps', { thread: root });
    // A reply in a thread needs its root at hand (CORE_MESSAGE_NOT_FOUND otherwise).
    await waitForTexts(ben, ['infusion day tips?']);
    await ben.send('same here', { thread: root });
    const everyone = ['infusion day tips?', 'hello all', 'ice on the arm helps', 'same here'];
    for (const member of [owner, ada, ben]) {
      await waitForTexts(member, everyone);
      const topics = await topicsByText(member);
      expect(topics).toEqual({
        'infusion day tips?': treatment,
        'hello all': '',
        // A thread reply is in its root's topic, and names the root.
        'ice on the arm helps': treatment,
        'same here': treatment,
      });
      const replies = (await member.messages()).filter((m) => m.threadRoot !== undefined);
      expect(replies.map((m) => toHex(m.threadRoot ?? new Uint8Array()))).toEqual([root, root]);
    }

    // Ada's unread: Treatment has the owner's and Ben's replies, General Ben's hello.
    const counts = async (member: GroupHandle): Promise<Record<string, number>> =>
      Object.fromEntries((await member.topics()).map((t) => [t.name, t.unread]));
    expect(await counts(ada)).toEqual({ General: 1, Treatment: 2 });
    await ada.markTopicRead('Treatment');
    expect(await counts(ada)).toEqual({ General: 1, Treatment: 0 });
    await ben.send('one more for treatment', { topic: treatment });
    await waitForTexts(ada, ['one more for treatment']);
    expect(await counts(ada)).toEqual({ General: 1, Treatment: 1 });

    // A moderator moves Ben's hello into Treatment: every member shows it there, and the log
    // says who did.
    const hello = await messageIdOf(owner, 'hello all');
    await owner.moveMessage(hello, 'Treatment', 'on topic');
    await waitForLog(owner, [ada, ben]);
    for (const member of [owner, ada, ben]) {
      expect((await topicsByText(member))['hello all']).toBe(treatment);
    }
    // The moved message keeps its own body: the topic it was posted into is still General.
    const moved = (await ben.messages()).find((m) => m.text === 'hello all');
    expect(moved?.topicId).toBeUndefined();

    // Pins within a topic: the topic shows the pins of its messages.
    await owner.pin(root);
    await waitForLog(owner, [ada]);
    const pinsOf = async (member: GroupHandle): Promise<Record<string, readonly string[]>> =>
      Object.fromEntries((await member.topics()).map((t) => [t.name, t.pinned]));
    expect(await pinsOf(ada)).toEqual({ General: [], Treatment: [root] });
  });

  it('lets members create topics only when the policy allows, and closes topics to posts', async () => {
    const { owner, ada, ben } = await threeMembers();
    await expect(ada.createTopic('Grief')).rejects.toMatchObject({
      code: CoreErrorCode.GroupForbidden,
    });
    await expect(ada.moveMessage('00'.repeat(16), 'General')).rejects.toMatchObject({
      code: CoreErrorCode.GroupForbidden,
    });
    await owner.setPolicy({ membersCreateTopics: true });
    await waitForLog(owner, [ada, ben]);
    expect((await ada.details()).policy.membersCreateTopics).toBe(true);
    const grief = await ada.createTopic('Grief');
    await waitForLog(ada, [owner, ben]);
    // Members still cannot close or rename: moderators only.
    await expect(ada.closeTopic('Grief')).rejects.toMatchObject({
      code: CoreErrorCode.GroupForbidden,
    });
    await expect(owner.closeTopic('General')).rejects.toMatchObject({
      code: CoreErrorCode.GroupBadTarget,
    });
    await expect(ben.send('into nowhere', { topic: 'Nope' })).rejects.toMatchObject({
      code: CoreErrorCode.TopicNotFound,
    });

    await ben.send('before the close', { topic: 'Grief' });
    await waitForTexts(owner, ['before the close']);
    await owner.renameTopic(grief, 'Grief and loss');
    await owner.closeTopic('Grief and loss', 'resting');
    await waitForLog(owner, [ada, ben]);
    const closed = (await ben.topics()).find((t) => t.id === grief);
    expect(closed).toMatchObject({ name: 'Grief and loss', closed: true, messages: 1 });
    await expect(ben.send('after the close', { topic: grief })).rejects.toMatchObject({
      code: CoreErrorCode.TopicClosed,
    });
    await owner.reopenTopic(grief);
    await waitForLog(owner, [ben]);
    await ben.send('after reopening', { topic: grief });
    await waitForTexts(ada, ['before the close', 'after reopening']);
    expect((await topicsByText(ada))['after reopening']).toBe(grief);
    // The moderation log names every topic operation.
    const actions = (await ada.log()).map((entry) => entry.action);
    expect(actions).toEqual(
      expect.arrayContaining(['topicCreate', 'topicUpdate', 'topicUpdate', 'topicUpdate']),
    );
  });

  it('refuses a move the relay forged or altered: only a moderator’s signed move counts', async () => {
    const { owner, ada, link } = await threeMembers();
    const keys = groupKeysOf(link);
    await owner.createTopic('Spirituality');
    await ada.send('a quiet prayer');
    await waitForTexts(owner, ['a quiet prayer']);
    const message = await messageIdOf(owner, 'a quiet prayer');
    await owner.moveMessage(message, 'Spirituality');
    await waitForLog(owner, [ada]);
    const operations = await fetchOperations(keys);
    const signedMove = operations[operations.length - 1];
    if (signedMove === undefined) throw new Error('no operations');
    expect(decodeGroupOperation(signedMove).action.case).toBe('topicMove');

    // Altered: the same signed move pointed back at General. Its signature no longer holds,
    // on the relay and in every client.
    const altered = new Uint8Array(signedMove);
    const topicAt = findLast(altered, decodeTopicIdOf(signedMove));
    altered[topicAt] = (altered[topicAt] ?? 0) ^ 0xff;
    const before = await fetchGroupState(relay.url, keys);
    expect(() => applyGroupOperation(before, altered)).toThrow(
      expect.objectContaining({ code: CoreErrorCode.GroupOperationInvalid }),
    );
    await expect(submitOperation(relay.url, altered)).rejects.toMatchObject({
      relayCode: RelayErrorCode.GroupInvalid,
    });

    // Forged: a move signed by someone who is no moderator (here, no member at all).
    const stranger = Persona.generate('Stranger');
    const forged = signGroupOperation(stranger, {
      groupId: keys.groupId,
      state: before,
      action: {
        case: 'topicMove',
        value: { messageId: hexBytes(message), topicId: new Uint8Array() },
      },
    });
    expect(() => applyGroupOperation(before, forged)).toThrow(
      expect.objectContaining({ code: CoreErrorCode.GroupForbidden }),
    );
    await expect(submitOperation(relay.url, forged)).rejects.toMatchObject({
      relayCode: RelayErrorCode.GroupForbidden,
    });
    // Nothing changed: the log is as it was, and the message stays where the moderator put it.
    expect((await fetchGroupState(relay.url, keys)).length).toBe(before.length);
    await owner.sync();
    expect((await topicsByText(ada))['a quiet prayer']).not.toBe('');
  });
});

function hexBytes(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

function decodeTopicIdOf(signed: Uint8Array): Uint8Array {
  const action = decodeGroupOperation(signed).action;
  if (action.case !== 'topicMove') throw new Error('not a move');
  return action.value.topicId;
}

/** Where `needle` last occurs in `haystack`. */
function findLast(haystack: Uint8Array, needle: Uint8Array): number {
  for (let at = haystack.length - needle.length; at >= 0; at--) {
    if (needle.every((byte, n) => haystack[at + n] === byte)) return at;
  }
  throw new Error('not found');
}
