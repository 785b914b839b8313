import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type {
  GroupHandle,
  GroupMessage,
  HistoryMessage,
  KindredClient,
  KindredClientEmits,
} from '../../core/client/index.js';
import {
  CoreErrorCode,
  KindredClient as Client,
  PersonaDirectory,
  Vault,
  encodeContent,
  fromHex,
  toHex,
} from '../../core/client/index.js';
import { PersonaState } from '../../core/client/PersonaState.js';
import type { RunningRelay } from '../../server/index.js';
import { GroupTestClients, messageIdOf, textsOf } from './groupHelpers.js';
import { RelayProxy } from './RelayProxy.js';
import {
  PASSPHRASE,
  TEST_CLIENT_OPTIONS,
  TempDirs,
  connectPair,
  messagesOf,
  newClient,
  startTestRelay,
  waitFor,
} from './helpers.js';

const dirs = new TempDirs();
let relay: RunningRelay;
const open = new Set<KindredClient>();

/** A started client in a home folder of its own (kept, so it can be closed and opened again). */
async function client(name: string): Promise<{ client: KindredClient; home: string }> {
  const home = await dirs.make('home');
  const made = await newClient(dirs, relay.url, name, { home });
  open.add(made);
  await made.start({ receive: true });
  return { client: made, home };
}

async function reopen(home: string): Promise<KindredClient> {
  const made = await Client.open({ home, passphrase: PASSPHRASE, ...TEST_CLIENT_OPTIONS });
  open.add(made);
  return made;
}

async function close(made: KindredClient): Promise<void> {
  open.delete(made);
  await made.close();
}

/** Events of one kind, as they come. */
function collect<K extends keyof KindredClientEmits>(
  made: KindredClient,
  event: K,
): KindredClientEmits[K][] {
  const seen: KindredClientEmits[K][] = [];
  made.on(event, (value) => {
    seen.push(value);
  });
  return seen;
}

async function messageWithId(
  made: KindredClient,
  contact: string,
  messageId: Uint8Array,
): Promise<HistoryMessage | undefined> {
  return messagesOf(await made.messages(contact)).find(
    (m) => toHex(m.messageId) === toHex(messageId),
  );
}

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await Promise.all([...open].map((c) => c.close()));
  await relay.close();
  await dirs.cleanup();
});

describe('1:1 replies and reactions through a real relay', () => {
  it('a reply names the message it answers, on both sides', async () => {
    const { client: ada } = await client('Ada');
    const { client: ben } = await client('Ben');
    await connectPair(ada, ben, { aliasForA: 'ada' });

    const question = await ben.send('ada', 'how was the appointment?');
    await ben.flushOutbox(10_000);
    await waitFor(
      async () => (await messageWithId(ada, ben.address, question.messageId)) !== undefined,
      10_000,
      'the question',
    );
    const answer = await ada.send(ben.address, 'better than feared', {
      replyTo: question.messageId,
    });
    expect(answer.replyTo).toStrictEqual(question.messageId);
    await ada.flushOutbox(10_000);
    await waitFor(
      async () => (await messageWithId(ben, 'ada', answer.messageId)) !== undefined,
      10_000,
      'the answer',
    );
    const atBen = await messageWithId(ben, 'ada', answer.messageId);
    expect(atBen?.replyTo).toStrictEqual(question.messageId);
    expect(atBen?.text).toBe('better than feared');
    // A message that is not a reply has no replyTo at all.
    expect(await messageWithId(ada, ben.address, question.messageId)).not.toHaveProperty('replyTo');

    await expect(ada.send(ben.address, 'x', { replyTo: new Uint8Array(15) })).rejects.toMatchObject(
      { code: CoreErrorCode.InvalidInput },
    );
    await expect(
      ada.send(ben.address, 'x', { replyTo: new Uint8Array(16).fill(7) }),
    ).rejects.toMatchObject({ code: CoreErrorCode.MessageNotFound });
  });

  it('reactions arrive, replace each other, and are taken back', async () => {
    const { client: ada } = await client('Ada');
    const { client: ben } = await client('Ben');
    await connectPair(ada, ben, { aliasForA: 'ada' });
    const atBen = collect(ben, 'reaction');
    const atAda = collect(ada, 'reaction');

    const news = await ben.send('ada', 'the new trial accepted me');
    await ben.flushOutbox(10_000);
    await waitFor(
      async () => (await messageWithId(ada, ben.address, news.messageId)) !== undefined,
      10_000,
      'the news',
    );

    const mine = await ada.react(ben.address, news.messageId, '👍');
    expect(mine.reactions).toStrictEqual({ [ada.address]: '👍' });
    await ada.flushOutbox(10_000);
    await waitFor(() => atBen.length === 1, 10_000, 'the first reaction');
    expect(atBen[0]).toMatchObject({
      persona: ben.address,
      from: ada.address,
      emoji: '👍',
      messageId: news.messageId,
    });
    expect(atBen[0]?.contact.address).toBe(ada.address);
    expect((await messageWithId(ben, 'ada', news.messageId))?.reactions).toStrictEqual({
      [ada.address]: '👍',
    });

    // One reaction per person: a new one replaces it; Ben's own sits beside it.
    await ada.react(ben.address, news.messageId, '🎉');
    const benOwn = await ben.react('ada', news.messageId, '🙏');
    expect(benOwn.reactions).toStrictEqual({ [ada.address]: '👍', [ben.address]: '🙏' });
    await Promise.all([ada.flushOutbox(10_000), ben.flushOutbox(10_000)]);
    await waitFor(() => atBen.length === 2 && atAda.length === 1, 10_000, 'the second round');
    expect((await messageWithId(ben, 'ada', news.messageId))?.reactions).toStrictEqual({
      [ada.address]: '🎉',
      [ben.address]: '🙏',
    });
    expect((await messageWithId(ada, ben.address, news.messageId))?.reactions).toStrictEqual({
      [ada.address]: '🎉',
      [ben.address]: '🙏',
    });

    // Taking it back.
    await ada.react(ben.address, news.messageId, '');
    await ada.flushOutbox(10_000);
    await waitFor(() => atBen.length === 3, 10_000, 'the withdrawal');
    expect(atBen[2]?.emoji).toBe('');
    expect((await messageWithId(ben, 'ada', news.messageId))?.reactions).toStrictEqual({
      [ben.address]: '🙏',
    });
    // Reactions take sequence numbers like texts, and none of them shows as a gap.
    await ada.send(ben.address, 'so glad');
    await ada.flushOutbox(10_000);
    await waitFor(
      async () => messagesOf(await ben.messages('ada')).some((m) => m.text === 'so glad'),
      10_000,
      'the text after the reactions',
    );
    expect((await ben.messages('ada')).some((e) => e.kind === 'gap')).toBe(false);
  });

  it('refuses malformed reactions with coded errors, and sends nothing', async () => {
    const { client: ada } = await client('Ada');
    const { client: ben } = await client('Ben');
    await connectPair(ada, ben, { aliasForA: 'ada' });
    const hello = await ada.send(ben.address, 'hello');
    await expect(ada.react(ben.address, new Uint8Array(15), '👍')).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInput,
    });
    // Exactly one emoji: letters, two emoji, an emoji with words, control characters are not.
    for (const emoji of [
      'x'.repeat(17),
      'x'.repeat(16),
      'a\u0007',
      '\ud83d',
      '👍👍',
      '👍 yes',
      'ok',
    ]) {
      await expect(ada.react(ben.address, hello.messageId, emoji)).rejects.toMatchObject({
        code: CoreErrorCode.ReactionNotEmoji,
      });
    }
    await expect(ada.react(ben.address, new Uint8Array(16), '👍')).rejects.toMatchObject({
      code: CoreErrorCode.MessageNotFound,
    });
    await expect(ada.react('nobody', hello.messageId, '👍')).rejects.toMatchObject({
      code: CoreErrorCode.ContactNotFound,
    });
    // Sixteen code units is the most: a family of four is eleven.
    const family = '👨‍👩‍👧‍👦';
    expect((await ada.react(ben.address, hello.messageId, family)).reactions).toStrictEqual({
      [ada.address]: family,
    });
    // Any single emoji of the full set: a flag, a keycap, a skin tone.
    for (const emoji of ['🇫🇷', '1️⃣', '👋🏽']) {
      expect((await ada.react(ben.address, hello.messageId, emoji)).reactions).toStrictEqual({
        [ada.address]: emoji,
      });
    }
  });

  it('a reaction made while the contact is offline reaches them when they come back', async () => {
    const { client: ada } = await client('Ada');
    const { client: ben, home: benHome } = await client('Ben');
    await connectPair(ada, ben, { aliasForA: 'ada' });
    const note = await ada.send(ben.address, 'I will be offline a while');
    await ada.flushOutbox(10_000);
    await waitFor(
      async () => (await messageWithId(ben, 'ada', note.messageId)) !== undefined,
      10_000,
      'the note',
    );
    await close(ben);

    // Ada reacts to her own note while Ben is away; her outbox keeps it until the relay has it.
    const reacted = await ada.react(ben.address, note.messageId, '💙');
    expect(reacted.reactions).toStrictEqual({ [ada.address]: '💙' });
    await ada.flushOutbox(10_000);

    const back = await reopen(benHome);
    const seen = collect(back, 'reaction');
    await back.start({ receive: true });
    await waitFor(() => seen.length === 1, 10_000, 'the reaction that waited');
    expect(seen[0]).toMatchObject({ from: ada.address, emoji: '💙' });
    expect((await messageWithId(back, 'ada', note.messageId))?.reactions).toStrictEqual({
      [ada.address]: '💙',
    });
  });

  it('drops a reaction to an unknown message or with a bad emoji, without a false gap', async () => {
    const { client: ada, home: adaHome } = await client('Ada');
    const { client: ben } = await client('Ben');
    await connectPair(ada, ben, { aliasForA: 'ada' });
    const dropped = collect(ben, 'dropped');
    const reactions = collect(ben, 'reaction');
    const hello = await ada.send(ben.address, 'hello');
    await ada.flushOutbox(10_000);
    await close(ada);

    // A modified client queues what the real one refuses to: its own vault, its own outbox.
    await queueRawReactions(adaHome, ben.address, [
      { messageId: new Uint8Array(16).fill(9), emoji: '👍' },
      { messageId: hello.messageId, emoji: 'x'.repeat(17) },
      { messageId: hello.messageId, emoji: 'a\nb' },
      { messageId: new Uint8Array(8), emoji: '👍' },
    ]);
    const again = await reopen(adaHome);
    await again.start({ receive: true });
    await again.flushOutbox(10_000);
    await again.send(ben.address, 'after the odd ones');
    await again.flushOutbox(10_000);
    await waitFor(
      async () =>
        messagesOf(await ben.messages('ada')).some((m) => m.text === 'after the odd ones'),
      10_000,
      'the text after',
    );
    expect(dropped.map((d) => d.reason)).toStrictEqual([
      'reaction to an unknown message',
      'malformed reaction',
      'malformed reaction',
      'malformed reaction',
    ]);
    expect(reactions).toHaveLength(0);
    expect((await messageWithId(ben, 'ada', hello.messageId))?.reactions).toBeUndefined();
    expect((await ben.messages('ada')).some((e) => e.kind === 'gap')).toBe(false);
  });
});

/** Puts Reaction contents into the closed vault's outbox, as a client that skips the checks. */
async function queueRawReactions(
  home: string,
  recipient: string,
  reactions: readonly { messageId: Uint8Array; emoji: string }[],
): Promise<void> {
  const vault = await Vault.open(home, PASSPHRASE);
  try {
    const directory = new PersonaDirectory(vault);
    const persona = await directory.selected();
    if (persona === undefined) throw new Error('no persona');
    const state = new PersonaState(persona, directory.dataFor(persona.address));
    await state.transact(async () => {
      for (const [n, reaction] of reactions.entries()) {
        const sequence = await state.history.takeOutgoingSequence(recipient);
        const messageId = new Uint8Array(16).fill(0xa0 + n);
        const { bytes } = encodeContent({
          messageId,
          sequence,
          sentAt: Date.now(),
          // The wire form by hand: the body codec's encoder would carry these too, but this
          // shows plainly that nothing checked them.
          body: { case: 'message', value: { kind: { case: 'reaction', value: reaction } } },
        });
        await state.outbox.put({
          messageId,
          recipient,
          sequence,
          content: bytes,
          enqueuedAt: Date.now(),
        });
      }
    });
    await vault.flush();
  } finally {
    await vault.lock();
  }
}

describe('group reactions through a real relay', () => {
  /** A group of three (owner, Ana, Bo) where Ana has posted `text`, seen by everyone. */
  async function threeWithAPost(
    homes: GroupTestClients,
    text: string,
    options: { slowModeSeconds?: number } = {},
  ): Promise<{
    owner: KindredClient;
    ana: KindredClient;
    bo: KindredClient;
    groups: { owner: GroupHandle; ana: GroupHandle; bo: GroupHandle };
    id: string;
  }> {
    const owner = await homes.add('Olive');
    const ana = await homes.add('Ana');
    const bo = await homes.add('Bo');
    const ownerGroup = await owner.createGroup({
      name: 'Rare-1 circle',
      description: '',
      rules: '',
      ...options,
    });
    const link = await ownerGroup.invite({ maxUses: 5, expiresAt: Date.now() + 3_600_000 });
    const anaGroup = await ana.joinGroup(link);
    const boGroup = await bo.joinGroup(link);
    for (const group of [ownerGroup, anaGroup, boGroup]) {
      await waitFor(async () => (await group.members()).length === 3, 10_000, 'members');
    }
    await anaGroup.send(text);
    await ana.flushOutbox(10_000);
    for (const group of [ownerGroup, boGroup]) {
      await waitFor(async () => (await textsOf(group)).includes(text), 10_000, 'the post');
    }
    const id = await messageIdOf(anaGroup, text);
    return { owner, ana, bo, groups: { owner: ownerGroup, ana: anaGroup, bo: boGroup }, id };
  }

  async function reactionsOn(
    group: GroupHandle,
    id: string,
  ): Promise<GroupMessage['reactions'] | 'missing'> {
    const found = (await group.messages()).find((m) => toHex(m.messageId) === id);
    return found === undefined ? 'missing' : found.reactions;
  }

  it('reach every member, replace each other, are taken back, and wait for the offline', async () => {
    const homes = new GroupTestClients(dirs, relay.url);
    try {
      const { owner, ana, bo, groups, id } = await threeWithAPost(homes, 'my scan came back clear');
      const atOwner = collect(owner, 'groupReaction');
      const atAna = collect(ana, 'groupReaction');

      const mine = await groups.bo.react(id, '🎉');
      expect(mine.reactions).toStrictEqual({ [groups.bo.persona]: '🎉' });
      await bo.flushOutbox(10_000);
      await waitFor(() => atOwner.length === 1 && atAna.length === 1, 10_000, 'the reaction');
      expect(atOwner[0]).toMatchObject({
        persona: groups.owner.persona,
        groupId: groups.owner.id,
        from: groups.bo.persona,
        emoji: '🎉',
      });
      expect(toHex(atOwner[0]?.messageId ?? new Uint8Array(0))).toBe(id);
      expect(await reactionsOn(groups.ana, id)).toStrictEqual({ [groups.bo.persona]: '🎉' });

      // One per member: Bo's new one replaces his old; the owner's sits beside it.
      await groups.bo.react(id, '❤️');
      await groups.owner.react(id, '👍');
      await Promise.all([bo.flushOutbox(10_000), owner.flushOutbox(10_000)]);
      const both = { [groups.bo.persona]: '❤️', [groups.owner.persona]: '👍' };
      for (const group of [groups.ana, groups.bo, groups.owner]) {
        await waitFor(
          async () => sameReactions(await reactionsOn(group, id), both),
          10_000,
          'both reactions',
        );
      }

      // Taken back.
      await groups.bo.react(id, '');
      await bo.flushOutbox(10_000);
      await waitFor(
        async () =>
          sameReactions(await reactionsOn(groups.ana, id), { [groups.owner.persona]: '👍' }),
        10_000,
        'the withdrawal',
      );
      expect(atAna.at(-1)).toMatchObject({ from: groups.bo.persona, emoji: '' });

      // Ana is away while the owner changes theirs; it reaches her when she is back.
      await homes.close(ana);
      await groups.owner.react(id, '💙');
      await owner.flushOutbox(10_000);
      const back = await homes.reopen(ana);
      const backGroup = await back.group(groups.ana.id);
      await waitFor(
        async () =>
          sameReactions(await reactionsOn(backGroup, id), { [groups.owner.persona]: '💙' }),
        10_000,
        'the reaction that waited',
      );
      for (const group of [backGroup, groups.bo, groups.owner]) {
        expect(await group.warnings()).toStrictEqual([]);
      }
    } finally {
      await homes.closeAll();
    }
  }, 60_000);

  it('go through slow mode, but not through a mute or to a missing message', async () => {
    const homes = new GroupTestClients(dirs, relay.url);
    try {
      const { ana, groups, id } = await threeWithAPost(homes, 'first of the hour', {
        slowModeSeconds: 60,
      });
      const refused = collect(ana, 'groupSendFailed');
      // Slow mode holds Ana's next text, not her reactions.
      await expect(groups.ana.send('second too soon')).rejects.toMatchObject({
        code: CoreErrorCode.GroupSlowMode,
      });
      for (const emoji of ['👍', '👌', '🙏']) await groups.ana.react(id, emoji);
      await ana.flushOutbox(10_000);
      expect(refused).toHaveLength(0);
      await waitFor(
        async () => sameReactions(await reactionsOn(groups.bo, id), { [groups.ana.persona]: '🙏' }),
        10_000,
        'the last reaction',
      );

      // Bad input.
      await expect(groups.ana.react('zz', '👍')).rejects.toMatchObject({
        code: CoreErrorCode.InvalidInput,
      });
      await expect(groups.ana.react(id, 'x'.repeat(17))).rejects.toMatchObject({
        code: CoreErrorCode.ReactionNotEmoji,
      });
      await expect(groups.ana.react('00'.repeat(16), '👍')).rejects.toMatchObject({
        code: CoreErrorCode.MessageNotFound,
      });

      // A muted member may not react: refused at her client (the relay refuses it too).
      await groups.owner.mute(groups.bo.persona, Date.now() + 60_000);
      await waitFor(
        async () => (await groups.bo.members()).some((m) => m.self && m.mutedUntil > Date.now()),
        10_000,
        'Bo to see his mute',
      );
      await expect(groups.bo.react(id, '👎')).rejects.toMatchObject({
        code: CoreErrorCode.GroupMuted,
      });

      // A deleted message takes its reactions with it and takes no new ones.
      await groups.owner.deleteMessage(id, 'off topic');
      await expect(groups.owner.react(id, '👍')).rejects.toMatchObject({
        code: CoreErrorCode.MessageNotFound,
      });
      const view = (await groups.owner.messages()).find((m) => toHex(m.messageId) === id);
      expect(view?.deleted).toBe(true);
      expect(view?.reactions).toBeUndefined();
    } finally {
      await homes.closeAll();
    }
  }, 60_000);

  it('members drop a text passed off as a reaction, and reactions they cannot apply', async () => {
    const proxy = await RelayProxy.start(relay.url);
    const homes = new GroupTestClients(dirs, relay.url);
    const cheaters = new GroupTestClients(dirs, proxy.url);
    try {
      const owner = await homes.add('Olive');
      const ownerGroup = await owner.createGroup({
        name: 'Paced',
        description: '',
        rules: '',
        slowModeSeconds: 60,
      });
      const link = await ownerGroup.invite({ maxUses: 2, expiresAt: Date.now() + 3_600_000 });
      const cheater = await cheaters.add('Mallory');
      const cheaterGroup = await cheater.joinGroup(link);
      await waitFor(async () => (await ownerGroup.members()).length === 2, 10_000, 'the join');
      await cheaterGroup.send('a legitimate first post');
      await cheater.flushOutbox(10_000);
      await waitFor(
        async () => (await textsOf(ownerGroup)).includes('a legitimate first post'),
        10_000,
        'the first post',
      );
      const legit = fromHex(await messageIdOf(ownerGroup, 'a legitimate first post'));
      if (legit === undefined) throw new Error('no id');
      const reactions = collect(owner, 'groupReaction');

      // A modified client: it queues what the real one refuses (a text inside the interval,
      // reactions the rules refuse), does not hold the text back, and marks every post a
      // reaction, which the relay takes on its word and so lets through slow mode.
      await cheaters.close(cheater);
      await queueRawGroupPosts(
        cheaters.home(cheater),
        cheaterGroup.persona,
        cheaterGroup.id,
        [
          { text: 'too soon' },
          { reaction: { messageId: new Uint8Array(16).fill(3), emoji: '👍' } },
          { reaction: { messageId: legit, emoji: 'x'.repeat(17) } },
          { reaction: { messageId: legit, emoji: 'a\u0000' } },
          // A good one last: once it shows, everything before it has been dealt with.
          { reaction: { messageId: legit, emoji: '🙂' } },
        ],
        { unpaced: true },
      );
      proxy.rewriteClientFrame = (frame) =>
        frame.body.case === 'postGroupMessage'
          ? { ...frame, body: { ...frame.body, value: { ...frame.body.value, reaction: true } } }
          : frame;
      const back = await cheaters.reopen(cheater);
      await back.flushOutbox(15_000);

      await waitFor(() => reactions.length > 0, 10_000, 'the last reaction');
      expect(reactions.map((r) => r.emoji)).toStrictEqual(['🙂']);
      expect(await reactionsOn(ownerGroup, toHex(legit))).toStrictEqual({
        [cheaterGroup.persona]: '🙂',
      });
      expect(await textsOf(ownerGroup)).toStrictEqual(['a legitimate first post']);
      expect((await ownerGroup.warnings()).map((w) => w.kind)).toStrictEqual(['slow-mode-post']);
    } finally {
      await cheaters.closeAll();
      await homes.closeAll();
      await proxy.close();
    }
  }, 60_000);
});

describe('slow mode, which members now check for themselves', () => {
  it('an honest member’s texts written offline go out an interval apart, and all arrive', async () => {
    const proxy = await RelayProxy.start(relay.url);
    const homes = new GroupTestClients(dirs, relay.url);
    const viaProxy = new GroupTestClients(dirs, proxy.url);
    try {
      let slowModeRefusals = 0;
      proxy.rewriteServerFrame = (frame) => {
        if (frame.body.case === 'error' && frame.body.value.code === 'RELAY_GROUP_SLOW_MODE') {
          slowModeRefusals++;
        }
        return frame;
      };
      // When each text left for the relay: the wall time of the whole flush depends on how soon
      // the client came back (on a busy machine the first text may go before it is measured).
      const posted: number[] = [];
      proxy.rewriteClientFrame = (frame) => {
        if (frame.body.case === 'postGroupMessage') posted.push(Date.now());
        return frame;
      };
      const owner = await homes.add('Olive');
      const ownerGroup = await owner.createGroup({
        name: 'Paced',
        description: '',
        rules: '',
        slowModeSeconds: 1,
      });
      const link = await ownerGroup.invite({ maxUses: 1, expiresAt: Date.now() + 3_600_000 });
      const member = await viaProxy.add('Ana');
      const memberGroup = await member.joinGroup(link);
      await memberGroup.send('one');
      await member.flushOutbox(10_000);
      // Two more written while away (each on its own would have been allowed when written).
      await viaProxy.close(member);
      await queueRawGroupPosts(viaProxy.home(member), memberGroup.persona, memberGroup.id, [
        { text: 'two' },
        { text: 'three' },
      ]);
      const back = await viaProxy.reopen(member);
      await back.flushOutbox(15_000);
      // Each waited out the interval after the one before was acknowledged, so it left at least
      // an interval after the one before left (a few ms allowed for the clock's rounding).
      expect(posted).toHaveLength(3);
      for (let i = 1; i < posted.length; i++) {
        expect((posted[i] ?? 0) - (posted[i - 1] ?? 0)).toBeGreaterThanOrEqual(1_000 - 5);
      }
      await waitFor(
        async () => (await textsOf(ownerGroup)).length === 3,
        10_000,
        'all three texts',
      );
      expect(await textsOf(ownerGroup)).toStrictEqual(['one', 'two', 'three']);
      expect(await ownerGroup.warnings()).toStrictEqual([]);
      expect(slowModeRefusals).toBe(0);
    } finally {
      await viaProxy.closeAll();
      await homes.closeAll();
      await proxy.close();
    }
  }, 60_000);
});

/** Same reactor → emoji pairs, whatever the key order. */
function sameReactions(
  actual: GroupMessage['reactions'] | 'missing',
  expected: Readonly<Record<string, string>>,
): boolean {
  if (actual === undefined || actual === 'missing') return false;
  const entries = (record: Readonly<Record<string, string>>): string =>
    JSON.stringify(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
  return entries(actual) === entries(expected);
}

/** Puts group posts into a closed vault's group outbox, as a client that skips the checks. */
async function queueRawGroupPosts(
  home: string,
  address: string,
  groupIdHex: string,
  posts: readonly (
    | { readonly text: string }
    | { readonly reaction: { readonly messageId: Uint8Array; readonly emoji: string } }
  )[],
  options: { unpaced?: boolean } = {},
): Promise<void> {
  const groupId = fromHex(groupIdHex);
  if (groupId === undefined) throw new Error('bad group id');
  const vault = await Vault.open(home, PASSPHRASE);
  try {
    const directory = new PersonaDirectory(vault);
    const persona = await directory.get(address);
    const state = new PersonaState(persona, directory.dataFor(address));
    await state.transact(async () => {
      let record = await state.groups.require(groupId);
      // The real poster holds a text back until slow mode allows it after the last one acked.
      if (options.unpaced === true) record = { ...record, lastAckedAt: 0 };
      for (const post of posts) {
        const messageId = new Uint8Array(randomBytes(16));
        const sentAt = Date.now();
        const id = record.outboxCount + 1;
        const sequence = record.sequence + 1;
        if ('text' in post) {
          const index = record.messageCount + 1;
          await state.groups.putMessage(groupId, {
            kind: 'message',
            index,
            messageId,
            sender: address,
            author: address,
            sentAt,
            storedAt: sentAt,
            text: post.text,
            outgoing: true,
            status: 'pending',
          });
          await state.groups.putOutbox(groupId, {
            id,
            messageId,
            text: post.text,
            sequence,
            sentAt,
            historyIndex: index,
          });
          record = { ...record, messageCount: index };
        } else {
          await state.groups.putOutbox(groupId, {
            id,
            messageId,
            text: '',
            sequence,
            sentAt,
            historyIndex: 0,
            reaction: post.reaction,
          });
        }
        record = { ...record, outboxCount: id, sequence };
      }
      await state.groups.put(record);
    });
    await vault.flush();
  } finally {
    await vault.lock();
  }
}
