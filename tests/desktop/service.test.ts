import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreErrorCode } from '../../core/index.js';
import type { DesktopService } from '../../desktop/main/DesktopService.main.js';
import type { AppEvent, ConversationId } from '../../desktop/shared/api.std.js';
import { DesktopErrorCode } from '../../desktop/shared/api.std.js';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay, waitFor } from '../integration/helpers.js';
import { ObservingSocksProxy } from '../integration/ObservingSocksProxy.js';
import { EventLog, PASSPHRASE, call, callError, newService } from './desktopHelpers.js';
import { wordsIn } from '../../desktop/main/notificationText.main.js';
import type { NotificationAbout } from '../../desktop/shared/api.std.js';
import { notificationWords } from '../../desktop/shared/i18n/notificationWords.std.js';

/** A notification as the window words it in English. */
const englishNotification = (about: NotificationAbout) => notificationWords(wordsIn('en'), about);

const dirs = new TempDirs();
let relay: RunningRelay;
const services: DesktopService[] = [];

async function service(options: { idleMinuteMs?: number; home?: string } = {}) {
  const made = await newService(dirs, relay.url, options);
  services.push(made);
  return made;
}

async function firstRun(target: DesktopService, pseudonym: string): Promise<void> {
  const state = await call(target, 'app.create', {
    pseudonym,
    passphrase: PASSPHRASE,
    relayUrl: relay.url,
  });
  expect(state).toMatchObject({ phase: 'unlocked', pseudonym, relayUrl: relay.url });
}

const changed = (id: ConversationId) => (event: AppEvent) =>
  event.type === 'changed' && event.conversationIds.includes(id);

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
  await relay.close();
  await dirs.cleanup();
});

describe('two desktop services through a real relay', () => {
  let ada: DesktopService;
  let ben: DesktopService;
  let adaEvents: EventLog;
  let benEvents: EventLog;
  let adaSideId: ConversationId;
  let benSideId: ConversationId;

  it('first run makes the vault, registers, and connects', async () => {
    ada = await service();
    ben = await service();
    adaEvents = new EventLog(ada);
    benEvents = new EventLog(ben);
    expect((await call(ada, 'app.state', {})).phase).toBe('first-run');
    await firstRun(ada, 'Ada');
    await firstRun(ben, 'Ben');
    await adaEvents.waitFor('ada online', (e) => e.type === 'connection' && e.online);
    expect((await call(ada, 'app.state', {})).online).toBe(true);
    const personas = await call(ada, 'personas.list', {});
    expect(personas).toHaveLength(1);
    expect(personas[0]).toMatchObject({ pseudonym: 'Ada', main: true, groups: [] });
    const again = await callError(ada, {
      method: 'app.create',
      args: { pseudonym: 'Ada', passphrase: PASSPHRASE, relayUrl: relay.url },
    });
    expect(again.code).toBe(DesktopErrorCode.WrongPhase);
  });

  it('invite → add contact → send: the other side gets `changed` and sees the message', async () => {
    const invite = await call(ada, 'contacts.createInvite', { maxUses: 1, expiresInHours: 24 });
    expect(invite.link).toMatch(/^kindred:contact\//u);
    expect(invite.expiresAt).toBeGreaterThan(Date.now());
    const contact = await call(ben, 'contacts.add', { link: invite.link, alias: 'ada' });
    expect(contact).toMatchObject({ alias: 'ada', pseudonym: 'Ada', verified: false });
    benSideId = contact.conversationId;
    expect(benSideId).toMatch(/^c:[0-9a-f-]{36}:[0-9a-f-]{36}$/u);
    await benEvents.waitFor('lists-changed', (e) => e.type === 'lists-changed');

    // Ada learns of Ben through his introduction.
    await adaEvents.waitFor('ben as a contact', (e) => e.type === 'lists-changed');
    const adaContacts = await call(ada, 'contacts.list', {});
    expect(adaContacts).toHaveLength(1);
    adaSideId = adaContacts[0]?.conversationId ?? '';

    const sent = await call(ben, 'conversations.send', {
      conversationId: benSideId,
      text: 'hello Ada',
    });
    expect(sent).toMatchObject({
      kind: 'message',
      text: 'hello Ada',
      author: { name: 'Ben', self: true },
      reactions: [],
      deleted: false,
    });
    expect(sent.id).toMatch(/^[0-9a-f]{32}$/u);
    await adaEvents.waitFor('the message', changed(adaSideId));
    await waitFor(
      async () =>
        (await call(ada, 'conversations.messages', { conversationId: adaSideId })).some(
          (m) => m.text === 'hello Ada',
        ),
      15_000,
      'the message at Ada',
    );
    const atAda = await call(ada, 'conversations.messages', { conversationId: adaSideId });
    expect(atAda.find((m) => m.text === 'hello Ada')).toMatchObject({
      id: sent.id,
      author: { name: 'Ben', self: false },
      delivery: 'received',
    });
    // A notification, without the text (the default).
    const notify = await adaEvents.waitFor('a notification', (e) => e.type === 'notify');
    expect(notify).toStrictEqual({
      type: 'notify',
      conversationId: adaSideId,
      about: { kind: 'message', from: 'Ben' },
    });
    expect(notify.type === 'notify' && englishNotification(notify.about)).toStrictEqual({
      title: 'Ben',
      body: '',
    });
    // Ben's copy becomes `sent` once the relay has it.
    await waitFor(
      async () =>
        (await call(ben, 'conversations.messages', { conversationId: benSideId })).some(
          (m) => m.id === sent.id && (m.delivery === 'sent' || m.delivery === 'delivered'),
        ),
      15_000,
      'sent',
    );
  });

  it('counts unread messages until they are marked read', async () => {
    const list = await call(ada, 'conversations.list', {});
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id: adaSideId,
      kind: 'contact',
      title: 'Ben',
      unread: 1,
      preview: 'hello Ada',
      verified: false,
    });
    expect(list[0]?.persona.pseudonym).toBe('Ada');
    await call(ada, 'conversations.markRead', { conversationId: adaSideId });
    expect((await call(ada, 'conversations.list', {}))[0]?.unread).toBe(0);
  });

  it('replies and reactions reach the other side', async () => {
    const [original] = await call(ada, 'conversations.messages', { conversationId: adaSideId });
    if (original === undefined) throw new Error('no message');
    const reply = await call(ada, 'conversations.send', {
      conversationId: adaSideId,
      text: 'hi Ben',
      replyTo: original.id,
    });
    expect(reply.replyTo).toStrictEqual({
      id: original.id,
      author: 'Ben',
      text: 'hello Ada',
      self: false,
    });
    await waitFor(
      async () =>
        (await call(ben, 'conversations.messages', { conversationId: benSideId })).some(
          (m) => m.id === reply.id && m.replyTo?.id === original.id,
        ),
      15_000,
      'the reply at Ben',
    );
    await call(ben, 'conversations.react', {
      conversationId: benSideId,
      messageId: reply.id,
      emoji: '💜',
    });
    const atBen = await call(ben, 'conversations.messages', { conversationId: benSideId });
    // Ben reads Ada's reply as a reply to him: "Replying to you".
    expect(atBen.find((m) => m.id === reply.id)?.replyTo).toMatchObject({ self: true });
    expect(atBen.find((m) => m.id === reply.id)?.reactions).toStrictEqual([
      { emoji: '💜', count: 1, mine: true },
    ]);
    await adaEvents.waitFor('the reaction', changed(adaSideId));
    await waitFor(
      async () => {
        const views = await call(ada, 'conversations.messages', { conversationId: adaSideId });
        const mine = views.find((m) => m.id === reply.id);
        return mine?.reactions.some((r) => r.emoji === '💜' && r.count === 1 && !r.mine) === true;
      },
      15_000,
      'the reaction at Ada',
    );
    // Taking it back.
    await call(ben, 'conversations.react', {
      conversationId: benSideId,
      messageId: reply.id,
      emoji: '💜',
      remove: true,
    });
    await waitFor(
      async () => {
        const views = await call(ada, 'conversations.messages', { conversationId: adaSideId });
        return views.find((m) => m.id === reply.id)?.reactions.length === 0;
      },
      15_000,
      'the reaction taken back at Ada',
    );
  });

  it('safety numbers: twelve groups of five, verified only with the right digits', async () => {
    const number = await call(ada, 'contacts.safetyNumber', { conversationId: adaSideId });
    expect(number.digits).toMatch(/^\d{5}( \d{5}){11}$/u);
    expect(number.verified).toBe(false);
    const wrong = await callError(ada, {
      method: 'contacts.verify',
      args: { conversationId: adaSideId, digits: '1'.repeat(60) },
    });
    expect(wrong.code).toBe(CoreErrorCode.SafetyNumberMismatch);
    const verified = await call(ada, 'contacts.verify', {
      conversationId: adaSideId,
      digits: number.digits,
    });
    expect(verified.verified).toBe(true);
    expect((await call(ada, 'conversations.list', {}))[0]?.verified).toBe(true);
  });

  it('blocking a contact revokes its key: what it sends is refused, and Ada writes nothing', async () => {
    const blocked = await call(ada, 'contacts.setBlocked', {
      conversationId: adaSideId,
      blocked: true,
    });
    expect(blocked.blocked).toBe(true);
    expect((await call(ada, 'contacts.list', {}))[0]?.blocked).toBe(true);
    const refused = await callError(ada, {
      method: 'conversations.send',
      args: { conversationId: adaSideId, text: 'hello?' },
    });
    expect(refused.code).toBe(CoreErrorCode.ContactBlocked);
    const unblocked = await call(ada, 'contacts.setBlocked', {
      conversationId: adaSideId,
      blocked: false,
    });
    expect(unblocked.blocked).toBe(false);
  });

  it('refuses conversation ids that name nothing here', async () => {
    for (const conversationId of [
      'x:1',
      'c:nope',
      `c:${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}:${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`,
      `g:${'a'.repeat(32)}`,
      benSideId, // Ben's id for the chat is not Ada's
    ]) {
      const error = await callError(ada, {
        method: 'conversations.messages',
        args: { conversationId },
      });
      expect(error.code).toBe(DesktopErrorCode.NoSuchConversation);
    }
  });

  it('groups: created under a fresh persona, joined by invite, messages reach members', async () => {
    const group = await call(ada, 'groups.create', {
      name: 'Rare-1 circle',
      description: 'for people with Rare-1',
      rules: 'be kind',
      joinByApproval: false,
      slowModeSeconds: 0,
      persona: 'fresh',
      pseudonym: 'Ada in circle',
    });
    expect(group).toMatchObject({
      name: 'Rare-1 circle',
      status: 'active',
      role: 'owner',
      members: 1,
      persona: { pseudonym: 'Ada in circle' },
      pinned: [],
    });
    expect(group.conversationId).toBe(`g:${group.groupId}`);
    const personas = await call(ada, 'personas.list', {});
    expect(personas).toHaveLength(2);
    expect(personas.find((p) => !p.main)?.groups).toStrictEqual(['Rare-1 circle']);

    const invite = await call(ada, 'groups.invite', {
      conversationId: group.conversationId,
      maxUses: 5,
      expiresInHours: 24,
    });
    const joined = await call(ben, 'groups.join', {
      link: invite.link,
      persona: 'fresh',
      pseudonym: 'Ben in circle',
    });
    expect(joined).toMatchObject({ groupId: group.groupId, status: 'active', role: 'member' });
    // Joining again is refused whichever persona asks: the one in it, or the main one by address.
    const bensPersonas = await call(ben, 'personas.list', {});
    for (const persona of bensPersonas) {
      const again = await callError(ben, {
        method: 'groups.join',
        args: { link: invite.link, persona: persona.address },
      });
      expect(again.code).toBe(CoreErrorCode.InvalidInput);
    }
    expect(await call(ben, 'personas.list', {})).toHaveLength(bensPersonas.length);

    const post = await call(ben, 'conversations.send', {
      conversationId: group.conversationId,
      text: 'hello, circle',
    });
    expect(post.author).toMatchObject({ name: 'Ben in circle', self: true });
    await adaEvents.waitFor('the group message', changed(group.conversationId));
    await waitFor(
      async () =>
        (await call(ada, 'conversations.messages', { conversationId: group.conversationId })).some(
          (m) => m.kind === 'message' && m.text === 'hello, circle' && !m.author.self,
        ),
      15_000,
      'the group message at Ada',
    );
    // The notification never names the group (its name says what its members live with).
    const groupNotice = await adaEvents.waitFor(
      'the group notification',
      (e) => e.type === 'notify' && e.conversationId === group.conversationId,
    );
    expect(groupNotice).toStrictEqual({
      type: 'notify',
      conversationId: group.conversationId,
      about: { kind: 'group-message', from: 'Ben in circle' },
    });
    expect(groupNotice.type === 'notify' && englishNotification(groupNotice.about)).toStrictEqual({
      title: 'New group message',
      body: '',
    });

    const views = await call(ada, 'conversations.messages', {
      conversationId: group.conversationId,
    });
    // Moderation notices are woven in: the creation, Ben's join.
    expect(views.filter((m) => m.kind === 'notice').map((m) => m.notice)).toEqual(
      expect.arrayContaining([
        { kind: 'operation', action: 'create', actor: 'Ada in circle', reason: '' },
      ]),
    );
    const summary = (await call(ada, 'conversations.list', {})).find(
      (c) => c.id === group.conversationId,
    );
    expect(summary).toMatchObject({ kind: 'group', title: 'Rare-1 circle', unread: 1 });

    // A reply and a reaction in the group.
    const post2 = views.find((m) => m.text === 'hello, circle');
    if (post2 === undefined) throw new Error('no post');
    const reply = await call(ada, 'conversations.send', {
      conversationId: group.conversationId,
      text: 'welcome',
      replyTo: post2.id,
    });
    expect(reply.replyTo).toStrictEqual({
      id: post2.id,
      author: 'Ben in circle',
      text: 'hello, circle',
      self: false,
    });
    await call(ada, 'conversations.react', {
      conversationId: group.conversationId,
      messageId: post2.id,
      emoji: '🌷',
    });
    await waitFor(
      async () => {
        const atBen = await call(ben, 'conversations.messages', {
          conversationId: group.conversationId,
        });
        const theirs = atBen.find((m) => m.id === post2.id);
        return (
          theirs?.reactions.some((r) => r.emoji === '🌷' && r.count === 1 && !r.mine) === true &&
          atBen.some((m) => m.id === reply.id && m.replyTo?.id === post2.id)
        );
      },
      15_000,
      'the group reaction and reply at Ben',
    );

    const members = await call(ada, 'groups.members', { conversationId: group.conversationId });
    expect(members.map((m) => [m.pseudonym, m.role])).toStrictEqual([
      ['Ada in circle', 'owner'],
      ['Ben in circle', 'member'],
    ]);
    const ben2 = members.find((m) => m.pseudonym === 'Ben in circle');
    if (ben2 === undefined) throw new Error('no Ben');
    await call(ada, 'groups.moderate', {
      conversationId: group.conversationId,
      action: 'mute',
      member: ben2.address,
      reason: 'cool down',
    });
    const log = await call(ada, 'groups.log', { conversationId: group.conversationId });
    expect(log.at(-1)).toMatchObject({
      action: 'mute',
      actor: 'Ada in circle',
      target: 'Ben in circle',
      reason: 'cool down',
    });
    await waitFor(
      async () => {
        const refused = await callError(ben, {
          method: 'conversations.send',
          args: { conversationId: group.conversationId, text: 'still here' },
        });
        return refused.code === CoreErrorCode.GroupMuted;
      },
      15_000,
      'Ben muted',
    );
  });

  it('group notifications never name the group, not even with the text shown', async () => {
    // Ben was muted above, so Ada writes and Ben is notified.
    const group = (await call(ben, 'conversations.list', {})).find((c) => c.kind === 'group');
    if (group === undefined) throw new Error('no group');
    await call(ben, 'settings.update', { notifications: { enabled: true, showText: true } });
    await call(ada, 'conversations.send', {
      conversationId: group.id,
      text: 'anyone else on the trial?',
    });
    const withText = await benEvents.waitFor(
      'the group notification with text',
      (e) => e.type === 'notify' && e.about.kind === 'group-message' && e.about.text !== undefined,
    );
    expect(withText).toStrictEqual({
      type: 'notify',
      conversationId: group.id,
      about: { kind: 'group-message', from: 'Ada in circle', text: 'anyone else on the trial?' },
    });
    expect(withText.type === 'notify' && englishNotification(withText.about)).toStrictEqual({
      title: 'New group message',
      body: 'Ada in circle: anyone else on the trial?',
    });
    const notices = [...adaEvents.events, ...benEvents.events].filter((e) => e.type === 'notify');
    expect(notices.length).toBeGreaterThan(2);
    expect(notices.filter((e) => JSON.stringify(e).includes('Rare-1'))).toStrictEqual([]);
    await call(ben, 'settings.update', { notifications: { enabled: true, showText: false } });
  });

  it('groups: resetting invite links stops every earlier link', async () => {
    const group = await call(ada, 'groups.create', {
      name: 'Reset circle',
      description: '',
      rules: '',
      joinByApproval: false,
      slowModeSeconds: 0,
      persona: 'fresh',
      pseudonym: 'Ada resets',
    });
    expect(group.waitingForKey).toBe(false);
    const invite = await call(ada, 'groups.invite', {
      conversationId: group.conversationId,
      maxUses: 5,
      expiresInHours: 24,
    });
    expect(await call(ada, 'groups.resetInvites', { conversationId: group.conversationId })).toBe(
      null,
    );
    const refused = await callError(ben, {
      method: 'groups.join',
      args: { link: invite.link, persona: 'fresh', pseudonym: 'Ben too late' },
    });
    expect(refused.code).toBe(CoreErrorCode.GroupInviteInvalid);
    const log = await call(ada, 'groups.log', { conversationId: group.conversationId });
    expect(log.at(-1)?.action).toBe('rotateEpoch');
  });
});

describe('lock and unlock', () => {
  it('locks on demand, refuses a wrong passphrase, and keeps settings and read markers', async () => {
    const home = await dirs.make('desktop-lock');
    const cleo = await service({ home });
    const events = new EventLog(cleo);
    await firstRun(cleo, 'Cleo');
    await call(cleo, 'settings.update', { notifications: { enabled: true, showText: true } });

    const locked = await call(cleo, 'app.lock', {});
    expect(locked).toMatchObject({ phase: 'locked', online: false });
    expect(locked.pseudonym).toBeUndefined();
    await events.waitFor('locked', (e) => e.type === 'locked');
    expect((await callError(cleo, { method: 'personas.list', args: {} })).code).toBe(
      DesktopErrorCode.Locked,
    );
    const wrong = await callError(cleo, {
      method: 'app.unlock',
      args: { passphrase: 'not the passphrase' },
    });
    expect(wrong.code).toBe(CoreErrorCode.WrongPassphrase);
    expect((await call(cleo, 'app.state', {})).phase).toBe('locked');

    const unlocked = await call(cleo, 'app.unlock', { passphrase: PASSPHRASE });
    expect(unlocked).toMatchObject({
      phase: 'unlocked',
      pseudonym: 'Cleo',
      notifications: { enabled: true, showText: true },
    });

    // Passphrase change: the old one stops working, the new one opens the vault.
    const weak = await callError(cleo, {
      method: 'settings.changePassphrase',
      args: { current: PASSPHRASE, next: 'x' },
    });
    expect(weak.code).toBe(CoreErrorCode.WeakPassphrase);
    await call(cleo, 'settings.changePassphrase', {
      current: PASSPHRASE,
      next: 'a brand new passphrase',
    });
    await call(cleo, 'app.quickExit', {});
    expect((await call(cleo, 'app.state', {})).phase).toBe('locked');
    expect(
      (await callError(cleo, { method: 'app.unlock', args: { passphrase: PASSPHRASE } })).code,
    ).toBe(CoreErrorCode.WrongPassphrase);
    await call(cleo, 'app.unlock', { passphrase: 'a brand new passphrase' });

    // A second service on the same folder sees a locked vault (one vault, one service at a time).
    await cleo.close();
    const again = await service({ home });
    expect((await call(again, 'app.state', {})).phase).toBe('locked');
  });

  it('locks by itself after the idle time; 0 minutes never locks', async () => {
    // One "minute" is 100 ms here.
    const dana = await service({ idleMinuteMs: 100 });
    const events = new EventLog(dana);
    await firstRun(dana, 'Dana');
    const state = await call(dana, 'settings.update', { idleLockMinutes: 1 });
    expect(state.idleLockMinutes).toBe(1);
    await call(dana, 'app.activity', {});
    await events.waitFor('idle lock', (e) => e.type === 'locked');
    expect((await call(dana, 'app.state', {})).phase).toBe('locked');

    // 0 never locks: unlock, switch it off, and the vault stays open past the old timeout.
    await call(dana, 'app.unlock', { passphrase: PASSPHRASE });
    expect((await call(dana, 'app.state', {})).idleLockMinutes).toBe(1);
    await call(dana, 'settings.update', { idleLockMinutes: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await call(dana, 'app.state', {})).phase).toBe('unlocked');
  });

  it('unlocks while the relay is away, and connects once it is back', async () => {
    const own = await startTestRelay(dirs);
    const port = new URL(own.url).port;
    const gus = await newService(dirs, own.url);
    services.push(gus);
    const events = new EventLog(gus);
    await call(gus, 'app.create', { pseudonym: 'Gus', passphrase: PASSPHRASE, relayUrl: own.url });
    await call(gus, 'app.lock', {});
    await own.close();

    const offline = await call(gus, 'app.unlock', { passphrase: PASSPHRASE });
    expect(offline).toMatchObject({ phase: 'unlocked', online: false });
    expect(await call(gus, 'conversations.list', {})).toStrictEqual([]);

    events.events.length = 0;
    const back = await startTestRelay(dirs, { dataDir: own.dataDir, port: Number(port) });
    try {
      await events.waitFor('online again', (e) => e.type === 'connection' && e.online, 30_000);
      expect((await call(gus, 'app.state', {})).online).toBe(true);
    } finally {
      await gus.close();
      await back.close();
    }
  });
});

describe('the proxy setting', () => {
  it('keeps a SOCKS5 proxy in the vault, connects through it after unlock, and clears it', async () => {
    const observer = await ObservingSocksProxy.start();
    try {
      const home = await dirs.make('desktop-proxy');
      const fay = await service({ home });
      await firstRun(fay, 'Fay');
      expect((await call(fay, 'app.state', {})).proxy).toBe('');
      const bad = await callError(fay, {
        method: 'settings.update',
        args: { proxy: 'http://127.0.0.1:8080' },
      });
      expect(bad.code).toBe(CoreErrorCode.InvalidInput);
      const set = await call(fay, 'settings.update', { proxy: observer.url });
      expect(set.proxy).toBe(observer.url);
      await waitFor(
        () =>
          Promise.resolve(
            observer.connections.some((c) => c.frames.some((f) => f.kind === 'auth')),
          ),
        15_000,
        'the persona to reconnect through the proxy',
      );

      await call(fay, 'app.lock', {});
      const before = observer.connections.length;
      const unlocked = await call(fay, 'app.unlock', { passphrase: PASSPHRASE });
      expect(unlocked.proxy).toBe(observer.url);
      await waitFor(
        () =>
          Promise.resolve(
            observer.connections.slice(before).some((c) => c.frames.some((f) => f.kind === 'auth')),
          ),
        15_000,
        'the unlocked vault to connect through the proxy',
      );

      const cleared = await call(fay, 'settings.update', { proxy: '' });
      expect(cleared.proxy).toBe('');
    } finally {
      await observer.close();
    }
  });
});
