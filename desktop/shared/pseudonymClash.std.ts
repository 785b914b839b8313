/**
 * When a pseudonym being chosen is the same name as one of our other personas'. The window may
 * not import core, so `samePseudonymKey` mirrors core's `pseudonymKey` (tests/desktop/
 * pseudonymClash.test.ts keeps them equal): core decides what "the same name" means everywhere.
 */

/** Unicode-normalised (NFKC), trimmed, spaces collapsed, case folded: as core compares names. */
export function samePseudonymKey(pseudonym: string): string {
  return pseudonym.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** The persona whose name `chosen` repeats, as that persona spells it; undefined when none. */
export function clashingPseudonym(
  chosen: string,
  personas: readonly { readonly pseudonym: string }[],
): string | undefined {
  const key = samePseudonymKey(chosen);
  if (key === '') return undefined;
  return personas.find((persona) => samePseudonymKey(persona.pseudonym) === key)?.pseudonym;
}
