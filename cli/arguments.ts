import type { KdfProfile } from '../core/index.js';
import { fromBase64Url } from '../core/index.js';
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

/** Parses a whole number within bounds, for options like --uses and --wait. */
export function parseCount(text: string, what: string, min: number, max: number): number {
  const value = /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new CliError(CliErrorCode.Usage, `${what} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

export function parseKdf(kdf: string): KdfProfile {
  if (kdf === 'moderate' || kdf === 'sensitive' || kdf === 'insecure-fast') return kdf;
  throw new CliError(CliErrorCode.Usage, '--kdf is moderate, sensitive or insecure-fast');
}

/** Relay invite tokens are given as base64url, as the relay prints them. */
export function parseInviteToken(text: string): Uint8Array {
  const bytes = fromBase64Url(text.trim());
  if (bytes === undefined || bytes.length === 0 || bytes.length > MAX_INVITE_TOKEN_BYTES) {
    throw new CliError(CliErrorCode.Usage, '--invite-token must be base64url');
  }
  return bytes;
}
