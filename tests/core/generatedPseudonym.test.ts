import type * as NodeCrypto from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  PSEUDONYM_ADJECTIVES,
  PSEUDONYM_NOUNS,
  checkPseudonym,
  generatePseudonym,
  pseudonymKey,
} from '../../core/index.js';

// A spy that passes every call on to node:crypto: it only records which source the draws use.
vi.mock('node:crypto', async (importOriginal) => {
  const original = await importOriginal<typeof NodeCrypto>();
  return { ...original, randomInt: vi.fn(original.randomInt) };
});
const { randomInt } = await import('node:crypto');

const TOTAL = PSEUDONYM_ADJECTIVES.length * PSEUDONYM_NOUNS.length;

function everyName(): string[] {
  return PSEUDONYM_ADJECTIVES.flatMap((adjective) =>
    PSEUDONYM_NOUNS.map((noun) => `${adjective} ${noun}`),
  );
}

describe('generated pseudonyms', () => {
  it('are two words from the lists, valid pseudonyms, and every name is distinct', () => {
    const names = everyName();
    expect(new Set(names.map(pseudonymKey)).size).toBe(TOTAL);
    expect(TOTAL).toBeGreaterThanOrEqual(4096);
    for (let i = 0; i < 50; i++) {
      const name = generatePseudonym([]) ?? '';
      const [adjective, noun, ...rest] = name.split(' ');
      expect(rest).toStrictEqual([]);
      expect(PSEUDONYM_ADJECTIVES).toContain(adjective);
      expect(PSEUDONYM_NOUNS).toContain(noun);
      expect(checkPseudonym(name)).toBe(name);
    }
  });

  it('draws from node:crypto’s CSPRNG, over the whole list', () => {
    vi.mocked(randomInt).mockClear();
    const drawn = new Set<string>();
    for (let i = 0; i < 2000; i++) drawn.add(generatePseudonym([]) ?? '');
    expect(vi.mocked(randomInt)).toHaveBeenCalledTimes(2000);
    expect(vi.mocked(randomInt)).toHaveBeenCalledWith(TOTAL);
    // 2000 uniform draws of 4096 names: about 1570 distinct; a weak or stuck source gives far fewer.
    expect(drawn.size).toBeGreaterThan(1400);
    const adjectives = new Set([...drawn].map((name) => name.split(' ')[0]));
    expect(adjectives.size).toBe(PSEUDONYM_ADJECTIVES.length);
  });

  it('never returns a taken name, whatever its case or spacing', () => {
    // The draw lands on "Amber Acorn" first, which an existing persona holds as "  amber ACORN".
    const draws = [0, 1];
    const name = generatePseudonym(['Alice', '  amber   ACORN '], () => draws.shift() ?? 0);
    expect(name).toBe('Amber Badger');
  });

  it('stays distinct from every persona so far, one persona after another', () => {
    const personas = ['Alice'];
    for (let i = 0; i < 300; i++) {
      const name = generatePseudonym(personas);
      expect(name).toBeDefined();
      personas.push(name ?? '');
    }
    expect(new Set(personas.map(pseudonymKey)).size).toBe(personas.length);
  });

  it('finds the last free name when nearly all are taken, and gives up only when none is', () => {
    const names = everyName();
    const free = names[1234] ?? '';
    const taken = names.filter((name) => name !== free);
    // A draw that always lands on a taken name still ends, on the free one.
    expect(generatePseudonym(taken, () => 0)).toBe(free);
    expect(generatePseudonym(names, () => 0)).toBeUndefined();
  });

  it('compares names the way a reader would', () => {
    expect(pseudonymKey(' Alice ')).toBe(pseudonymKey('alice'));
    expect(pseudonymKey('Ana  G')).toBe(pseudonymKey('ana g'));
    expect(pseudonymKey('Ａｌｉｃｅ')).toBe(pseudonymKey('Alice'));
    expect(pseudonymKey('Alice')).not.toBe(pseudonymKey('Alicia'));
  });
});
