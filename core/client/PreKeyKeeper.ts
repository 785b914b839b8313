import type { CoreError } from '../errors/CoreError.js';
import { CoreErrorCode } from '../errors/CoreError.js';
import type { PreKeyStatus } from '../protocol/gen/kindred_pb.js';
import { toCoreError } from '../signal/signalErrors.js';
import type { PersonaState } from './PersonaState.js';
import type { RelayConnection } from './RelayConnection.js';
import { isPassingRelayFailure } from './relayFailure.js';

export const DEFAULT_PREKEY_BATCH = 100;

/** What a PreKeyKeeper needs from the persona it belongs to. */
export interface PreKeyKeeperOptions {
  readonly state: PersonaState;
  /** One-time EC and Kyber prekeys generated per upload. Default 100 of each. */
  readonly batchSize?: number;
  /** Whether the persona's session stopped: a low signal then starts no refill. */
  readonly isStopped: () => boolean;
  /** A refill failed for a reason retrying will not fix. */
  readonly reportError: (error: CoreError) => void;
}

/**
 * A persona's prekeys at the relay: generates a signed prekey, a last-resort Kyber key and a
 * batch of one-time keys, and uploads them (at registration, after a restore, and whenever the
 * relay says the stock runs low), one refill at a time.
 */
export class PreKeyKeeper {
  readonly #options: PreKeyKeeperOptions;
  #refillingPreKeys = false;

  constructor(options: PreKeyKeeperOptions) {
    this.#options = options;
  }

  /** The relay's word on our prekey stock: a refill starts when it runs low. */
  onPreKeyStatus(connection: RelayConnection, status: PreKeyStatus): void {
    if (!status.low || this.#refillingPreKeys || this.#options.isStopped()) return;
    this.#refillingPreKeys = true;
    this.uploadPreKeys(connection)
      .catch((error: unknown) => {
        // Retried on the next low signal or reconnect; report only what retrying will not fix
        // (listeners such as `kindred listen` stop on an error).
        if (isPassingRelayFailure(error)) return;
        this.#options.reportError(toCoreError(error, CoreErrorCode.Internal, 'uploading prekeys'));
      })
      .finally(() => {
        this.#refillingPreKeys = false;
      });
  }

  /**
   * Generates a signed prekey, a last-resort Kyber key and one-time keys, and uploads them;
   * `replaceOneTime` makes the relay drop the one-time keys it holds (after a restore).
   */
  async uploadPreKeys(connection: RelayConnection, replaceOneTime = false): Promise<void> {
    const count = this.#options.batchSize ?? DEFAULT_PREKEY_BATCH;
    const state = this.#options.state;
    const upload = await state.transact(() =>
      state.cipher.generatePreKeys({ oneTimePreKeys: count, oneTimeKyberPreKeys: count }),
    );
    await connection.request(
      {
        case: 'uploadPreKeys',
        value: {
          signedPreKey: upload.signedPreKey,
          lastResortKyberPreKey: upload.lastResortKyberPreKey,
          oneTimePreKeys: [...upload.oneTimePreKeys],
          oneTimeKyberPreKeys: [...upload.oneTimeKyberPreKeys],
          replaceOneTime,
        },
      },
      'ok',
    );
  }
}
