import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KindredClient } from '../../core/client/index.js';
import {
  CoreErrorCode,
  KindredClient as Client,
  parseContactInviteLink,
} from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import { startRelay } from '../../server/index.js';
import {
  PASSPHRASE,
  POW_DIFFICULTY,
  TEST_CLIENT_OPTIONS,
  TempDirs,
  connectPair,
  messagesOf,
  newClient,
  startTestRelay,
  waitFor,
} from './helpers.js';

const NEW_PASSPHRASE = 'a brand new passphrase';
const dirs = new TempDirs();
const relays = new Set<RunningRelay>();
const open = new Set<KindredClient>();
let relay: RunningRelay & { dataDir: string };

async function client(
  name: string,
  url = relay.url,
): Promise<{ client: KindredClient; home: string }> {
  const home = await dirs.make('home');
  const made = await newClient(dirs, url, name, { home });
  open.add(made);
  return { client: made, home };
}

async function openClient(home: string, passphrase = PASSPHRASE): Promise<KindredClient> {
  const made = await Client.open({ home, passphrase, ...TEST_CLIENT_OPTIONS });
  open.add(made);
  return made;
}

async function close(made: KindredClient): Promise<void> {
  open.delete(made);
  await made.close();
}

async function closeRelay(running: RunningRelay): Promise<void> {
  relays.delete(running);
  await running.close();
}

/** A relay on a port of its own over `dataDir` (a fresh folder when not given). */
async function relayOn(dataDir?: string): Promise<RunningRelay> {
  const running = await startRelay({
    dataDir: dataDir ?? (await dirs.make('relay')),
    host: '127.0.0.1',
    port: 0,
    registration: 'pow',
    powDifficulty: POW_DIFFICULTY,
  });
  relays.add(running);
  return running;
}

async function receives(made: KindredClient, from: string, text: string): Promise<void> {
  await waitFor(
    async () => messagesOf(await made.messages(from)).some((m) => m.text === text),
    15_000,
    text,
  );
}

beforeAll(async () => {
  relay = await startTestRelay(dirs);
  relays.add(relay);
});

afterAll(async () => {
  await Promise.all([...open].map((c) => c.close()));
  await Promise.all([...relays].map((r) => r.close()));
  await dirs.cleanup();
});

describe('changing the passphrase through the client', () => {
  it('re-wraps the vault: the new passphrase opens it, the old one is refused', async () => {
    const { client: ada, home } = await client('Ada');
    await expect(ada.changePassphrase('not it at all', NEW_PASSPHRASE)).rejects.toMatchObject({
      code: CoreErrorCode.WrongPassphrase,
    });
    await expect(ada.changePassphrase(PASSPHRASE, 'short')).rejects.toMatchObject({
      code: CoreErrorCode.WeakPassphrase,
    });
    await ada.changePassphrase(PASSPHRASE, NEW_PASSPHRASE);
    // The running client carries on: its keys never changed, only their wrapping.
    await ada.localData.put('after-change', true);
    const address = ada.address;
    await close(ada);
    await expect(ada.changePassphrase(NEW_PASSPHRASE, PASSPHRASE)).rejects.toMatchObject({
      code: CoreErrorCode.VaultLocked,
    });

    await expect(openClient(home, PASSPHRASE)).rejects.toMatchObject({
      code: CoreErrorCode.WrongPassphrase,
    });
    const reopened = await openClient(home, NEW_PASSPHRASE);
    expect(reopened.address).toBe(address);
    expect(await reopened.localData.get('after-change')).toBe(true);
    await close(reopened);
  });
});

describe('local data through the client', () => {
  it('survives close and reopen, sealed in the vault', async () => {
    const { client: ada, home } = await client('Ada');
    expect(await ada.localData.get('desktop/preferences')).toBeUndefined();
    await ada.localData.put('desktop/preferences', { idleLockMinutes: 5 });
    await ada.localData.put('read:group:0123', 17);
    await expect(ada.localData.put('Bad Key', 1)).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInput,
    });
    await close(ada);
    await expect(ada.localData.get('read:group:0123')).rejects.toMatchObject({
      code: CoreErrorCode.VaultLocked,
    });

    const reopened = await openClient(home);
    expect(await reopened.localData.get('desktop/preferences')).toStrictEqual({
      idleLockMinutes: 5,
    });
    expect(await reopened.localData.get('read:group:0123')).toBe(17);
    await close(reopened);
  });
});

describe('following a relay that moved', () => {
  it('refuses another relay, a dead address or a bad URL, and changes nothing', async () => {
    const { client: ada } = await client('Ada');
    const before = ada.whoami().relayUrl;
    const stranger = await relayOn();
    await expect(ada.moveRelay(stranger.url)).rejects.toMatchObject({
      code: CoreErrorCode.RelayMismatch,
    });
    await closeRelay(stranger);
    await expect(ada.moveRelay(stranger.url)).rejects.toMatchObject({
      code: CoreErrorCode.RelayUnreachable,
    });
    await expect(ada.moveRelay('http://127.0.0.1:1')).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInput,
    });
    await expect(ada.moveRelay('ws://relay.example.org')).rejects.toMatchObject({
      code: CoreErrorCode.InsecureRelayUrl,
    });
    expect(ada.whoami().relayUrl).toBe(before);
    await close(ada);
  });

  it('moves every persona to the new address, reconnects them, and remembers it', async () => {
    // A relay of its own, so restarting it disturbs no other test.
    const dataDir = await dirs.make('relay');
    const original = await relayOn(dataDir);
    const { client: ada, home: adaHome } = await client('Ada', original.url);
    const { client: ben } = await client('Ben', original.url);
    const second = await ada.createPersona('Ada elsewhere');
    await ada.start({ receive: true });
    await ben.start({ receive: true });
    await connectPair(ada, ben, { aliasForA: 'ada' });
    await ben.send('ada', 'before the move');
    await ben.flushOutbox(10_000);
    await receives(ada, ben.address, 'before the move');

    const links = new Map<string, boolean>();
    ada.on('personaConnection', ({ persona, connected }) => links.set(persona, connected));
    // The operator moves the relay: same data folder, another port.
    await closeRelay(original);
    const moved = await relayOn(dataDir);
    expect(moved.url).not.toBe(original.url);

    await waitFor(() => links.get(second.address) === false, 10_000, 'the old link to drop');
    await ada.moveRelay(moved.url);
    await ben.moveRelay(moved.url);
    // The persona nobody writes to reconnected too.
    await waitFor(() => links.get(second.address) === true, 10_000, 'the second persona');
    expect(ada.whoami().relayUrl).toBe(moved.url);
    expect(second.whoami().relayUrl).toBe(moved.url);
    expect(ada.sessions().map((s) => s.relay.url)).toStrictEqual([moved.url, moved.url]);
    const invite = await ada.createInvite({ maxUses: 1, expiresAt: Date.now() + 60_000 });
    expect(parseContactInviteLink(invite.link).card.relayUrl).toBe(moved.url);

    // Both running sessions found the relay at its new address, both ways.
    await ben.send('ada', 'after the move');
    await ben.flushOutbox(10_000);
    await receives(ada, ben.address, 'after the move');
    await ada.send(ben.address, 'heard you');
    await ada.flushOutbox(10_000);
    await receives(ben, 'ada', 'heard you');

    await close(ada);
    const reopened = await openClient(adaHome);
    expect(reopened.sessions().map((s) => s.whoami().relayUrl)).toStrictEqual([
      moved.url,
      moved.url,
    ]);
    await reopened.start({ receive: true });
    await ben.send('ada', 'after reopening');
    await ben.flushOutbox(10_000);
    await receives(reopened, ben.address, 'after reopening');
  });
});
