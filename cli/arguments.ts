import type { KdfProfile } from '../core/client/index.js';
import {
  GROUP_MESSAGE_ID_BYTES,
  MAX_GROUP_NAME_LENGTH,
  MAX_WARNING_LENGTH,
  PSEUDONYM_MAX_LENGTH,
  codePointLength,
  fromBase64Url,
  isPersonaAddress,
  parseTimer,
  isValidWarning,
} from '../core/client/index.js';
import { CliError, CliErrorCode } from './CliError.js';

/** Longest relay invite token accepted (tokens the relay prints are far shorter). */
const MAX_INVITE_TOKEN_BYTES = 1024;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Parses `30s`, `30m`, `24h`, `7d` into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  const amount = match?.[1];
  const unit = match?.[2] as keyof typeof UNIT_MS | undefined;
  if (amount === undefined || unit === undefined || Number(amount) === 0) {
    throw new CliError(CliErrorCode.Usage, 'a duration looks like 30m, 24h or 7d');
  }
  return Number(amount) * UNIT_MS[unit];
}

/** A contact link's lifetime: a duration, or `never` (0: the link does not expire). */
export function parseLinkLifetime(text: string): number {
  if (text.trim() === 'never') return 0;
  try {
    return parseDuration(text);
  } catch {
    throw new CliError(CliErrorCode.Usage, 'a lifetime looks like 30m, 24h, 7d or never');
  }
}

/** A disappearing timer: `off`, or 5m .. 4w (`30m`, `1h`, `1d`, `1w`), in seconds. */
export function parseTimerArgument(text: string): number {
  try {
    return parseTimer(text);
  } catch {
    throw new CliError(
      CliErrorCode.Usage,
      'a timer is off, or from 5m to 4w written like 30m, 1h, 1d or 1w',
    );
  }
}

/** Parses a whole number within bounds, for options like --uses and --wait. */
export function parseCount(text: string, what: string, min: number, max: number): number {
  const value = /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliError(CliErrorCode.Usage, `${what} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

/**
 * Set to 1 in test suites only: lets `--kdf insecure-fast` through (libsodium's minimum Argon2id
 * cost, so hundreds of vaults can be made). `--help` never lists it.
 */
export const INSECURE_KDF_TEST_FLAG = 'KINDRED_TEST_INSECURE_KDF';

export function parseKdf(kdf: string): KdfProfile {
  if (kdf === 'moderate' || kdf === 'sensitive') return kdf;
  if (kdf === 'insecure-fast' && process.env[INSECURE_KDF_TEST_FLAG] === '1') return kdf;
  throw new CliError(CliErrorCode.Usage, '--kdf is moderate or sensitive');
}

/** Relay invite tokens are given as base64url, as the relay prints them. */
export function parseInviteToken(text: string): Uint8Array {
  const bytes = fromBase64Url(text.trim());
  if (bytes === undefined || bytes.length === 0 || bytes.length > MAX_INVITE_TOKEN_BYTES) {
    throw new CliError(CliErrorCode.Usage, '--invite-token must be base64url');
  }
  return bytes;
}

// ---------------------------------------------------------------------------------------------
// Groups. Lengths are core's own limits (which core checks too, CORE_INVALID_INPUT), checked here
// as well so that a bad argument is a usage error before the vault is even opened.

/** The default length of a mute when `--until` is not given. */
export const DEFAULT_MUTE_MS = 24 * 3_600_000;

/** Control characters (C0, C1) and bidirectional overrides: never part of a name we accept. */
const UNPRINTABLE_NAME = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
const HEX_ID = new RegExp(`^[0-9a-fA-F]{${GROUP_MESSAGE_ID_BYTES * 2}}$`);

/** A group by its id (32 hex characters) or its name; whether it exists, the vault tells. */
export function parseGroupReference(text: string): string {
  const trimmed = text.trim();
  if (
    trimmed.length === 0 ||
    trimmed.length > MAX_GROUP_NAME_LENGTH ||
    UNPRINTABLE_NAME.test(trimmed)
  ) {
    throw new CliError(CliErrorCode.Usage, 'a group is named by its id or its name');
  }
  return trimmed;
}

/** A member by address or pseudonym. */
export function parseMember(text: string): string {
  const trimmed = text.trim();
  if (isPersonaAddress(trimmed.toLowerCase())) return trimmed.toLowerCase();
  if (
    trimmed.length === 0 ||
    codePointLength(trimmed) > PSEUDONYM_MAX_LENGTH ||
    UNPRINTABLE_NAME.test(trimmed)
  ) {
    throw new CliError(CliErrorCode.Usage, 'a member is named by address or pseudonym');
  }
  return trimmed;
}

/** A group message id, as `group messages` prints it: 32 hex characters. */
export function parseMessageId(text: string, what = 'a message id'): string {
  const trimmed = text.trim();
  if (!HEX_ID.test(trimmed)) {
    throw new CliError(
      CliErrorCode.Usage,
      `${what} is ${GROUP_MESSAGE_ID_BYTES * 2} hex characters`,
    );
  }
  return trimmed.toLowerCase();
}

/**
 * When a mute ends: an ISO 8601 time (`2030-01-31T18:00Z`) or a duration from now (`30m`, `24h`,
 * `7d`). It must lie in the future.
 */
export function parseUntil(text: string, now: number = Date.now()): number {
  const trimmed = text.trim();
  const usage = new CliError(
    CliErrorCode.Usage,
    '--until is a time like 2030-01-31T18:00Z or a duration like 30m, 24h or 7d',
  );
  let until: number;
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/i.test(trimmed)) {
    until = Date.parse(trimmed);
  } else {
    try {
      until = now + parseDuration(trimmed);
    } catch {
      throw usage;
    }
  }
  if (!Number.isSafeInteger(until) || until <= now) throw usage;
  return until;
}

/** A content warning for --warning: 1 to 100 characters, one line, no control characters. */
export function parseWarning(text: string): string {
  if (!isValidWarning(text)) {
    throw new CliError(
      CliErrorCode.Usage,
      `--warning has 1 to ${MAX_WARNING_LENGTH} characters on one line, without control characters`,
    );
  }
  return text;
}

/** `on` or `off`, for switches like --approval. */
export function parseOnOff(text: string, what: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === 'on') return true;
  if (value === 'off') return false;
  throw new CliError(CliErrorCode.Usage, `${what} is on or off`);
}

/** Free text with a length limit (a reason, a description, a message). */
export function parseText(
  text: string,
  what: string,
  limit: number,
  options: { allowEmpty?: boolean } = {},
): string {
  if (text.length > limit || (options.allowEmpty !== true && text.trim().length === 0)) {
    throw new CliError(
      CliErrorCode.Usage,
      `${what} has ${options.allowEmpty === true ? 0 : 1} to ${limit} characters`,
    );
  }
  return text;
}

/** A new group's name: printable, 1 to 100 characters. */
export function parseGroupName(text: string): string {
  const trimmed = text.trim();
  if (
    trimmed.length === 0 ||
    trimmed.length > MAX_GROUP_NAME_LENGTH ||
    UNPRINTABLE_NAME.test(trimmed)
  ) {
    throw new CliError(
      CliErrorCode.Usage,
      `a group name has 1 to ${MAX_GROUP_NAME_LENGTH} printable characters`,
    );
  }
  return trimmed;
}
