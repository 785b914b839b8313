import { SenderKeyRecord, SenderKeyStore } from '@signalapp/libsignal-client';
import type { ProtocolAddress, Uuid } from '@signalapp/libsignal-client';
import { ownedBytes } from '../../bytes/bytes.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';
import type { StoreFailures } from './StoreFailures.js';

/** Sender key chains: ours for each group we send to, and each member's that we receive from. */
export class PersistentSenderKeyStore extends SenderKeyStore {
  readonly #store: KeyValueStore;
  readonly #failures: StoreFailures;

  constructor(store: KeyValueStore, failures: StoreFailures) {
    super();
    this.#store = store;
    this.#failures = failures;
  }

  override saveSenderKey(
    sender: ProtocolAddress,
    distributionId: Uuid,
    record: SenderKeyRecord,
  ): Promise<void> {
    return this.#failures.guard(async () => {
      await this.#store.put(senderKeyKey(sender, distributionId), record.serialize());
    });
  }

  override getSenderKey(
    sender: ProtocolAddress,
    distributionId: Uuid,
  ): Promise<SenderKeyRecord | null> {
    return this.#failures.guard(async () => {
      const bytes = await this.#store.get(senderKeyKey(sender, distributionId));
      return bytes === undefined ? null : SenderKeyRecord.deserialize(ownedBytes(bytes));
    });
  }

  /** Forgets a chain, so the next group send from `sender` starts a new one. */
  async deleteSenderKey(sender: ProtocolAddress, distributionId: Uuid): Promise<void> {
    await this.#store.delete(senderKeyKey(sender, distributionId));
  }
}

function senderKeyKey(sender: ProtocolAddress, distributionId: Uuid): string {
  return `sender-keys/${sender.name()}.${sender.deviceId()}/${distributionId}`;
}
