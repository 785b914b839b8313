import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DesktopService } from '../../desktop/main/DesktopService.main.js';
import type { RunningDevHost } from '../../desktop/devhost/devHost.main.js';
import { startDevHost } from '../../desktop/devhost/devHost.main.js';
import { tokensMatch } from '../../desktop/devhost/BridgeConnection.main.js';
import { DesktopErrorCode } from '../../desktop/shared/api.std.js';
import {
  BRIDGE_HELLO_TIMEOUT_MS,
  BRIDGE_PATH,
  BRIDGE_UNAUTHORIZED,
  BRIDGE_UNREADABLE_ID,
} from '../../desktop/shared/devHostProtocol.std.js';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay, waitFor } from '../integration/helpers.js';
import {
  BridgeClient,
  EventLog,
  PASSPHRASE,
  UpgradeRefused,
  call,
  newService,
} from './desktopHelpers.js';

const dirs = new TempDirs();
let relay: RunningRelay;
let service: DesktopService;
let host: RunningDevHost;
let bridgeUrl: string;
const clients: BridgeClient[] = [];
/** A short hello timeout, so "late" takes milliseconds, not the real 5 s. */
const HELLO_TIMEOUT_MS = 300;

async function open(origin: string | undefined = host.origin): Promise<BridgeClient> {
  const client = await BridgeClient.open(bridgeUrl, origin);
  clients.push(client);
  return client;
}

async function authenticated(): Promise<BridgeClient> {
  const client = await open();
  client.hello(host.token);
  // The first call's reply proves the hello was taken.
  expect((await client.request('app.state', {})).ok).toBe(true);
  return client;
}

/** A raw HTTP request, with whatever Host and method a test wants. */
function get(
  pathname: string,
  options: { host?: string; method?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        path: pathname,
        method: options.method ?? 'GET',
        headers: { host: options.host ?? `127.0.0.1:${host.port}` },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        });
      },
    );
    request.on('error', reject);
    request.end();
  });
}

beforeAll(async () => {
  relay = await startTestRelay(dirs);
  const renderer = await dirs.make('renderer');
  await mkdir(path.join(renderer, 'assets'));
  await writeFile(path.join(renderer, 'index.html'), '<!doctype html><title>Kindred</title>');
  await writeFile(path.join(renderer, 'assets', 'app.js'), 'console.log("window");');
  await writeFile(path.join(renderer, 'assets', 'secret.pem'), 'not served: unknown kind');
  // A file beside the build that a path trick must not reach.
  await writeFile(path.join(renderer, '..', 'outside.html'), 'outside');
  service = await newService(dirs, relay.url);
  host = await startDevHost({
    service,
    rendererDir: renderer,
    helloTimeoutMs: HELLO_TIMEOUT_MS,
    maxMessageBytes: 64 * 1024,
    maxFrameBytes: 512 * 1024,
  });
  bridgeUrl = `ws://127.0.0.1:${host.port}${BRIDGE_PATH}`;
});

afterAll(async () => {
  for (const client of clients) client.close();
  await host.close();
  await service.close();
  await relay.close();
  await dirs.cleanup();
});

describe('the dev host serves the window', () => {
  it('prints a loopback URL with a random token in the fragment', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/u);
    expect(BRIDGE_HELLO_TIMEOUT_MS).toBe(5_000);
  });

  it('serves the renderer build with the CSP and hardening headers', async () => {
    const page = await get('/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Kindred</title>');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
        `connect-src 'self' ws://127.0.0.1:${host.port}; font-src 'self'; object-src 'none'; ` +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    const script = await get('/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    // Routes of the single-page app get index.html.
    expect((await get('/chats/somewhere')).body).toContain('<title>Kindred</title>');
  });

  it('serves nothing outside the build, and nothing of unknown kind', async () => {
    for (const pathname of [
      '/../outside.html',
      '/%2e%2e/outside.html',
      '/assets/%2e%2e/%2e%2e/outside.html',
      '/assets/..%2f..%2foutside.html',
      '/assets/secret.pem',
      '/missing.js',
      '/%00.js',
      '/%E0%A4%A.js',
    ]) {
      const response = await get(pathname);
      expect(response.status, pathname).toBe(404);
      expect(response.body).not.toContain('outside');
    }
  });

  it('refuses a foreign Host header (DNS rebinding) and methods other than GET', async () => {
    expect((await get('/', { host: 'evil.example' })).status).toBe(403);
    expect((await get('/', { host: `localhost:${host.port}` })).status).toBe(403);
    expect((await get('/', { method: 'POST' })).status).toBe(405);
  });
});

describe('the bridge', () => {
  it('refuses an upgrade from a foreign Origin, without Origin, or on another path', async () => {
    for (const origin of [
      'http://evil.example',
      `http://localhost:${host.port}`,
      'null',
      undefined,
    ]) {
      // BridgeClient.open, not open(): its default would fill in our own Origin for undefined.
      const refusal = await BridgeClient.open(bridgeUrl, origin).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal, String(origin)).toBeInstanceOf(UpgradeRefused);
      expect((refusal as UpgradeRefused).status).toBe(403);
    }
    const elsewhere = await BridgeClient.open(
      `ws://127.0.0.1:${host.port}/other`,
      host.origin,
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((elsewhere as UpgradeRefused).status).toBe(403);
  });

  it('closes with 4401 on a wrong token, a call before hello, or no hello in time', async () => {
    const wrong = await open();
    wrong.hello(`${host.token.slice(0, -1)}x`);
    expect((await wrong.closed).code).toBe(BRIDGE_UNAUTHORIZED);

    const noHello = await open();
    noHello.send(JSON.stringify({ type: 'call', id: 1, call: { method: 'app.state', args: {} } }));
    expect((await noHello.closed).code).toBe(BRIDGE_UNAUTHORIZED);
    expect(noHello.replies.size).toBe(0);

    const garbage = await open();
    garbage.send('not json at all');
    expect((await garbage.closed).code).toBe(BRIDGE_UNAUTHORIZED);

    const binary = await open();
    binary.send(new TextEncoder().encode(JSON.stringify({ type: 'hello', token: host.token })));
    expect((await binary.closed).code).toBe(BRIDGE_UNAUTHORIZED);

    const silent = await open();
    expect((await silent.closed).code).toBe(BRIDGE_UNAUTHORIZED);

    // The right token, too late.
    const late = await open();
    await new Promise((resolve) => setTimeout(resolve, HELLO_TIMEOUT_MS + 100));
    late.hello(host.token);
    expect((await late.closed).code).toBe(BRIDGE_UNAUTHORIZED);
    expect(late.replies.size).toBe(0);
  });

  it('compares tokens whatever their length', () => {
    expect(tokensMatch(host.token, host.token)).toBe(true);
    expect(tokensMatch('', host.token)).toBe(false);
    expect(tokensMatch(host.token.repeat(3), host.token)).toBe(false);
  });

  it('answers malformed and oversize messages with coded errors and keeps going', async () => {
    const client = await authenticated();
    client.send('{ not json');
    expect(await client.reply(BRIDGE_UNREADABLE_ID)).toMatchObject({
      ok: false,
      error: { code: DesktopErrorCode.BadRequest },
    });
    client.send(JSON.stringify({ type: 'call', id: 'seven', call: {} }));
    expect((await client.reply(BRIDGE_UNREADABLE_ID)).ok).toBe(false);
    client.send(JSON.stringify({ type: 'subscribe', id: 41 }));
    expect(await client.reply(41)).toMatchObject({
      ok: false,
      error: { code: DesktopErrorCode.BadRequest },
    });
    client.send(new Uint8Array([1, 2, 3]));
    expect(await client.reply(BRIDGE_UNREADABLE_ID)).toMatchObject({
      error: { code: DesktopErrorCode.BadRequest },
    });
    client.send(
      JSON.stringify({
        type: 'call',
        id: 42,
        call: { method: 'app.unlock', args: { passphrase: 'x'.repeat(100_000) } },
      }),
    );
    expect(await client.reply(BRIDGE_UNREADABLE_ID)).toMatchObject({
      error: { code: DesktopErrorCode.TooLarge },
    });
    client.send(JSON.stringify({ type: 'call', id: 43, call: { method: 'app.nope', args: {} } }));
    expect(await client.reply(43)).toMatchObject({
      error: { code: DesktopErrorCode.UnknownMethod },
    });
    client.send(JSON.stringify({ type: 'call', id: 44, call: null }));
    expect(await client.reply(44)).toMatchObject({
      error: { code: DesktopErrorCode.BadRequest },
    });
    const badArgs = await client.request('conversations.send', {
      conversationId: 'g:x',
      text: '',
    });
    expect(badArgs).toMatchObject({ error: { code: DesktopErrorCode.InvalidArgs } });
    // Still serving this socket.
    expect(await client.call('app.state', {})).toMatchObject({ phase: 'first-run' });

    // A frame over the hard limit closes that socket only; the host keeps serving others.
    const flooder = await authenticated();
    flooder.send('x'.repeat(600 * 1024));
    expect((await flooder.closed).code).toBe(1009);
    expect(await client.call('app.state', {})).toMatchObject({ phase: 'first-run' });
    expect((await get('/')).status).toBe(200);
  });

  it('carries a first run and pushes events to every authenticated socket only', async () => {
    const window = await authenticated();
    const otherTab = await authenticated();
    const stranger = await open();
    const state = await window.call('app.create', {
      pseudonym: 'Eve',
      passphrase: PASSPHRASE,
      relayUrl: relay.url,
    });
    expect(state).toMatchObject({ phase: 'unlocked', pseudonym: 'Eve' });
    await window.call('personas.create', { pseudonym: 'Eve elsewhere' });
    await waitFor(
      () =>
        window.events.some((e) => e.type === 'lists-changed') &&
        otherTab.events.some((e) => e.type === 'lists-changed'),
      15_000,
      'lists-changed on both tabs',
    );
    expect(stranger.events).toHaveLength(0);

    // A contact writes to Eve: her window hears of it through the bridge.
    const friend = await newService(dirs, relay.url);
    const friendEvents = new EventLog(friend);
    try {
      await call(friend, 'app.create', {
        pseudonym: 'Fay',
        passphrase: PASSPHRASE,
        relayUrl: relay.url,
      });
      const invite = await window.call('contacts.createInvite', {
        maxUses: 1,
        expiresInHours: 1,
      });
      const contact = await call(friend, 'contacts.add', { link: invite.link });
      await call(friend, 'conversations.send', {
        conversationId: contact.conversationId,
        text: 'hi Eve',
      });
      await waitFor(
        () =>
          window.events.some(
            (e) =>
              e.type === 'notify' &&
              e.about.kind === 'message' &&
              e.about.from === 'Fay' &&
              e.about.text === undefined,
          ),
        15_000,
        'the notification over the bridge',
      );
      const chats = await window.call('conversations.list', {});
      expect(chats[0]).toMatchObject({ title: 'Fay', unread: 1, preview: 'hi Eve' });

      await window.call('app.lock', {});
      await waitFor(
        () => otherTab.events.some((e) => e.type === 'locked'),
        15_000,
        'locked on the other tab',
      );
    } finally {
      friendEvents.stop();
      await friend.close();
    }
  });
});
