import { SenderKeyRecord, SenderKeyStore } from '@signalapp/libsignal-client';
import type { ProtocolAddress, Uuid } from '@signalapp/libsignal-client';
import { ownedBytes } from '../../bytes/bytes.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';

/** Sender key chains: ours for each group we send to, and each member's that we receive from. */
export class PersistentSenderKeyStore extends SenderKeyStore {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    super();
    this.#store = store;
  }

  override async saveSenderKey(
    sender: ProtocolAddress,
    distributionId: Uuid,
    record: SenderKeyRecord,
  ): Promise<void> {
    await this.#store.put(senderKeyKey(sender, distributionId), record.serialize());
  }

  override async getSenderKey(
    sender: ProtocolAddress,
    distributionId: Uuid,
  ): Promise<SenderKeyRecord | null> {
    const bytes = await this.#store.get(senderKeyKey(sender, distributionId));
    return bytes === undefined ? null : SenderKeyRecord.deserialize(ownedBytes(bytes));
  }
}

function senderKeyKey(sender: ProtocolAddress, distributionId: Uuid): string {
  return `sender-keys/${sender.name()}.${sender.deviceId()}/${distributionId}`;
}
