import { isIPv6 } from 'node:net';
import { RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { memoryLimiters } from './cluster/sharedLimiters.js';
import type { LimiterFactory, ShortLimiter } from './cluster/sharedLimiters.js';
import { RelayErrorCode } from '../core/index.js';
import { RelayError } from './RelayError.js';
import type { RelayLimits } from './relayLimits.js';

type RateName =
  | 'frames'
  | 'sends'
  | 'fetches'
  | 'fetchTargets'
  | 'groupOperations'
  | 'groupPosts'
  | 'groupLogFetches'
  | 'directoryFetches';

/** Budgets that count stored bytes or groups rather than requests: refusals are quota refusals. */
type QuotaName = 'groupCreates' | 'personaGroupBytes' | 'groupBytes';

/** Who a connection's requests are counted against. */
export interface RateSubject {
  /** The remote address, IPv6 cut to its /64 (see addressRateKey). */
  readonly address: string;
  /** The persona of an authenticated connection. */
  readonly persona?: string;
}

const DAY_SECONDS = 24 * 60 * 60;

/** What RelayRateLimits asks of any of its limiters. */
type Limiter = RateLimiterAbstract | ShortLimiter;

/** A rate's limiter per persona, and per address. */
type Pair = readonly [Limiter | undefined, Limiter | undefined];

/**
 * The relay's rate limits and daily quotas (fixed windows; in memory on a single node, in Redis
 * when the relay runs on it, so that several nodes share them: see sharedLimiters.ts). Callers pass a
 * connection's key; the connection has bound it to its subject, so a request is counted against
 * the persona on an authenticated connection and against the remote address (IPv6: its /64)
 * always: opening more connections, or reconnecting, buys no more. An authenticated persona has
 * the option's budget; an address has `addressRateFactor` times it, shared by everything that
 * comes from it. A key nobody bound (a persona's address for fetches of its prekeys) is counted
 * as it is.
 */
export class RelayRateLimits {
  readonly #personal: Readonly<Record<RateName, Limiter | undefined>>;
  readonly #perAddress: Readonly<Record<RateName, Limiter | undefined>>;
  readonly #quotas: Readonly<Record<QuotaName, RateLimiterAbstract | undefined>>;
  /** Each bound connection's persona and the key its address is counted under (hashed once). */
  readonly #subjects = new Map<
    string,
    { readonly persona?: string; readonly addressKey: string }
  >();
  /** What a remote address is counted under in the limiters (shared ones: a keyed hash). */
  readonly #addressKey: (address: string) => string;

  constructor(limits: RelayLimits, factory: LimiterFactory = memoryLimiters) {
    const factor = limits.addressRateFactor;
    this.#addressKey = (address) => factory.addressKey(address);
    const limiter = (
      name: string,
      points: number,
      seconds: number,
    ): RateLimiterAbstract | undefined =>
      points === 0 ? undefined : factory.create(name, points, seconds);
    // Per-second windows: shared through leases for an address, counted where a persona's one
    // connection is (sharedLimiters.ts).
    const short = (name: string, points: number, onePerRelay: boolean): Limiter | undefined =>
      points === 0 ? undefined : factory.createShort(name, points, 1, onePerRelay);
    const both = (name: RateName, points: number, seconds: number): Pair =>
      seconds === 1
        ? [short(`${name}:p`, points, true), short(`${name}:a`, points * factor, false)]
        : [limiter(`${name}:p`, points, seconds), limiter(`${name}:a`, points * factor, seconds)];
    const rates: Record<RateName, Pair> = {
      frames: both('frames', limits.maxFramesPerSecond, 1),
      sends: both('sends', limits.maxSendsPerSecond, 1),
      fetches: both('fetches', limits.maxFetchesPerMinute, 60),
      fetchTargets: both('fetchTargets', limits.maxFetchesPerTargetPerMinute, 60),
      groupOperations: both('groupOperations', limits.maxGroupOperationsPerMinute, 60),
      groupPosts: both('groupPosts', limits.maxGroupPostsPerSecond, 1),
      groupLogFetches: both('groupLogFetches', limits.maxGroupLogFetchesPerMinute, 60),
      directoryFetches: both('directoryFetches', limits.maxDirectoryFetchesPerMinute, 60),
    };
    const pick = (index: 0 | 1): Record<RateName, Limiter | undefined> => ({
      frames: rates.frames[index],
      sends: rates.sends[index],
      fetches: rates.fetches[index],
      fetchTargets: rates.fetchTargets[index],
      groupOperations: rates.groupOperations[index],
      groupPosts: rates.groupPosts[index],
      groupLogFetches: rates.groupLogFetches[index],
      directoryFetches: rates.directoryFetches[index],
    });
    this.#personal = pick(0);
    this.#perAddress = pick(1);
    this.#quotas = {
      groupCreates: limiter('groupCreates', limits.maxGroupsCreatedPerPersonaPerDay, DAY_SECONDS),
      personaGroupBytes: limiter(
        'personaGroupBytes',
        limits.maxGroupBytesPerPersonaPerDay,
        DAY_SECONDS,
      ),
      groupBytes: limiter('groupBytes', limits.maxGroupBytesPerGroupPerDay, DAY_SECONDS),
    };
  }

  /** Counts `connectionKey`'s requests against `subject` from now on (again after authenticating). */
  bind(connectionKey: string, subject: RateSubject): void {
    const addressKey = `a:${this.#addressKey(subject.address)}`;
    this.#subjects.set(
      connectionKey,
      subject.persona === undefined ? { addressKey } : { persona: subject.persona, addressKey },
    );
  }

  /** Forgets a closed connection's key (the budgets it used stay with its subject). */
  unbind(connectionKey: string): void {
    this.#subjects.delete(connectionKey);
  }

  /** Counts one event; throws RELAY_RATE_LIMITED (with retry_after_ms) when over the limit. */
  async consume(name: RateName, key: string): Promise<void> {
    const subject = this.#subjects.get(key);
    if (subject === undefined) {
      await take(this.#personal[name], key, 1, RelayErrorCode.RateLimited);
      return;
    }
    if (subject.persona !== undefined) {
      await take(this.#personal[name], `p:${subject.persona}`, 1, RelayErrorCode.RateLimited);
    }
    await take(this.#perAddress[name], subject.addressKey, 1, RelayErrorCode.RateLimited);
  }

  /**
   * Counts `amount` against a daily quota kept under `key` (a persona's address or a group's key);
   * throws RELAY_QUOTA_EXCEEDED (with retry_after_ms: when the day's budget renews) beyond it.
   */
  async spend(name: QuotaName, key: string, amount = 1): Promise<void> {
    await take(this.#quotas[name], key, amount, RelayErrorCode.QuotaExceeded);
  }

  /** Gives back what `spend` took for a write that was then refused or failed. */
  async refund(name: QuotaName, key: string, amount = 1): Promise<void> {
    await this.#quotas[name]?.reward(key, amount);
  }
}

async function take(
  rate: Limiter | undefined,
  key: string,
  amount: number,
  code: typeof RelayErrorCode.RateLimited | typeof RelayErrorCode.QuotaExceeded,
): Promise<void> {
  if (rate === undefined) return;
  try {
    await rate.consume(key, amount);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      throw new RelayError(
        code,
        code === RelayErrorCode.RateLimited ? 'rate limit exceeded' : 'quota exceeded',
        { retryAfterMs: Math.max(1, Math.ceil(rejection.msBeforeNext)) },
      );
    }
    throw rejection;
  }
}

/**
 * The key a remote address is counted under: an IPv4 address as it is, an IPv6 address cut to its
 * /64 (one subscriber usually holds a whole /64, so counting single addresses would let one
 * machine take 2^64 budgets). IPv4-mapped IPv6 (::ffff:a.b.c.d) counts as the IPv4 address.
 */
export function addressRateKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1] !== undefined) return mapped[1];
  const bare = address.split('%')[0] ?? address;
  if (!isIPv6(bare)) return address;
  return `${expandIPv6(bare).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, lower-case hex without leading zeros. */
function expandIPv6(address: string): string[] {
  let text = address.toLowerCase();
  // A trailing dotted IPv4 part stands for the last two groups.
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    const tail = `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
    text = text.slice(0, dotted.index) + tail;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros =
    rest === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...zeros, ...right].map((group) => parseInt(group, 16).toString(16));
}
