import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach } from 'vitest';
import type {
  GroupHandle,
  GroupState,
  KindredClient,
  KindredClientOptions,
  Persona,
} from '../../core/client/index.js';
import {
  GroupSecret,
  KindredClient as Client,
  PersonaDirectory,
  RelayConnection,
  Vault,
  accessKeyHash,
  applyGroupOperation,
  fromHex,
  parseGroupInviteLink,
  solveProofOfWork,
  toHex,
} from '../../core/client/index.js';
import { PersonaState } from '../../core/client/PersonaState.js';
import { PASSPHRASE, TEST_CLIENT_OPTIONS, newClient } from './helpers.js';
import type { FileRelay, TempDirs } from './helpers.js';

/**
 * Real clients on one relay, each in a home folder of its own that outlives it, so a test can
 * close one (to take it offline, or to read its vault) and open it again.
 */
export class GroupTestClients {
  readonly #dirs: TempDirs;
  /** The relay's URL, asked when a client is added (a file's relay starts in beforeAll). */
  readonly #relayUrl: () => string;
  readonly #options: KindredClientOptions;
  readonly #homes = new Map<KindredClient, string>();
  readonly #open = new Set<KindredClient>();

  constructor(
    dirs: TempDirs,
    relayUrl: string | (() => string),
    options: KindredClientOptions = {},
  ) {
    this.#dirs = dirs;
    this.#relayUrl = typeof relayUrl === 'string' ? () => relayUrl : relayUrl;
    this.#options = options;
  }

  /** A new, started (receiving) client whose main persona is `pseudonym`. */
  async add(pseudonym: string): Promise<KindredClient> {
    const home = await this.#dirs.make('home');
    const client = await newClient(this.#dirs, this.#relayUrl(), pseudonym, {
      ...this.#options,
      home,
    });
    this.#homes.set(client, home);
    this.#open.add(client);
    await client.start({ receive: true });
    return client;
  }

  /** Several clients, made `batch` at a time (registration and prekeys cost CPU). */
  async addMany(pseudonyms: readonly string[], batch = 8): Promise<KindredClient[]> {
    const made: KindredClient[] = [];
    for (let from = 0; from < pseudonyms.length; from += batch) {
      made.push(
        ...(await Promise.all(pseudonyms.slice(from, from + batch).map((p) => this.add(p)))),
      );
    }
    return made;
  }

  home(client: KindredClient): string {
    const home = this.#homes.get(client);
    if (home === undefined) throw new Error('not one of these clients');
    return home;
  }

  async close(client: KindredClient): Promise<void> {
    this.#open.delete(client);
    await client.close();
  }

  /**
   * Opens a closed client's vault again and (unless `start` is false) starts it receiving; the
   * old object stays closed.
   */
  async reopen(client: KindredClient, options: { start?: boolean } = {}): Promise<KindredClient> {
    const home = this.home(client);
    const reopened = await Client.open({
      home,
      passphrase: PASSPHRASE,
      ...TEST_CLIENT_OPTIONS,
      ...this.#options,
    });
    this.#homes.set(reopened, home);
    this.#open.add(reopened);
    if (options.start !== false) await reopened.start({ receive: true });
    return reopened;
  }

  async closeAll(): Promise<void> {
    const open = [...this.#open];
    this.#open.clear();
    await Promise.all(open.map((client) => client.close()));
  }
}

/**
 * GroupTestClients on a file's relay (useTestRelay): each test's clients are closed when it ends
 * (the relay caps connections from one address, loopback), and any left when the file ends.
 */
export function useGroupTestClients(
  relay: FileRelay,
  options: KindredClientOptions = {},
): GroupTestClients {
  const clients = new GroupTestClients(relay.dirs, () => relay.url, options);
  relay.track({ close: () => clients.closeAll() });
  afterEach(async () => {
    await clients.closeAll();
  });
  return clients;
}

/** The persona a closed client's vault holds at `address` (its keys stay usable once locked). */
export async function personaFromVault(home: string, address: string): Promise<Persona> {
  const vault = await Vault.open(home, PASSPHRASE);
  try {
    return await new PersonaDirectory(vault).get(address);
  } finally {
    await vault.lock();
  }
}

/**
 * Every epoch secret a closed client's persona holds for a group, oldest first (from its vault):
 * what a member could hand to anyone, and what a test needs to open every sealed blob.
 */
export async function epochSecretsFromVault(
  home: string,
  address: string,
  groupId: Uint8Array,
): Promise<GroupSecret[]> {
  const vault = await Vault.open(home, PASSPHRASE);
  try {
    const directory = new PersonaDirectory(vault);
    const state = new PersonaState(await directory.get(address), directory.dataFor(address));
    return await state.transact(async () => {
      const group = await state.groups.requireState(groupId);
      const secrets: GroupSecret[] = [];
      for (let epoch = 0; epoch <= group.epoch; epoch++) {
        const bytes = await state.groups.epochSecret(groupId, epoch);
        if (bytes !== undefined) secrets.push(GroupSecret.from(bytes));
      }
      return secrets;
    });
  } finally {
    await vault.lock();
  }
}

/**
 * What a holder of an invite link knows about the group: its id and the invite's own secret
 * (GroupSecret.forInvite), whose log key is the invite's read key. It is not the group secret:
 * it reads the log only while the invite is live, and opens only the invite's welcome.
 */
export interface GroupKeys {
  readonly groupId: Uint8Array;
  readonly secret: GroupSecret;
}

/** Reads a link's group id and invite secret (`now` lets a test read an expired link). */
export function groupKeysOf(link: string, now = Date.now()): GroupKeys {
  const data = parseGroupInviteLink(link, now);
  return { groupId: data.groupId, secret: GroupSecret.forInvite(data.invitePrivateKey) };
}

export function groupIdOf(group: GroupHandle): Uint8Array {
  const id = fromHex(group.id);
  if (id === undefined) throw new Error('a group handle with a malformed id');
  return id;
}

/**
 * The group's state as the relay's log leads to it: every operation fetched with the log key,
 * as any holder of an invite link can, and replayed with the rules.
 */
export async function fetchGroupState(relayUrl: string, keys: GroupKeys): Promise<GroupState> {
  const connection = await RelayConnection.open({ url: relayUrl });
  try {
    let state: GroupState | undefined;
    for (;;) {
      const from = state?.length ?? 0;
      const page = await connection.request(
        {
          case: 'fetchGroupLog',
          value: {
            groupId: keys.groupId,
            logKey: keys.secret.logKey(),
            fromSequence: BigInt(from),
          },
        },
        'groupLogPage',
      );
      for (const signed of page.operations) state = applyGroupOperation(state, signed).state;
      if (state === undefined) throw new Error('the relay served an empty log');
      if (page.operations.length === 0 || state.length >= Number(page.logLength)) return state;
    }
  } finally {
    connection.close();
  }
}

/**
 * Registers a hand-made persona on a proof-of-work relay, as a client does on its first
 * connection (the relay takes group operations, even anonymous joins, only from registered
 * personas).
 */
export async function registerPersona(relayUrl: string, persona: Persona): Promise<void> {
  const connection = await RelayConnection.open({ url: relayUrl });
  try {
    const { relayId, powDifficulty } = connection.challenge;
    await connection.authenticate(persona, {
      registrationId: persona.registrationId,
      accessKeyHash: accessKeyHash(new Uint8Array(randomBytes(32))),
      gate: {
        case: 'powNonce',
        value: solveProofOfWork(relayId, persona.identityPublicKey, powDifficulty),
      },
    });
  } finally {
    connection.close();
  }
}

/**
 * Submits a signed operation over an anonymous connection of its own: the relay takes joins
 * there (from registered personas); any other operation only on its actor's authenticated
 * connection, so this gets the rules' refusal or RELAY_AUTH_REQUIRED.
 */
export async function submitOperation(relayUrl: string, signed: Uint8Array): Promise<void> {
  const connection = await RelayConnection.open({ url: relayUrl });
  try {
    await connection.request(
      { case: 'submitGroupOperation', value: { operation: signed } },
      'groupAppended',
    );
  } finally {
    connection.close();
  }
}

export async function textsOf(group: GroupHandle): Promise<string[]> {
  return (await group.messages()).map((message) => message.text);
}

/** The id (hex) of the message with `text` in `group`'s history. */
export async function messageIdOf(group: GroupHandle, text: string): Promise<string> {
  const found = (await group.messages()).find((message) => message.text === text);
  if (found === undefined) throw new Error(`no message "${text}"`);
  return toHex(found.messageId);
}

export async function filesBelow(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesBelow(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
