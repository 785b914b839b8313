import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  RelayErrorCode,
  RelayRejectedError,
} from '../../core/client/index.js';
import { toApiError } from '../../desktop/main/apiErrors.main.js';
import type { DesktopService } from '../../desktop/main/DesktopService.main.js';
import type { LogFields } from '../../desktop/main/logger.main.js';
import { DesktopErrorCode } from '../../desktop/shared/api.std.js';
import { TempDirs } from '../integration/helpers.js';
import { call, callError, newService } from './desktopHelpers.js';
import { MAX_MESSAGE_LENGTH } from '../../desktop/shared/messageLimits.std.js';

const dirs = new TempDirs();
let service: DesktopService;

beforeAll(async () => {
  // No relay is needed before the first run: nothing here reaches one.
  service = await newService(dirs, 'ws://127.0.0.1:9');
});

afterAll(async () => {
  await service.close();
  await dirs.cleanup();
});

describe('the call router', () => {
  it('answers app.state on a device without a vault: first run, defaults', async () => {
    expect(await call(service, 'app.state', {})).toStrictEqual({
      phase: 'first-run',
      relayUrl: 'ws://127.0.0.1:9',
      idleLockMinutes: 10,
      notifications: { enabled: true, showText: false },
      online: false,
      proxy: '',
      escapeTwiceLocks: false,
    });
  });

  it('refuses payloads that are not calls', async () => {
    for (const payload of [null, undefined, 'app.state', 42, [], ['app.state', {}], {}]) {
      expect((await callError(service, payload)).code).toBe(DesktopErrorCode.BadRequest);
    }
    expect((await callError(service, { method: 7, args: {} })).code).toBe(
      DesktopErrorCode.BadRequest,
    );
  });

  it('refuses unknown methods, including names every object has', async () => {
    for (const method of [
      'app.explode',
      '__proto__',
      'toString',
      'constructor',
      'hasOwnProperty',
    ]) {
      const error = await callError(service, { method, args: {} });
      expect(error.code).toBe(DesktopErrorCode.UnknownMethod);
      expect(error.message).not.toContain(method);
    }
  });

  it('checks args against the method schema, naming fields but never their values', async () => {
    const bad: unknown[] = [
      { method: 'app.create', args: { pseudonym: '   ', passphrase: 'x', relayUrl: 'ws://a' } },
      { method: 'app.create', args: { pseudonym: 'Ada' } },
      { method: 'app.unlock', args: { passphrase: '' } },
      { method: 'app.unlock', args: { passphrase: 'p'.repeat(1025) } },
      { method: 'app.state' },
      { method: 'settings.update', args: { idleLockMinutes: -1 } },
      { method: 'settings.update', args: { idleLockMinutes: 1.5 } },
      { method: 'settings.update', args: { notifications: { enabled: 'yes', showText: false } } },
      {
        method: 'conversations.send',
        args: { conversationId: 'g:00', text: 'secret words', replyTo: 'not-hex' },
      },
      { method: 'conversations.send', args: { conversationId: 'g:00', text: '' } },
      {
        method: 'conversations.send',
        args: { conversationId: 'g:00', text: 'x'.repeat(MAX_MESSAGE_LENGTH + 1) },
      },
      {
        method: 'conversations.react',
        args: { conversationId: 'g:00', messageId: 'A'.repeat(32), emoji: '👍' },
      },
      { method: 'contacts.createInvite', args: { maxUses: 0, expiresInHours: 1 } },
      { method: 'groups.moderate', args: { conversationId: 'g:00', action: 'nuke', member: 'x' } },
      {
        method: 'groups.create',
        args: {
          name: 'n',
          description: '',
          rules: '',
          joinByApproval: false,
          slowModeSeconds: 0,
          persona: '',
        },
      },
    ];
    for (const payload of bad) {
      const error = await callError(service, payload);
      expect(error.code).toBe(DesktopErrorCode.InvalidArgs);
      expect(error.message).not.toContain('secret words');
      expect(error.message).not.toContain('not-hex');
    }
    const send = await callError(service, {
      method: 'conversations.send',
      args: { conversationId: 'g:00', text: 'secret words', replyTo: 'not-hex' },
    });
    expect(send.message).toContain('replyTo');
  });

  it('answers calls that need the vault with DESKTOP_LOCKED before the first run', async () => {
    const id = `g:${'0'.repeat(32)}`;
    const calls = [
      { method: 'conversations.list', args: {} },
      { method: 'conversations.messages', args: { conversationId: id } },
      { method: 'contacts.list', args: {} },
      { method: 'personas.list', args: {} },
      { method: 'groups.details', args: { conversationId: id } },
      { method: 'settings.changePassphrase', args: { current: 'a', next: 'b' } },
    ];
    for (const payload of calls) {
      expect((await callError(service, payload)).code).toBe(DesktopErrorCode.Locked);
    }
    // These work in any phase.
    expect(await call(service, 'app.activity', {})).toBeNull();
    expect((await call(service, 'app.lock', {})).phase).toBe('first-run');
  });

  it('refuses to unlock before there is a vault', async () => {
    const error = await callError(service, {
      method: 'app.unlock',
      args: { passphrase: 'whatever it is' },
    });
    expect(error.code).toBe(DesktopErrorCode.WrongPhase);
  });

  it('keeps settings chosen before the first run, and checks the relay URL', async () => {
    const refused = await callError(service, {
      method: 'settings.update',
      args: { relayUrl: 'http://relay.example' },
    });
    expect(refused.code).toBe(CoreErrorCode.InvalidInput);
    const insecure = await callError(service, {
      method: 'settings.update',
      args: { relayUrl: 'ws://relay.example' },
    });
    expect(insecure.code).toBe(CoreErrorCode.InsecureRelayUrl);
    const state = await call(service, 'settings.update', {
      relayUrl: 'ws://127.0.0.1:10',
      idleLockMinutes: 0,
      notifications: { enabled: false, showText: false },
    });
    expect(state).toMatchObject({
      phase: 'first-run',
      relayUrl: 'ws://127.0.0.1:10',
      idleLockMinutes: 0,
      notifications: { enabled: false, showText: false },
    });
  });
});

describe('error mapping', () => {
  const logged: { fields: LogFields; message: string }[] = [];
  const logger = {
    info: () => undefined,
    warn: () => undefined,
    error: (fields: LogFields, message: string) => logged.push({ fields, message }),
  };

  it('passes core codes through in plain words', () => {
    const error = toApiError(
      new CoreError(CoreErrorCode.WrongPassphrase, 'wrong passphrase'),
      logger,
      'app.unlock',
    );
    expect(error).toStrictEqual({
      code: CoreErrorCode.WrongPassphrase,
      message: 'That passphrase is not right.',
    });
  });

  it('reports a relay refusal by a group rule with core’s code and words', () => {
    expect(
      toApiError(new RelayRejectedError(RelayErrorCode.GroupStale, 0), logger, 'm'),
    ).toStrictEqual({
      code: CoreErrorCode.GroupConflict,
      message: 'The group changed while this ran. Try again.',
    });
    expect(
      toApiError(new RelayRejectedError(RelayErrorCode.GroupFull, 0), logger, 'm'),
    ).toStrictEqual({
      code: CoreErrorCode.RelayRejected,
      message: 'The group is full.',
      details: { relayCode: RelayErrorCode.GroupFull },
    });
  });

  it('hides anything unexpected behind DESKTOP_INTERNAL, logging no text from it', () => {
    const secret = 'my diagnosis is private';
    const failure = new TypeError(`cannot read ${secret}`);
    const error = toApiError(failure, logger, 'conversations.send');
    expect(error.code).toBe(DesktopErrorCode.Internal);
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(JSON.stringify(error)).not.toContain('at ');
    expect(JSON.stringify(logged)).not.toContain(secret);
    expect(logged.at(-1)?.fields).toStrictEqual({
      method: 'conversations.send',
      kind: 'TypeError',
    });
    expect(toApiError('a thrown string', logger, 'app.state').code).toBe(DesktopErrorCode.Internal);
    expect(toApiError(new CoreError(CoreErrorCode.Internal, 'x'), logger, 'm').code).toBe(
      DesktopErrorCode.Internal,
    );
  });
});
