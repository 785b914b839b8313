import { fromHex } from '../../bytes/bytes.js';
import { CoreErrorCode } from '../../errors/CoreError.js';
import type { GroupRuleContext } from '../../groups/GroupRules.js';
import { toCoreError } from '../../signal/signalErrors.js';
import type { EmitClientEvent } from '../clientEvents.js';
import type { GroupMessage } from '../groups/GroupStore.js';
import type { HistoryMessage } from '../direct/MessageHistory.js';
import type { PersonaState } from '../PersonaState.js';

/** How often the vault is swept while open, by default. */
export const DEFAULT_DISAPPEARING_SWEEP_MS = 30_000;

/** A message whose timer ran out, as it was stored just before it was deleted. */
export type ExpiredMessage =
  | { readonly kind: 'direct'; readonly contact: string; readonly message: HistoryMessage }
  | { readonly kind: 'group'; readonly groupId: Uint8Array; readonly message: GroupMessage };

/**
 * Told about every message a sweep deleted, after the deletion is committed and flushed: the hook
 * for whatever a message left outside its record (the attachments' downloaded ciphertext in the
 * vault folder). Awaited one after another; a listener that throws is reported through the
 * sweeper's `onError` and does not stop the others (the message is gone either way).
 */
export type ExpiryListener = (expired: ExpiredMessage) => Promise<void> | void;

export interface VaultSweeperOptions {
  readonly state: PersonaState;
  readonly intervalMs?: number;
  /** A sweep failed (a vault that went away); the next one tries again. */
  readonly onError: (error: unknown) => void;
  /** Messages left the vault, so views can drop them (the client's `expired` event). */
  readonly onSwept?: (expired: readonly ExpiredMessage[]) => void;
}

/**
 * Takes messages whose disappearing timer ran out out of one persona's vault, from both kinds of
 * conversation store and from the search index (both through the conversation stores, see
 * `expiringConversation` and `indexedConversation`): once as soon as the vault is unlocked (what
 * ran out while the app was closed goes before anything shows it), then every `intervalMs`. Each
 * sweep is one step of the persona's state, committed and flushed whole; then the
 * {@link ExpiryListener}s registered with `onExpired` hear of each message.
 */
export class VaultSweeper {
  readonly #options: VaultSweeperOptions;
  readonly #listeners: ExpiryListener[] = [];
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(options: VaultSweeperOptions) {
    this.#options = options;
  }

  /** Adds a listener told about every expired message (see {@link ExpiryListener}). */
  onExpired(listener: ExpiryListener): void {
    this.#listeners.push(listener);
  }

  /** Sweeps now, then on the interval until `stop`. */
  start(): Promise<void> {
    if (this.#timer === undefined && !this.#stopped) {
      this.#timer = setInterval(() => {
        void this.sweep();
      }, this.#options.intervalMs ?? DEFAULT_DISAPPEARING_SWEEP_MS);
      this.#timer.unref();
    }
    return this.sweep();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One sweep (joins the one running, if any); never rejects. */
  sweep(): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#running ??= this.#sweepOnce().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #sweepOnce(): Promise<void> {
    let expired: ExpiredMessage[];
    try {
      expired = await sweepExpired(this.#options.state, Date.now());
    } catch (error) {
      this.#options.onError(error);
      return;
    }
    if (expired.length === 0) return;
    for (const message of expired) {
      for (const listener of this.#listeners) {
        try {
          await listener(message);
        } catch (error) {
          this.#options.onError(error);
        }
      }
    }
    this.#options.onSwept?.(expired);
  }
}

/**
 * Deletes every stored message whose `expiresAt` is at or before `now`, from its conversation
 * store and the search index, in one committed, flushed step; returns what it deleted.
 */
export async function sweepExpired(state: PersonaState, now: number): Promise<ExpiredMessage[]> {
  const expired = await state.transact(async () => {
    const deleted: ExpiredMessage[] = [];
    for (const { message } of await state.expiring.due(now)) {
      const found = await deleteExpired(state, message.conversation, message.index);
      // A note whose message is already gone (or whose name this client cannot read) is dropped.
      if (found === undefined) await state.expiring.remove(message);
      else deleted.push(found);
    }
    return deleted;
  });
  if (expired.length > 0) await state.store.flush();
  return expired;
}

async function deleteExpired(
  state: PersonaState,
  conversation: string,
  index: number,
): Promise<ExpiredMessage | undefined> {
  const separator = conversation.indexOf(':');
  const kind = conversation.slice(0, separator);
  const name = conversation.slice(separator + 1);
  const self = state.persona.address;
  if (kind === 'direct') {
    const message = await state.history.conversation(name).deleteMessage(index);
    return message === undefined ? undefined : { kind, contact: name, message };
  }
  const groupId = kind === 'group' ? fromHex(name) : undefined;
  if (groupId === undefined) return undefined;
  const message = await state.groups.conversation(groupId, { self }).deleteMessage(index);
  return message === undefined ? undefined : { kind: 'group', groupId, message };
}

/** What a persona's sweeper and rules take from the client's options. */
export interface DisappearingOptions {
  readonly minDisappearingSeconds?: number;
  readonly disappearingSweepMs?: number;
}

/** The group rules' context for this client: a lowered disappearing minimum, in tests only. */
export function ruleContextOf(options: DisappearingOptions): GroupRuleContext {
  return options.minDisappearingSeconds === undefined
    ? {}
    : { minDisappearingSeconds: options.minDisappearingSeconds };
}

/** A persona's sweeper, reporting through its events (`expired`, `error`). */
export function personaSweeper(
  state: PersonaState,
  options: DisappearingOptions,
  emit: EmitClientEvent,
): VaultSweeper {
  return new VaultSweeper({
    state,
    ...(options.disappearingSweepMs === undefined
      ? {}
      : { intervalMs: options.disappearingSweepMs }),
    onError: (error) => {
      emit('error', toCoreError(error, CoreErrorCode.Internal, 'disappearing sweep'));
    },
    onSwept: (messages) => {
      emit('expired', { messages });
    },
  });
}
