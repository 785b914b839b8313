/**
 * A recovery key as the person types it (docs/backup.md): 36 characters of Crockford base32 in
 * nine groups of four. Reading is forgiving, as core's is: case, spaces and dashes do not matter,
 * and O, I and L read as 0, 1 and 1. The checksum needs BLAKE2b, so the main process checks it
 * (`backup.checkKey`); this only tidies what was typed and says what is plainly wrong.
 */
export const RECOVERY_KEY_CHARACTERS = 36;
export const RECOVERY_KEY_GROUP = 4;
export const RECOVERY_KEY_GROUPS = RECOVERY_KEY_CHARACTERS / RECOVERY_KEY_GROUP;

export interface TypedRecoveryKey {
  /** The characters read so far (at most 36), without dashes. */
  readonly characters: string;
  /** The same in groups of four joined by dashes: what the field shows. */
  readonly formatted: string;
  /** A character that is in no recovery key (U, punctuation), if one was typed. */
  readonly invalid?: string;
}

/** Tidies a typed key: upper case, look-alikes read as digits, grouped in fours. */
export function readTypedRecoveryKey(typed: string): TypedRecoveryKey {
  let characters = '';
  let invalid: string | undefined;
  for (const raw of typed.toUpperCase()) {
    if (raw === '-' || /\s/u.test(raw)) continue;
    const character = raw === 'O' ? '0' : raw === 'I' || raw === 'L' ? '1' : raw;
    if (!/^[0-9A-HJKMNP-TV-Z]$/u.test(character)) {
      invalid ??= raw;
      continue;
    }
    if (characters.length < RECOVERY_KEY_CHARACTERS) characters += character;
  }
  return {
    characters,
    formatted: groupsOf(characters).join('-'),
    ...(invalid === undefined ? {} : { invalid }),
  };
}

/** The `n`-th group of four (from 1) of a key as typed, tidied; '' when it is not there. */
export function recoveryKeyGroup(typed: string, n: number): string {
  return groupsOf(readTypedRecoveryKey(typed).characters)[n - 1] ?? '';
}

function groupsOf(characters: string): string[] {
  const groups: string[] = [];
  for (let at = 0; at < characters.length; at += RECOVERY_KEY_GROUP) {
    groups.push(characters.slice(at, at + RECOVERY_KEY_GROUP));
  }
  return groups;
}
