import { GroupCommitter } from './GroupCommitter.js';
import { KeyedMutex } from './KeyedMutex.js';
import { MailboxSignals } from './MailboxSignals.js';
import { StoreClosedError } from './StoreClosedError.js';
import type {
  NewEnvelope,
  RelayStore,
  StoredEnvelope,
  StoredOneTimePreKey,
  StoredPersona,
  StoredPreKeyBundle,
  StoredPreKeyUpload,
  StoredSignedPreKey,
} from './RelayStore.js';

/**
 * Everything in memory: for tests and throwaway relays. It keeps the same semantics as the LevelDB
 * store (group commit, increasing ids, notifications after the commit, atomic prekey takes), so
 * it passes the same contract suite; "durable" here only means "committed".
 */
export class MemoryRelayStore implements RelayStore {
  readonly #personas = new Map<string, StoredPersona>();
  readonly #preKeys = new Map<string, PreKeySet>();
  readonly #mailboxes = new Map<string, Mailbox>();
  readonly #inviteUses = new Map<string, number>();
  readonly #settings = new Map<string, Uint8Array>();
  readonly #signals: MailboxSignals;
  readonly #locks = new KeyedMutex();
  readonly #committer: GroupCommitter<readonly NewEnvelope[], bigint[]>;
  #closed = false;

  constructor(options: { readonly onListenerError?: (error: unknown) => void } = {}) {
    this.#signals = new MailboxSignals(options.onListenerError);
    this.#committer = new GroupCommitter((requests) => Promise.resolve(this.#commit(requests)));
  }

  getPersona(address: string): Promise<StoredPersona | undefined> {
    return this.#open(() => this.#personas.get(address));
  }

  putPersona(persona: StoredPersona): Promise<void> {
    return this.#open(() => {
      this.#personas.set(persona.address, {
        ...persona,
        identityKey: copyBytes(persona.identityKey),
        accessKeyHash: copyBytes(persona.accessKeyHash),
      });
    });
  }

  putPreKeys(address: string, upload: StoredPreKeyUpload): Promise<void> {
    return this.#open(() => {
      const set = this.#preKeySet(address);
      if (upload.signedPreKey !== undefined) set.signed = copySigned(upload.signedPreKey);
      if (upload.lastResortKyberPreKey !== undefined) {
        set.lastResort = copySigned(upload.lastResortKyberPreKey);
      }
      for (const key of upload.oneTimePreKeys) {
        set.oneTime.set(key.id, { id: key.id, publicKey: copyBytes(key.publicKey) });
      }
      for (const key of upload.oneTimeKyberPreKeys) set.oneTimeKyber.set(key.id, copySigned(key));
    });
  }

  takePreKeyBundle(address: string): Promise<StoredPreKeyBundle | undefined> {
    // Synchronous inside, so already atomic; the lock keeps the same shape as LevelRelayStore.
    return this.#locks.run(address, () =>
      this.#open(() => {
        const set = this.#preKeys.get(address);
        if (set?.signed === undefined || set.lastResort === undefined) return undefined;
        const preKey = takeLowest(set.oneTime);
        const kyberPreKey = takeLowest(set.oneTimeKyber) ?? set.lastResort;
        return preKey === undefined
          ? { signedPreKey: set.signed, kyberPreKey }
          : { signedPreKey: set.signed, kyberPreKey, preKey };
      }),
    );
  }

  countPreKeys(address: string): Promise<{ oneTimePreKeys: number; oneTimeKyberPreKeys: number }> {
    return this.#open(() => {
      const set = this.#preKeys.get(address);
      return {
        oneTimePreKeys: set?.oneTime.size ?? 0,
        oneTimeKyberPreKeys: set?.oneTimeKyber.size ?? 0,
      };
    });
  }

  async appendEnvelopes(envelopes: readonly NewEnvelope[]): Promise<bigint[]> {
    this.#assertOpen();
    if (envelopes.length === 0) return [];
    for (const envelope of envelopes) this.#mailbox(envelope.recipient).pending += 1;
    try {
      return await this.#committer.submit(
        envelopes.map((envelope) => ({ ...envelope, sealed: copyBytes(envelope.sealed) })),
      );
    } finally {
      for (const envelope of envelopes) this.#mailbox(envelope.recipient).pending -= 1;
    }
  }

  #commit(requests: readonly (readonly NewEnvelope[])[]): bigint[][] {
    const appended = new Map<string, StoredEnvelope[]>();
    const results = requests.map((envelopes) =>
      envelopes.map((envelope) => {
        const mailbox = this.#mailbox(envelope.recipient);
        mailbox.lastId += 1n;
        const stored = {
          id: mailbox.lastId,
          sealed: envelope.sealed,
          receivedAt: envelope.receivedAt,
        };
        mailbox.envelopes.set(mailbox.lastId, stored);
        const list = appended.get(envelope.recipient) ?? [];
        list.push(stored);
        appended.set(envelope.recipient, list);
        return mailbox.lastId;
      }),
    );
    // Listeners run after this commit has settled, as with a real backend.
    queueMicrotask(() => {
      for (const [address, envelopes] of appended) this.#signals.notify(address, envelopes);
    });
    return results;
  }

  readMailbox(address: string, afterId: bigint, limit: number): Promise<StoredEnvelope[]> {
    return this.#open(() => {
      const out: StoredEnvelope[] = [];
      if (limit <= 0) return out;
      const mailbox = this.#mailboxes.get(address);
      if (mailbox === undefined) return out;
      for (const envelope of mailbox.envelopes.values()) {
        if (envelope.id <= afterId) continue;
        out.push(envelope);
        if (out.length >= limit) break;
      }
      return out;
    });
  }

  deleteEnvelopes(address: string, ids: readonly bigint[]): Promise<void> {
    return this.#open(() => {
      const mailbox = this.#mailboxes.get(address);
      if (mailbox === undefined) return;
      for (const id of ids) mailbox.envelopes.delete(id);
    });
  }

  mailboxDepth(address: string): Promise<number> {
    return this.#open(() => {
      const mailbox = this.#mailboxes.get(address);
      return mailbox === undefined ? 0 : mailbox.envelopes.size + mailbox.pending;
    });
  }

  expireEnvelopes(cutoff: number): Promise<number> {
    return this.#open(() => {
      let expired = 0;
      for (const mailbox of this.#mailboxes.values()) {
        for (const envelope of mailbox.envelopes.values()) {
          if (envelope.receivedAt >= cutoff) break;
          mailbox.envelopes.delete(envelope.id);
          expired += 1;
        }
      }
      return expired;
    });
  }

  subscribeMailbox(address: string, listener: () => void): () => void {
    return this.#signals.subscribe(address, listener);
  }

  consumeInviteToken(id: Uint8Array, maxUses: number): Promise<boolean> {
    return this.#open(() => {
      const key = Buffer.from(id.buffer, id.byteOffset, id.byteLength).toString('hex');
      const uses = this.#inviteUses.get(key) ?? 0;
      if (uses >= maxUses) return false;
      this.#inviteUses.set(key, uses + 1);
      return true;
    });
  }

  getSetting(name: string): Promise<Uint8Array | undefined> {
    return this.#open(() => {
      const value = this.#settings.get(name);
      return value === undefined ? undefined : copyBytes(value);
    });
  }

  putSetting(name: string, value: Uint8Array): Promise<void> {
    return this.#open(() => {
      this.#settings.set(name, copyBytes(value));
    });
  }

  async close(): Promise<void> {
    await this.#committer.drain();
    this.#closed = true;
  }

  #mailbox(address: string): Mailbox {
    let mailbox = this.#mailboxes.get(address);
    if (mailbox === undefined) {
      mailbox = { lastId: 0n, envelopes: new Map(), pending: 0 };
      this.#mailboxes.set(address, mailbox);
    }
    return mailbox;
  }

  #preKeySet(address: string): PreKeySet {
    let set = this.#preKeys.get(address);
    if (set === undefined) {
      set = { oneTime: new Map(), oneTimeKyber: new Map() };
      this.#preKeys.set(address, set);
    }
    return set;
  }

  #assertOpen(): void {
    if (this.#closed) throw new StoreClosedError('relay store is closed');
  }

  #open<T>(read: () => T): Promise<T> {
    try {
      this.#assertOpen();
      return Promise.resolve(read());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

interface Mailbox {
  lastId: bigint;
  /** Ids only grow, so insertion order is mailbox order. */
  readonly envelopes: Map<bigint, StoredEnvelope>;
  /** Appends queued but not yet committed: counted in the depth, as in LevelRelayStore. */
  pending: number;
}

interface PreKeySet {
  signed?: StoredSignedPreKey;
  lastResort?: StoredSignedPreKey;
  readonly oneTime: Map<number, StoredOneTimePreKey>;
  readonly oneTimeKyber: Map<number, StoredSignedPreKey>;
}

function copySigned(key: StoredSignedPreKey): StoredSignedPreKey {
  return { id: key.id, publicKey: copyBytes(key.publicKey), signature: copyBytes(key.signature) };
}

function takeLowest<T>(keys: Map<number, T>): T | undefined {
  let lowest: number | undefined;
  for (const id of keys.keys()) if (lowest === undefined || id < lowest) lowest = id;
  if (lowest === undefined) return undefined;
  const key = keys.get(lowest);
  keys.delete(lowest);
  return key;
}

/** A plain, unshared copy (Buffer's slice() would share memory with the caller's buffer). */
function copyBytes(bytes: Uint8Array): Uint8Array {
  return new Uint8Array(bytes);
}
