import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { Sodium } from '../vault/sodium.js';

/**
 * A backup's recovery key: 160 random bits, shown once as 36 characters of Crockford base32 in
 * nine groups of four, e.g. `7K2M-...`. The last four characters are a 20-bit checksum (keyed
 * BLAKE2b of the key), so a mistyped character is caught before any decryption is tried
 * (CORE_BACKUP_KEY_MALFORMED) instead of looking like a wrong key. Crockford's alphabet has no
 * I, L, O or U; reading is forgiving: case, spaces and dashes do not matter, and O, I and L are
 * read as 0, 1 and 1.
 */
export const RECOVERY_KEY_BYTES = 20;

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const KEY_CHARACTERS = (RECOVERY_KEY_BYTES * 8) / 5;
const CHECK_CHARACTERS = 4;
const GROUP = 4;
const CHECK_CONTEXT = new TextEncoder().encode('kindred-recovery-key-check');

export function generateRecoveryKey(sodium: Sodium): Uint8Array {
  return sodium.randombytes_buf(RECOVERY_KEY_BYTES);
}

/** The key as a person writes it down: nine dash-separated groups of four characters. */
export function formatRecoveryKey(sodium: Sodium, key: Uint8Array): string {
  if (key.length !== RECOVERY_KEY_BYTES) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'a recovery key has 20 bytes');
  }
  const characters = encodeBase32(key) + checksum(sodium, key);
  const groups: string[] = [];
  for (let at = 0; at < characters.length; at += GROUP)
    groups.push(characters.slice(at, at + GROUP));
  return groups.join('-');
}

/** Reads a key as typed; a wrong length, character or checksum is CORE_BACKUP_KEY_MALFORMED. */
export function parseRecoveryKey(sodium: Sodium, text: string): Uint8Array {
  const cleaned = text.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (
    cleaned.length !== KEY_CHARACTERS + CHECK_CHARACTERS ||
    !/^[0-9A-HJKMNP-TV-Z]+$/.test(cleaned)
  ) {
    throw new CoreError(
      CoreErrorCode.BackupKeyMalformed,
      'a recovery key has 36 characters of 0-9 and A-Z (no U)',
    );
  }
  const key = decodeBase32(cleaned.slice(0, KEY_CHARACTERS));
  if (checksum(sodium, key) !== cleaned.slice(KEY_CHARACTERS)) {
    throw new CoreError(
      CoreErrorCode.BackupKeyMalformed,
      'the recovery key has a typo: its checksum does not match',
    );
  }
  return key;
}

function checksum(sodium: Sodium, key: Uint8Array): string {
  const digest = sodium.crypto_generichash(16, key, CHECK_CONTEXT);
  return encodeBase32(digest).slice(0, CHECK_CHARACTERS);
}

function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET.charAt((buffer >>> bits) & 31);
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET.charAt((buffer << (5 - bits)) & 31);
  return out;
}

/** Decodes characters already checked against the alphabet; the length is a multiple of 8. */
function decodeBase32(text: string): Uint8Array {
  const out = new Uint8Array((text.length * 5) / 8);
  let buffer = 0;
  let bits = 0;
  let at = 0;
  for (const character of text) {
    buffer = (buffer << 5) | ALPHABET.indexOf(character);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (buffer >>> bits) & 0xff;
    }
    buffer &= (1 << bits) - 1;
  }
  return out;
}
