import { SessionRecord, SessionStore } from '@signalapp/libsignal-client';
import type { ProtocolAddress } from '@signalapp/libsignal-client';
import { ownedBytes } from '../../bytes/bytes.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';
import type { StoreFailures } from './StoreFailures.js';

/** libsignal's session records (Double Ratchet state), one per remote persona and device. */
export class PersistentSessionStore extends SessionStore {
  readonly #store: KeyValueStore;
  readonly #failures: StoreFailures;

  constructor(store: KeyValueStore, failures: StoreFailures) {
    super();
    this.#store = store;
    this.#failures = failures;
  }

  override saveSession(name: ProtocolAddress, record: SessionRecord): Promise<void> {
    return this.#failures.guard(async () => {
      await this.#store.put(sessionKey(name), record.serialize());
    });
  }

  override getSession(name: ProtocolAddress): Promise<SessionRecord | null> {
    return this.#failures.guard(async () => {
      const bytes = await this.#store.get(sessionKey(name));
      return bytes === undefined ? null : SessionRecord.deserialize(ownedBytes(bytes));
    });
  }

  override getExistingSessions(addresses: ProtocolAddress[]): Promise<SessionRecord[]> {
    return this.#failures.guard(async () => {
      const records = await Promise.all(addresses.map((address) => this.getSession(address)));
      return records.map((record, i) => {
        if (record === null) throw new Error(`no session for recipient ${i}`);
        return record;
      });
    });
  }

  async hasSession(name: ProtocolAddress): Promise<boolean> {
    return (await this.getSession(name))?.hasCurrentState() ?? false;
  }
}

function sessionKey(name: ProtocolAddress): string {
  return `sessions/${name.name()}.${name.deviceId()}`;
}
