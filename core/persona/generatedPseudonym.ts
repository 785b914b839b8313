import { randomInt } from 'node:crypto';

/**
 * Calm, ordinary words for a generated pseudonym ("Amber Heron"): nothing medical, nothing that
 * hints at a person, a place or a condition. 64 × 64 = 4096 names.
 */
export const PSEUDONYM_ADJECTIVES: readonly string[] = [
  'Amber', 'Autumn', 'Azure', 'Bright', 'Brisk', 'Calm', 'Cedar', 'Clear',
  'Coral', 'Cosy', 'Crisp', 'Dawn', 'Distant', 'Dusky', 'Early', 'Evening',
  'Fair', 'Gentle', 'Golden', 'Green', 'Hazel', 'Hidden', 'Honey', 'Indigo',
  'Ivory', 'Jade', 'Kind', 'Lilac', 'Linen', 'Little', 'Lunar', 'Maple',
  'Mild', 'Mellow', 'Misty', 'Mossy', 'Northern', 'Ochre', 'Olive', 'Pale',
  'Patient', 'Pearl', 'Pine', 'Quiet', 'Rainy', 'Rosy', 'Russet', 'Sage',
  'Sandy', 'Silver', 'Slow', 'Snowy', 'Soft', 'Solar', 'Steady', 'Still',
  'Sunny', 'Tawny', 'Tidal', 'Velvet', 'Violet', 'Warm', 'Willow', 'Wistful',
]; // prettier-ignore

export const PSEUDONYM_NOUNS: readonly string[] = [
  'Acorn', 'Badger', 'Beacon', 'Birch', 'Bramble', 'Brook', 'Canyon', 'Cloud',
  'Comet', 'Cove', 'Crane', 'Creek', 'Dune', 'Ember', 'Falcon', 'Feather',
  'Finch', 'Fjord', 'Garden', 'Glade', 'Grove', 'Harbour', 'Hare', 'Heron',
  'Hill', 'Island', 'Kestrel', 'Lantern', 'Lark', 'Meadow', 'Moon', 'Moth',
  'Orchard', 'Otter', 'Owl', 'Pebble', 'Pond', 'Poppy', 'Quill', 'Rain',
  'Raven', 'Reed', 'Ridge', 'River', 'Robin', 'Sail', 'Shore', 'Sparrow',
  'Spruce', 'Star', 'Stone', 'Stream', 'Swallow', 'Thistle', 'Thrush', 'Tide',
  'Valley', 'Wave', 'Wren', 'Breeze', 'Harvest', 'Marsh', 'Summit', 'Lake',
]; // prettier-ignore

/**
 * How two pseudonyms are compared for "the same name": Unicode-normalised (NFKC, so look-alike
 * forms meet), trimmed, spaces collapsed and case folded. "alice " and "Alice" are the same name
 * to a reader, and so to anyone trying to link two personas.
 */
export function pseudonymKey(pseudonym: string): string {
  return pseudonym.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** A uniform draw of an integer in [0, bound): node:crypto's CSPRNG, without modulo bias. */
export type UniformDraw = (bound: number) => number;

/** Random draws before walking the list in order (reached only when nearly every name is taken). */
const RANDOM_ATTEMPTS = 32;

/**
 * A fresh persona's pseudonym when the person chose none: two words drawn with a CSPRNG, never
 * equal (by {@link pseudonymKey}) to any name in `taken` (the vault's personas, the main one
 * included). Undefined only when every one of the 4096 names is taken.
 */
export function generatePseudonym(
  taken: Iterable<string>,
  draw: UniformDraw = randomInt,
): string | undefined {
  const used = new Set<string>();
  for (const name of taken) used.add(pseudonymKey(name));
  const total = PSEUDONYM_ADJECTIVES.length * PSEUDONYM_NOUNS.length;
  const nameAt = (index: number): string => {
    const adjective = PSEUDONYM_ADJECTIVES[Math.floor(index / PSEUDONYM_NOUNS.length)] ?? '';
    const noun = PSEUDONYM_NOUNS[index % PSEUDONYM_NOUNS.length] ?? '';
    return `${adjective} ${noun}`;
  };
  let start = 0;
  for (let attempt = 0; attempt < RANDOM_ATTEMPTS; attempt++) {
    start = draw(total);
    const name = nameAt(start);
    if (!used.has(pseudonymKey(name))) return name;
  }
  // Nearly everything is taken: the first free name after the last draw, so this always ends.
  for (let step = 1; step < total; step++) {
    const name = nameAt((start + step) % total);
    if (!used.has(pseudonymKey(name))) return name;
  }
  return undefined;
}
