import { CoreErrorCode } from '../errors/CoreError.js';
import type { CoreError } from '../errors/CoreError.js';
import { accessKeyHash } from '../protocol/relayAuth.js';
import { toCoreError } from '../signal/signalErrors.js';
import { encodeContent } from './contentCodec.js';
import { newMessageId } from './messages/messageBodyCodec.js';
import type { DeliveryKeyScope, OwnDeliveryKey } from './DeliveryKeys.js';
import { deliveryKeyId } from './DeliveryKeys.js';
import type { PersonaState } from './PersonaState.js';
import type { RelayConnection } from './RelayConnection.js';
import { reconcileRequestKeys } from './requests/requestKeys.js';

/** setTimeout's largest delay; a later revocation is simply looked at again then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface DeliveryKeyKeeperOptions {
  readonly state: PersonaState;
  /** An authenticated connection (adding and revoking keys needs the persona); `release` after. */
  readonly authenticated: () => Promise<{ connection: RelayConnection; release: () => void }>;
  /** Wakes the outbox (a DeliveryKeyGrant was queued). */
  readonly kickOutbox: () => void;
  /** A background failure that retrying will not fix. */
  readonly reportError: (error: CoreError) => void;
  /** Whether a background failure goes away by itself (a lost or busy relay). */
  readonly isPassing: (error: unknown) => boolean;
}

/**
 * Brings the relay in line with the delivery keys this persona handed out (core/client/
 * DeliveryKeys.ts): registers new ones, sends a contact its own key once registered, and revokes
 * what was blocked, left or used up. Every change is written to the vault first and carried out
 * by a pass, so one that could not reach the relay is done by the next pass (at every start, and
 * whenever something changes). Passes run one at a time.
 */
export class DeliveryKeyKeeper {
  readonly #options: DeliveryKeyKeeperOptions;
  #tail: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: DeliveryKeyKeeperOptions) {
    this.#options = options;
  }

  /** Runs a pass after the ones already queued; rejects with what stopped it. */
  sync(): Promise<void> {
    const pass = this.#tail.catch(() => undefined).then(() => this.#pass());
    this.#tail = pass;
    return pass;
  }

  /** A pass in the background; failures that will not pass by themselves are reported. */
  kick(): void {
    if (this.#stopped) return;
    this.sync().catch((error: unknown) => {
      if (this.#stopped || this.#options.isPassing(error)) return;
      this.#options.reportError(toCoreError(error, CoreErrorCode.Internal, 'delivery keys'));
    });
  }

  /** Resolves once the passes queued so far have ended (however they ended), or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#tail.catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }

  /**
   * A fresh key for `scope`, registered with the relay before this resolves. When registering
   * fails, the key is retired again and the failure thrown.
   */
  async issue(
    scope: DeliveryKeyScope,
    options: { readonly expiresAt?: number; readonly grant?: boolean } = {},
  ): Promise<OwnDeliveryKey> {
    const { state } = this.#options;
    const key = await state.transact(() => state.deliveryKeys.create(scope, options));
    await state.store.flush();
    try {
      await this.sync();
    } catch (error) {
      await state.transact(() => this.#retire(key));
      throw error;
    }
    return key;
  }

  /** The key in use for `scope`, else a fresh one, registered with the relay either way. */
  async current(scope: DeliveryKeyScope): Promise<OwnDeliveryKey> {
    const { state } = this.#options;
    const known = await state.transact(() => state.deliveryKeys.current(scope));
    if (known === undefined) return this.issue(scope);
    if (known.status === 'pending') await this.sync();
    return known;
  }

  /** Marks the keys of `scope` for revocation and runs a pass (in the background). */
  async retire(scope: DeliveryKeyScope): Promise<void> {
    const { state } = this.#options;
    await state.transact(() => state.deliveryKeys.revoke(scope));
    this.kick();
  }

  async #retire(key: OwnDeliveryKey): Promise<void> {
    const { state } = this.#options;
    const stored = await state.deliveryKeys.get(deliveryKeyId(key.key));
    if (stored !== undefined) {
      await state.deliveryKeys.put({ ...stored, status: 'revoking', grant: false, revokeAt: 0 });
    }
  }

  async #pass(): Promise<void> {
    if (this.#stopped) return;
    const { state } = this.#options;
    const now = Date.now();
    const keys = await state.transact(async () => {
      // Fellow members' request keys, made or retired as our groups now stand.
      await reconcileRequestKeys(state);
      const all = await state.deliveryKeys.list();
      // The relay refuses an expired key by itself: nothing to revoke, only to forget.
      const expired = all.filter((key) => key.expiresAt !== 0 && key.expiresAt <= now);
      for (const key of expired) await state.deliveryKeys.delete(key);
      return all.filter((key) => !expired.includes(key));
    });
    const due = keys.filter(
      (key) =>
        key.status === 'pending' ||
        (key.status === 'active' && key.grant) ||
        (key.status === 'revoking' && key.revokeAt <= now),
    );
    this.#schedule(keys, now);
    if (due.length === 0) return;
    const { connection, release } = await this.#options.authenticated();
    let granted = false;
    try {
      for (const key of due) {
        const hash = accessKeyHash(key.key);
        if (key.status === 'revoking') {
          await connection.request(
            { case: 'revokeDeliveryKey', value: { accessKeyHash: hash } },
            'ok',
          );
          await state.transact(async () => {
            const stored = await state.deliveryKeys.get(deliveryKeyId(key.key));
            if (stored?.status === 'revoking') await state.deliveryKeys.delete(stored);
          });
          continue;
        }
        if (key.status === 'pending') {
          await connection.request(
            {
              case: 'addDeliveryKey',
              value: { accessKeyHash: hash, expiresAt: BigInt(key.expiresAt) },
            },
            'ok',
          );
        }
        granted = (await state.transact(() => this.#activate(key))) || granted;
      }
    } finally {
      release();
      await state.store.flush();
    }
    if (granted) this.#options.kickOutbox();
  }

  /**
   * Marks a registered key active and, for a contact's key not yet granted, queues the grant.
   * Inside a transaction; true when a grant was queued. A key retired meanwhile is left alone.
   */
  async #activate(key: OwnDeliveryKey): Promise<boolean> {
    const { state } = this.#options;
    const stored = await state.deliveryKeys.get(deliveryKeyId(key.key));
    if (stored === undefined || stored.status === 'revoking') return false;
    if (!stored.grant || !stored.scope.startsWith('contact:')) {
      await state.deliveryKeys.put({ ...stored, status: 'active', grant: false });
      return false;
    }
    const address = stored.scope.slice('contact:'.length);
    const contact = await state.contacts.get(address);
    await state.deliveryKeys.put({ ...stored, status: 'active', grant: false });
    if (contact === undefined || contact.blocked === true) return false;
    const sequence = await state.history.takeOutgoingSequence(address);
    const sentAt = Date.now();
    const messageId = newMessageId();
    const { bytes } = encodeContent({
      messageId,
      sequence,
      sentAt,
      body: { case: 'deliveryKey', value: { accessKey: stored.key } },
    });
    await state.outbox.put({
      messageId,
      recipient: address,
      sequence,
      content: bytes,
      enqueuedAt: sentAt,
    });
    return true;
  }

  /** A pass when the next planned revocation is due (a used-up invite's grace). */
  #schedule(keys: readonly OwnDeliveryKey[], now: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    const next = Math.min(
      ...keys
        .filter((key) => key.status === 'revoking' && key.revokeAt > now)
        .map((key) => key.revokeAt),
    );
    if (!Number.isFinite(next) || this.#stopped) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.kick();
      },
      Math.min(next - now, MAX_TIMER_MS),
    );
    this.#timer.unref();
  }
}
