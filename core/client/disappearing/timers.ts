import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { MIN_DISAPPEARING_SECONDS } from '../../groups/GroupRules.js';
import { timerChangeBody } from '../messages/messageBodyCodec.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';
import { RecordReader, encodeRecord } from '../jsonRecord.js';

/**
 * Disappearing messages: a conversation's timer (seconds, 0 = off), the words for it, and where a
 * 1:1 conversation keeps it. A group's timer is its policy (GroupState.policy.disappearingSeconds).
 */

const UNITS: readonly (readonly [suffix: string, seconds: number, name: string])[] = [
  ['w', 7 * 24 * 3600, 'week'],
  ['d', 24 * 3600, 'day'],
  ['h', 3600, 'hour'],
  ['m', 60, 'minute'],
  ['s', 1, 'second'],
];

/**
 * A timer in seconds, checked: 0 (off) or `minimum` .. 4 weeks. `minimum` is 5 minutes for users;
 * only tests lower it (KindredClientOptions.minDisappearingSeconds). CORE_INVALID_INPUT otherwise.
 */
export function checkTimerSeconds(
  seconds: unknown,
  minimum: number = MIN_DISAPPEARING_SECONDS,
): number {
  return timerChangeBody(seconds, minimum).seconds;
}

/**
 * Reads `off`, `0`, or a number with a unit (`30m`, `1h`, `1d`, `2w`; `s` for seconds), then
 * checks it like checkTimerSeconds. CORE_INVALID_INPUT for anything else.
 */
export function parseTimer(text: string, minimum: number = MIN_DISAPPEARING_SECONDS): number {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'off' || trimmed === '0') return 0;
  const match = /^(\d{1,7})([wdhms])$/.exec(trimmed);
  const unit = UNITS.find(([suffix]) => suffix === match?.[2]);
  if (match === null || unit === undefined) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      'a timer is off, or a number with a unit: 30m, 1h, 1d, 1w',
    );
  }
  return checkTimerSeconds(Number(match[1]) * unit[1], minimum);
}

/** "1 day", "2 weeks", "90 minutes", "off": the largest unit that divides it. */
export function timerWords(seconds: number): string {
  if (seconds === 0) return 'off';
  for (const [, size, name] of UNITS) {
    if (seconds % size === 0) {
      const count = seconds / size;
      return `${count} ${name}${count === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}

/** The line a conversation shows when its timer changes. */
export function describeTimerChange(seconds: number): string {
  return seconds === 0
    ? 'disappearing messages turned off'
    : `disappearing messages set to ${timerWords(seconds)}`;
}

/** When a message stored now under `seconds` leaves the vault; undefined when the timer is off. */
export function expiryOf(sentAt: number, seconds: number): number | undefined {
  return seconds === 0 ? undefined : sentAt + seconds * 1000;
}

const TIMERS = 'client/timers';

/** Each 1:1 conversation's timer, by the contact's address; 0 when never set. */
export class ConversationTimers {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  async get(address: string): Promise<number> {
    const bytes = await this.#store.get(`${TIMERS}/${address}`);
    if (bytes === undefined) return 0;
    return RecordReader.decode(bytes, 'timer').number('seconds');
  }

  async set(address: string, seconds: number): Promise<void> {
    await this.#store.put(`${TIMERS}/${address}`, encodeRecord({ seconds }));
  }

  /** Forgets the conversation's timer (its contact was removed). */
  async clear(address: string): Promise<void> {
    await this.#store.delete(`${TIMERS}/${address}`);
  }
}
