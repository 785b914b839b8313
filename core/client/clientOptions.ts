import type { BackoffOptions } from './Backoff.js';
import type { ConnectScheduleOptions } from './ConnectSchedule.js';

/** Tunables, each with a default suited to a person's client. */
export interface KindredClientOptions {
  /** Time to connect and receive the relay's challenge. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Time a request waits for the relay's answer. Default 15 s. */
  readonly requestTimeoutMs?: number;
  /** Reconnect and resend schedule. Default 250 ms doubling to 30 s, with jitter. */
  readonly backoff?: BackoffOptions;
  /** One-time EC and Kyber prekeys generated per upload. Default 100 of each. */
  readonly preKeyBatchSize?: number;
  /** Keep-alive ping interval on the receiving connection; 0 disables. Default 25 s. */
  readonly keepAliveMs?: number;
  /**
   * How long a used-up contact invite link's delivery key keeps working at the relay, so the
   * last contact can write until its own key reaches it. Default 10 minutes.
   */
  readonly usedInviteKeyGraceMs?: number;
  /**
   * When personas not in view connect, at start and after a drop. Default: 5 s plus an
   * exponential delay of mean 30 s, at most 3 min (see ConnectSchedule).
   */
  readonly connectSchedule?: ConnectScheduleOptions;
  /** An anonymous connection idle this long is closed. Default 5 s. */
  readonly anonymousIdleMs?: number;
  /**
   * The shortest disappearing-messages timer accepted (seconds). Default 300 (5 minutes); only
   * tests lower it, together with their relay's `minDisappearingSeconds`.
   */
  readonly minDisappearingSeconds?: number;
  /** How often expired messages are swept from the vault while it is open, in ms. Default 30 s. */
  readonly disappearingSweepMs?: number;
  /** The vault folder (set by KindredClient): attachments are kept in its `attachments/`. */
  readonly vaultFolder?: string;
  /** Attachment downloads: wait before one that kept failing is tried again. Default 30 s. */
  readonly attachmentRetryMs?: number;
  /** Attachment transfers: failures in a row before a pass gives up. Default 8. */
  readonly attachmentMaxAttempts?: number;
  /**
   * How long one of our 1:1 messages may wait for the relay to take it before it shows as not
   * delivered, with a retry. Default 5 minutes.
   */
  readonly sendDeadlineMs?: number;
  /**
   * The IANA time zone scheduled chats are shown in ("Europe/Paris"). Default: the process's own.
   * Tests give each client its own.
   */
  readonly timeZone?: string;
  /**
   * The clock scheduled chats are read with (which prompts are asked, which chat runs). Default
   * Date.now; tests inject one.
   */
  readonly scheduleClock?: () => number;
  /**
   * The clock facilitator credentials' expiry is checked with (badges, warnings, adding one).
   * Default Date.now; tests inject one.
   */
  readonly credentialClock?: () => number;
}

/** The connection timeouts of `options` that are set, for RelayConnection.open. */
export function connectionTimeouts(options: KindredClientOptions): {
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
} {
  const kept: { -readonly [P in TunableName]?: KindredClientOptions[P] } = {};
  copySet(kept, options, 'connectTimeoutMs');
  copySet(kept, options, 'requestTimeoutMs');
  return kept;
}

/**
 * The options `tunables` keeps: every KindredClientOptions field but `vaultFolder`, which
 * KindredClient sets itself. `satisfies` keeps each a real option name;
 * tests/core/clientOptions.test.ts fails when an option is missing here.
 */
const TUNABLE_NAMES = [
  'connectTimeoutMs',
  'requestTimeoutMs',
  'backoff',
  'preKeyBatchSize',
  'keepAliveMs',
  'connectSchedule',
  'anonymousIdleMs',
  'usedInviteKeyGraceMs',
  'minDisappearingSeconds',
  'disappearingSweepMs',
  'attachmentRetryMs',
  'attachmentMaxAttempts',
  'sendDeadlineMs',
  'timeZone',
  'scheduleClock',
  'credentialClock',
] as const satisfies readonly (keyof KindredClientOptions)[];

type TunableName = (typeof TUNABLE_NAMES)[number];

/** Copies `name` from `from` to `to` when set (an option left out stays out). */
// K ties `from[name]` to `to[name]`: without it both widen to every option's type and the
// assignment does not type-check.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
function copySet<K extends TunableName>(
  to: { -readonly [P in TunableName]?: KindredClientOptions[P] },
  from: KindredClientOptions,
  name: K,
): void {
  const value = from[name];
  if (value !== undefined) to[name] = value;
}

/** The client's tunables alone, so the client does not keep the passphrase. */
export function tunables(options: KindredClientOptions): KindredClientOptions {
  const kept: { -readonly [P in TunableName]?: KindredClientOptions[P] } = {};
  for (const name of TUNABLE_NAMES) copySet(kept, options, name);
  return kept;
}
