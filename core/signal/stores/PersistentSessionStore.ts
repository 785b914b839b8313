import { SessionRecord, SessionStore } from '@signalapp/libsignal-client';
import type { ProtocolAddress } from '@signalapp/libsignal-client';
import { ownedBytes } from '../../bytes/bytes.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';

/** libsignal's session records (Double Ratchet state), one per remote persona and device. */
export class PersistentSessionStore extends SessionStore {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    super();
    this.#store = store;
  }

  override async saveSession(name: ProtocolAddress, record: SessionRecord): Promise<void> {
    await this.#store.put(sessionKey(name), record.serialize());
  }

  override async getSession(name: ProtocolAddress): Promise<SessionRecord | null> {
    const bytes = await this.#store.get(sessionKey(name));
    return bytes === undefined ? null : SessionRecord.deserialize(ownedBytes(bytes));
  }

  override async getExistingSessions(addresses: ProtocolAddress[]): Promise<SessionRecord[]> {
    const records = await Promise.all(addresses.map((address) => this.getSession(address)));
    return records.map((record, i) => {
      if (record === null) throw new Error(`no session for recipient ${i}`);
      return record;
    });
  }

  async hasSession(name: ProtocolAddress): Promise<boolean> {
    return (await this.getSession(name))?.hasCurrentState() ?? false;
  }
}

function sessionKey(name: ProtocolAddress): string {
  return `sessions/${name.name()}.${name.deviceId()}`;
}
