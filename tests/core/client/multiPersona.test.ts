import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type {
  Contact,
  CreatedInvite,
  KindredClient,
  KindredClientEmits,
  PersonaSession,
} from '../../../core/client/index.js';
import {
  CoreError,
  CoreErrorCode,
  KindredClient as Client,
  PersonaDirectory,
  Vault,
  bytesEqual,
  decodeClientFrame,
  decodeServerFrame,
  toHex,
} from '../../../core/client/index.js';
import type { RunningRelay } from '../../../server/index.js';
import { MemoryRelayStore, issueRelayInviteToken } from '../../../server/index.js';
import {
  PASSPHRASE,
  TEST_CLIENT_OPTIONS,
  TempDirs,
  messagesOf,
  newClient,
  startTestRelay,
  waitFor,
} from '../../integration/helpers.js';

/** What one proxied connection carried, as the relay saw it. */
interface ConnectionRecord {
  /** Identity keys (hex) the client authenticated as on this connection, in order. */
  readonly authenticatedAs: string[];
  /** Deliver frames the relay pushed on it. */
  delivers: number;
  /** SendEnvelope frames the client sent on it. */
  sends: number;
}

/**
 * A pass-through WebSocket proxy in front of a relay on loopback that records, per connection,
 * what the relay can observe: who authenticated, what was delivered, what was sent. It can also
 * cut a connection when the client sends a given kind of frame, standing in for a relay that fails
 * half-way through.
 */
class RecordingProxy {
  readonly #server: WebSocketServer;
  readonly #sockets = new Set<WebSocket>();
  readonly connections: ConnectionRecord[] = [];
  /** Client frames of this kind make the proxy drop the connection instead of passing them on. */
  cutOn: string | undefined;

  private constructor(server: WebSocketServer, upstreamUrl: string) {
    this.#server = server;
    server.on('connection', (client) => {
      const record: ConnectionRecord = { authenticatedAs: [], delivers: 0, sends: 0 };
      this.connections.push(record);
      const upstream = new WebSocket(upstreamUrl);
      this.#sockets.add(client);
      this.#sockets.add(upstream);
      const pending: Buffer[] = [];
      const closeBoth = (): void => {
        client.terminate();
        upstream.terminate();
      };
      upstream.on('open', () => {
        for (const data of pending.splice(0)) upstream.send(data);
      });
      upstream.on('message', (data: Buffer) => {
        if (decodeServerFrame(new Uint8Array(data)).body.case === 'deliver') record.delivers++;
        if (client.readyState === WebSocket.OPEN) client.send(data);
      });
      client.on('message', (data: Buffer) => {
        const body = decodeClientFrame(new Uint8Array(data)).body;
        if (body.case === this.cutOn) {
          closeBoth();
          return;
        }
        if (body.case === 'auth') record.authenticatedAs.push(toHex(body.value.identityKey));
        if (body.case === 'sendEnvelope') record.sends++;
        if (upstream.readyState === WebSocket.OPEN) upstream.send(data);
        else pending.push(data);
      });
      client.on('close', closeBoth);
      upstream.on('close', closeBoth);
      client.on('error', closeBoth);
      upstream.on('error', closeBoth);
    });
  }

  static async start(upstreamUrl: string): Promise<RecordingProxy> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    return new RecordingProxy(server, upstreamUrl);
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The connections that authenticated as `identityKey`. */
  authenticatedAs(identityKey: Uint8Array): ConnectionRecord[] {
    return this.connections.filter((c) => c.authenticatedAs.includes(toHex(identityKey)));
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.terminate();
    await new Promise<void>((resolve) => {
      this.#server.close(() => {
        resolve();
      });
    });
  }
}

/**
 * What both a client (as its main persona) and a persona session offer for 1:1 contact: a
 * session's contacts are its `direct` part's.
 */
type OneToOne = Pick<PersonaSession, 'address' | 'createInvite' | 'addContact'> & {
  flushOutbox(timeoutMs: number): Promise<void>;
} & ({ contacts(): Promise<Contact[]> } | { direct: { contacts(): Promise<Contact[]> } });

function contactsOf(side: OneToOne): Promise<Contact[]> {
  return 'direct' in side ? side.direct.contacts() : side.contacts();
}

/** Makes `joiner` a contact of `owner` (through owner's invite) and waits until owner has it. */
async function connect(owner: OneToOne, joiner: OneToOne): Promise<void> {
  const invite: CreatedInvite = await owner.createInvite({
    maxUses: 1,
    expiresAt: Date.now() + 60_000,
  });
  await joiner.addContact(invite.link);
  await joiner.flushOutbox(10_000);
  await waitFor(
    async () => (await contactsOf(owner)).some((contact) => contact.address === joiner.address),
    10_000,
    'the introduction',
  );
}

async function hasText(persona: PersonaSession, from: string, text: string): Promise<boolean> {
  return messagesOf(await persona.direct.messages(from)).some((message) => message.text === text);
}

/** Every event of kind `event` the client emits from now on. */
function collect<K extends keyof KindredClientEmits>(
  client: KindredClient,
  event: K,
): KindredClientEmits[K][] {
  const seen: KindredClientEmits[K][] = [];
  client.on(event, (value) => seen.push(value));
  return seen;
}

const dirs = new TempDirs();
const clients: KindredClient[] = [];
let relay: RunningRelay;
let store: MemoryRelayStore;
let proxy: RecordingProxy;

async function client(
  name: string,
  options: { url?: string; home?: string; inviteToken?: Uint8Array } = {},
): Promise<KindredClient> {
  const { url, ...rest } = options;
  const made = await newClient(dirs, url ?? proxy.url, name, rest);
  clients.push(made);
  return made;
}

async function reopen(home: string): Promise<KindredClient> {
  const opened = await Client.open({ home, passphrase: PASSPHRASE, ...TEST_CLIENT_OPTIONS });
  clients.push(opened);
  return opened;
}

/** Every persona the vault at `home` holds, and the persona scopes that hold data. */
async function vaultContents(home: string): Promise<{ personas: string[]; scopes: string[] }> {
  const vault = await Vault.open(home, PASSPHRASE);
  try {
    const personas = (await new PersonaDirectory(vault).list()).map((info) => info.address);
    const scopes = new Set(
      (await vault.list('persona-data')).map((entry) => entry.key.split('/')[1] ?? ''),
    );
    return { personas, scopes: [...scopes] };
  } finally {
    await vault.lock();
  }
}

beforeAll(async () => {
  store = new MemoryRelayStore();
  relay = await startTestRelay(dirs, { store });
  proxy = await RecordingProxy.start(relay.url);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await proxy.close();
  await relay.close();
  await dirs.cleanup();
});

describe('a client running several personas of one vault', () => {
  it('receives each persona its own 1:1 messages on its own connection', async () => {
    const ada = await client('Ada');
    const messages = collect(ada, 'message');
    const added = collect(ada, 'contactAdded');
    const sent = collect(ada, 'sent');
    const links = collect(ada, 'personaConnection');
    const mainLink = collect(ada, 'connection');
    await ada.start({ receive: true });
    // Created after start: it starts receiving at once.
    const other = await ada.createPersona('Ada elsewhere');

    expect(other.address).not.toBe(ada.address);
    expect(ada.mainSession.address).toBe(ada.address);
    expect(ada.sessions().map((s) => s.address)).toEqual([ada.address, other.address]);
    expect(ada.session(other.address)).toBe(other);
    expect(other.whoami().pseudonym).toBe('Ada elsewhere');
    expect(bytesEqual(other.whoami().trustRoot, ada.whoami().trustRoot)).toBe(true);
    expect(() => ada.session('not-a-persona')).toThrow(
      expect.objectContaining({ code: CoreErrorCode.PersonaNotFound }) as Error,
    );

    const benClient = await client('Ben');
    const cyClient = await client('Cy');
    await Promise.all([benClient.start({ receive: true }), cyClient.start({ receive: true })]);
    await connect(ada, benClient);
    await connect(other, cyClient);

    await benClient.send(ada.address, 'to the main persona');
    await cyClient.send(other.address, 'to the other persona');
    await Promise.all([benClient.flushOutbox(10_000), cyClient.flushOutbox(10_000)]);
    await waitFor(
      async () =>
        (await hasText(ada.mainSession, benClient.address, 'to the main persona')) &&
        (await hasText(other, cyClient.address, 'to the other persona')),
      10_000,
      'both messages',
    );
    // Each persona knows only its own contact.
    expect((await ada.contacts()).map((c) => c.address)).toEqual([benClient.address]);
    expect((await other.direct.contacts()).map((c) => c.address)).toEqual([cyClient.address]);
    await expect(other.direct.contact(benClient.address)).rejects.toMatchObject({
      code: CoreErrorCode.ContactNotFound,
    });

    // Replies go out from the persona that was written to.
    await other.direct.send(cyClient.address, 'reply from the other persona');
    await ada.flushOutbox(10_000);
    await waitFor(
      async () =>
        messagesOf(await cyClient.messages(other.address)).some(
          (m) => m.text === 'reply from the other persona',
        ),
      10_000,
      'the reply',
    );

    // Events name the persona they are about and keep their old fields.
    expect(messages.map((e) => [e.persona, e.contact.address, e.message.text])).toEqual(
      expect.arrayContaining([
        [ada.address, benClient.address, 'to the main persona'],
        [other.address, cyClient.address, 'to the other persona'],
      ]),
    );
    expect(added.map((c) => [c.persona, c.address]).sort()).toEqual(
      [
        [ada.address, benClient.address],
        [other.address, cyClient.address],
      ].sort(),
    );
    expect(sent.some((e) => e.persona === other.address && e.recipient === cyClient.address)).toBe(
      true,
    );
    expect(links).toEqual(
      expect.arrayContaining([
        { persona: ada.address, connected: true },
        { persona: other.address, connected: true },
      ]),
    );
    // `connection` still reports the main persona's link alone.
    expect(mainLink).toEqual(
      links.filter((e) => e.persona === ada.address).map((e) => e.connected),
    );

    // The relay sees two unrelated personas: own addresses, keys and access keys.
    const [mainAtRelay, otherAtRelay] = await Promise.all([
      store.getPersona(ada.address),
      store.getPersona(other.address),
    ]);
    if (mainAtRelay === undefined || otherAtRelay === undefined) throw new Error('not registered');
    expect(bytesEqual(mainAtRelay.identityKey, otherAtRelay.identityKey)).toBe(false);
    expect(bytesEqual(mainAtRelay.accessKeyHash, otherAtRelay.accessKeyHash)).toBe(false);

    // Each authenticated connection authenticated once, as one persona; messages reached each
    // persona on its own connection; nothing anonymous was delivered to, nothing authenticated
    // carried an envelope.
    const mainConnections = proxy.authenticatedAs(ada.whoami().identityKey);
    const otherConnections = proxy.authenticatedAs(other.whoami().identityKey);
    expect(mainConnections.length).toBeGreaterThan(0);
    expect(otherConnections.length).toBeGreaterThan(0);
    for (const record of [...mainConnections, ...otherConnections]) {
      expect(record.authenticatedAs).toHaveLength(1);
      expect(record.sends).toBe(0);
    }
    expect(mainConnections.reduce((n, c) => n + c.delivers, 0)).toBeGreaterThanOrEqual(2);
    expect(otherConnections.reduce((n, c) => n + c.delivers, 0)).toBeGreaterThanOrEqual(2);
    for (const record of proxy.connections) {
      if (record.authenticatedAs.length === 0) expect(record.delivers).toBe(0);
    }
  });

  it('createPersona on a relay that fails half-way leaves no persona behind', async () => {
    const home = await dirs.make('home');
    const dee = await client('Dee', { home });
    // Registered, profile written, then the relay goes away before it takes the prekeys.
    proxy.cutOn = 'uploadPreKeys';
    try {
      await expect(dee.createPersona('Dee elsewhere')).rejects.toBeInstanceOf(CoreError);
    } finally {
      proxy.cutOn = undefined;
    }
    expect(dee.sessions().map((s) => s.address)).toEqual([dee.address]);
    // Still usable: a second try works.
    const second = await dee.createPersona('Dee again');
    await dee.close();
    const contents = await vaultContents(home);
    expect(contents.personas).toEqual([dee.address, second.address]);
    expect(contents.scopes.sort()).toEqual([dee.address, second.address].sort());
  });

  it('createPersona with the relay gone leaves no persona behind', async () => {
    const gone = await startTestRelay(dirs);
    const home = await dirs.make('home');
    const eve = await client('Eve', { url: gone.url, home });
    await gone.close();
    await expect(eve.createPersona('Eve elsewhere')).rejects.toMatchObject({
      code: CoreErrorCode.RelayUnreachable,
    });
    expect(eve.sessions()).toHaveLength(1);
    await eve.close();
    expect(await vaultContents(home)).toEqual({ personas: [eve.address], scopes: [eve.address] });
  });

  it('createPersona on an invite-only relay needs a token of its own', async () => {
    const invited = await startTestRelay(dirs, { registration: 'invite' });
    try {
      const token = (): Promise<Uint8Array> =>
        issueRelayInviteToken(invited.dataDir, { maxUses: 1, expiresAt: Date.now() + 60_000 });
      const home = await dirs.make('home');
      const fay = await client('Fay', { url: invited.url, home, inviteToken: await token() });
      await expect(fay.createPersona('Fay elsewhere')).rejects.toMatchObject({
        code: CoreErrorCode.InvalidInput,
      });
      expect(fay.sessions()).toHaveLength(1);
      // What a refused attempt wrote is gone: the vault holds Fay and the new persona only.
      const other = await fay.createPersona('Fay elsewhere', { inviteToken: await token() });
      expect(fay.sessions().map((s) => s.address)).toEqual([fay.address, other.address]);
      await fay.close();
      const contents = await vaultContents(home);
      expect(contents.personas).toEqual([fay.address, other.address]);
      expect(contents.scopes.sort()).toEqual([fay.address, other.address].sort());
    } finally {
      await invited.close();
    }
  });

  it('sees every persona again after close and reopen, and each receives what waited', async () => {
    const home = await dirs.make('home');
    const gil = await client('Gil', { home });
    const other = await gil.createPersona('Gil elsewhere');
    const hal = await client('Hal');
    await gil.start({ receive: true });
    await hal.start({ receive: true });
    await connect(other, hal);
    await gil.close();
    await hal.send(other.address, 'while you were away');
    await hal.flushOutbox(10_000);

    const reopened = await reopen(home);
    expect(reopened.address).toBe(gil.address);
    expect(reopened.sessions().map((s) => s.address)).toEqual([gil.address, other.address]);
    const again = reopened.session(other.address);
    expect(again.whoami().pseudonym).toBe('Gil elsewhere');
    expect((await again.direct.contacts()).map((c) => c.address)).toEqual([hal.address]);
    await reopened.start({ receive: true });
    await waitFor(() => hasText(again, hal.address, 'while you were away'), 10_000, 'the message');
  });

  it('opens a vault holding a persona never set up for a relay, and leaves it out', async () => {
    const home = await dirs.make('home');
    const ivy = await client('Ivy', { home });
    await ivy.close();
    const vault = await Vault.open(home, PASSPHRASE);
    const bare = await new PersonaDirectory(vault).create('Bare');
    await vault.lock();

    const reopened = await reopen(home);
    expect(reopened.sessions().map((s) => s.address)).toEqual([ivy.address]);
    expect(() => reopened.session(bare.address)).toThrow(
      expect.objectContaining({ code: CoreErrorCode.PersonaNotFound }) as Error,
    );
    await reopened.close();
    await expect(reopened.createPersona('Too late')).rejects.toMatchObject({
      code: CoreErrorCode.VaultLocked,
    });
  });
});
