import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreErrorCode } from '../../core/client/index.js';
import type { DesktopService } from '../../desktop/main/DesktopService.main.js';
import { wordsIn } from '../../desktop/main/notificationText.main.js';
import { notificationWords } from '../../desktop/shared/i18n/notificationWords.std.js';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay, waitFor } from '../integration/helpers.js';
import { EventLog, call, callError, onlineService } from './desktopHelpers.js';

/**
 * The window's message-request calls on real services and a real relay: the policy switch and
 * its log entry in words, writing privately (refused while the policy is off), the request shown
 * to the sender as a request with no delivery claimed, the inbox with its notification (no text
 * when text is not to be shown), accept and reply, report reaching the moderator, and block
 * making the relay refuse the sender's next message.
 */

const dirs = new TempDirs();
let relay: RunningRelay;
const services: DesktopService[] = [];

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  for (const service of services) await service.close();
  await relay.close();
  await dirs.cleanup();
});

const WAIT = 30_000;

describe('message requests through the desktop service', () => {
  it('policy, write privately, inbox, accept, report and block', async () => {
    const ada = await onlineService(dirs, relay.url, 'Ada');
    const bo = await onlineService(dirs, relay.url, 'Bo');
    const cy = await onlineService(dirs, relay.url, 'Cy');
    services.push(ada, bo, cy);
    const boEvents = new EventLog(bo);
    // Bo lets notifications show no text: a request's notification names only its sender.
    await call(bo, 'settings.update', { notifications: { enabled: true, showText: false } });

    const group = await call(ada, 'groups.create', {
      name: 'Night owls',
      description: '',
      rules: '',
      joinByApproval: false,
      slowModeSeconds: 0,
      persona: 'fresh',
      pseudonym: 'Ada owl',
    });
    const conversationId = group.conversationId;
    expect(group.policy.membersMessagePrivately).toBe(false);
    const { link } = await call(ada, 'groups.invite', {
      conversationId,
      maxUses: 5,
      expiresInHours: 24,
    });
    await call(bo, 'groups.join', { link, persona: 'fresh', pseudonym: 'Bo owl' });
    await call(cy, 'groups.join', { link, persona: 'fresh', pseudonym: 'Cy owl' });
    const members = async () => {
      await waitFor(
        async () => (await call(ada, 'groups.members', { conversationId })).length === 3,
        WAIT,
        'three members at Ada',
      );
      return call(ada, 'groups.members', { conversationId });
    };
    const addressOf = (list: Awaited<ReturnType<typeof members>>, name: string) => {
      const found = list.find((member) => member.pseudonym === name);
      if (found === undefined) throw new Error(`no member ${name}`);
      return found.address;
    };
    const list = await members();
    const adaAddress = addressOf(list, 'Ada owl');
    const boAddress = addressOf(list, 'Bo owl');

    // Off by default: core refuses, coded and worded.
    const off = await callError(cy, {
      method: 'requests.writePrivately',
      args: { conversationId, member: boAddress, text: 'hi' },
    });
    expect(off.code).toBe(CoreErrorCode.PrivateMessagesOff);
    expect(off.message).toBe('This group does not let members write to each other privately.');

    // The moderator turns it on; the log says so in words of its own.
    const changed = await call(ada, 'groups.setPolicy', {
      conversationId,
      membersMessagePrivately: true,
    });
    expect(changed.policy.membersMessagePrivately).toBe(true);
    const log = await call(ada, 'groups.log', { conversationId });
    expect(log.at(-1)).toMatchObject({ action: 'privateMessagesOn', actor: 'Ada owl' });
    for (const member of [bo, cy]) {
      await waitFor(
        async () =>
          (await call(member, 'groups.details', { conversationId })).policy.membersMessagePrivately,
        WAIT,
        'the policy at a member',
      );
    }

    // Ada writes privately to Bo: her conversation shows a request, and claims no delivery.
    const written = await call(ada, 'requests.writePrivately', {
      conversationId,
      member: boAddress,
      text: 'Would you like to talk?',
    });
    const adaMessages = () =>
      call(ada, 'conversations.messages', { conversationId: written.conversationId });
    await waitFor(
      async () => (await adaMessages()).some((m) => m.delivery === 'sent'),
      WAIT,
      'the request at the relay',
    );
    expect((await adaMessages()).find((m) => m.text === 'Would you like to talk?')).toMatchObject({
      asRequest: true,
      delivery: 'sent',
    });

    // Bo's inbox: who, through which group, what they wrote; a notification without text.
    await waitFor(
      async () => (await call(bo, 'requests.list', {})).length === 1,
      WAIT,
      'the request at Bo',
    );
    const [request] = await call(bo, 'requests.list', {});
    expect(request).toMatchObject({
      from: 'Ada owl',
      fromAddress: adaAddress,
      groupName: 'Night owls',
      groupConversationId: conversationId,
      persona: { pseudonym: 'Bo owl' },
      messages: [{ text: 'Would you like to talk?' }],
    });
    const notice = await boEvents.waitFor(
      'the request notification',
      (e) => e.type === 'notify' && e.about.kind === 'message-request',
    );
    expect(notice.type === 'notify' && notice.about).toStrictEqual({
      kind: 'message-request',
      from: 'Ada owl',
    });
    expect(
      notice.type === 'notify' && notificationWords(wordsIn('en'), notice.about),
    ).toStrictEqual({ title: 'Message request from Ada owl', body: '' });

    // Bo accepts: a conversation with Ada's message in it; Bo replies; Ada sees the reply, and
    // her message is no longer shown as a request.
    if (request === undefined) throw new Error('no request');
    const accepted = await call(bo, 'requests.accept', { requestId: request.id });
    expect(await call(bo, 'requests.list', {})).toStrictEqual([]);
    const boMessages = await call(bo, 'conversations.messages', {
      conversationId: accepted.conversationId,
    });
    expect(boMessages.map((m) => m.text)).toContain('Would you like to talk?');
    await call(bo, 'conversations.send', {
      conversationId: accepted.conversationId,
      text: 'Yes, gladly',
    });
    await waitFor(
      async () => {
        const messages = await adaMessages();
        return (
          messages.some((m) => m.text === 'Yes, gladly' && !m.author.self) &&
          messages.every((m) => m.asRequest !== true)
        );
      },
      WAIT,
      'the reply at Ada, her request accepted',
    );

    // Cy writes to Bo; Bo reports it to the moderators (Ada), then blocks Cy.
    const cyWritten = await call(cy, 'requests.writePrivately', {
      conversationId,
      member: boAddress,
      text: 'Add me elsewhere, now',
    });
    await waitFor(
      async () => (await call(bo, 'requests.list', {})).length === 1,
      WAIT,
      'the request from Cy at Bo',
    );
    const [fromCy] = await call(bo, 'requests.list', {});
    if (fromCy === undefined) throw new Error('no request from Cy');
    expect(fromCy.from).toBe('Cy owl');
    const reported = await call(bo, 'requests.report', {
      requestId: fromCy.id,
      reason: 'pushy',
    });
    expect(reported).toStrictEqual({ sentTo: 1 });
    await waitFor(
      async () =>
        (await call(ada, 'groups.reports', { conversationId })).some(
          (report) => report.text === 'Add me elsewhere, now',
        ),
      WAIT,
      'the report at Ada',
    );
    expect(await call(bo, 'requests.list', {})).toHaveLength(1);

    expect(await call(bo, 'requests.block', { requestId: fromCy.id })).toStrictEqual({
      revokedAtRelay: true,
    });
    expect(await call(bo, 'requests.list', {})).toStrictEqual([]);
    // Cy's next message is refused at the relay, and her window says so truthfully.
    await call(cy, 'conversations.send', {
      conversationId: cyWritten.conversationId,
      text: 'Hello?',
    });
    await waitFor(
      async () =>
        (await call(cy, 'conversations.messages', { conversationId: cyWritten.conversationId }))
          .filter((m) => m.text === 'Hello?')
          .some((m) => m.delivery === 'failed' && m.failure === 'access-denied'),
      WAIT,
      'Cy told her message was not delivered',
    );

    // A request no longer open, and an id that is not one.
    expect(
      (await callError(bo, { method: 'requests.decline', args: { requestId: fromCy.id } })).code,
    ).toBe(CoreErrorCode.RequestNotFound);
    expect(
      (await callError(bo, { method: 'requests.accept', args: { requestId: 'nope' } })).code,
    ).toBe('DESKTOP_INVALID_ARGS');
  }, 180_000);
});
