import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreError, SearchIndex, Vault } from '../../../core/client/index.js';
import type { CoreErrorCode, SearchHit, SearchRef } from '../../../core/client/index.js';

const PASSPHRASE = 'correct horse battery staple';
const FAST = { kdf: 'insecure-fast' } as const;
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

const dirs: string[] = [];
const vaults: Vault[] = [];

afterEach(async () => {
  for (const vault of vaults.splice(0)) await vault.lock();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindred-search-'));
  dirs.push(dir);
  return dir;
}

async function createVault(dir: string): Promise<Vault> {
  const vault = await Vault.create(dir, PASSPHRASE, FAST);
  vaults.push(vault);
  return vault;
}

async function openVault(dir: string): Promise<Vault> {
  const vault = await Vault.open(dir, PASSPHRASE);
  vaults.push(vault);
  return vault;
}

async function freshIndex(): Promise<{ dir: string; vault: Vault; index: SearchIndex }> {
  const dir = await tempDir();
  const vault = await createVault(dir);
  return { dir, vault, index: new SearchIndex(vault) };
}

async function expectCode(promise: Promise<unknown>, code: CoreErrorCode): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(CoreError);
  await expect(promise).rejects.toMatchObject({ code });
}

const ALICE = 'direct:4f6c7a10-0000-4000-8000-00000000a11c';
const BOB = 'direct:4f6c7a10-0000-4000-8000-000000000b0b';
const GROUP = 'group:0a1b2c3d4e5f60718293a4b5c6d7e8f9';

function ref(conversation: string, n: number): SearchRef {
  return { conversation, messageId: n.toString(16).padStart(32, '0') };
}

function ids(hits: readonly SearchHit[]): string[] {
  return hits.map((hit) => `${hit.conversation}#${Number.parseInt(hit.messageId, 16)}`);
}

/** A few conversations over a few days, 1:1 and group. */
async function fillSample(index: SearchIndex): Promise<void> {
  await index.add(ref(ALICE, 1), 'My rheumatologist started me on methotrexate last week', T0);
  await index.add(ref(BOB, 2), 'How is the nausea after the weekly dose?', T0 + DAY);
  await index.add(
    ref(GROUP, 3),
    'Méthotrexate made me tired for two days, folic acid helped',
    T0 + 2 * DAY,
  );
  await index.add(
    ref(GROUP, 4),
    'Anyone tried biologics instead? My dose is 25 mg',
    T0 + 2 * DAY + 60_000,
  );
  await index.add(
    ref(ALICE, 5),
    'The METHOTREXATE injections are easier on my stomach',
    T0 + 3 * DAY,
  );
  await index.add(ref(BOB, 6), 'Thanks, that helps a lot', T0 + 3 * DAY + 1);
}

describe('SearchIndex over a real vault', () => {
  it('finds words in messages of 1:1 and group conversations, newest first', async () => {
    const { index } = await freshIndex();
    await fillSample(index);
    expect(ids(await index.search('methotrexate'))).toEqual([
      `${ALICE}#5`,
      `${GROUP}#3`,
      `${ALICE}#1`,
    ]);
    expect(ids(await index.search('dose'))).toEqual([`${GROUP}#4`, `${BOB}#2`]);
    const [hit] = await index.search('folic');
    expect(hit?.snippet).toContain('folic acid helped');
    expect(hit?.sentAt).toBe(T0 + 2 * DAY);
    expect(ids(await index.search('methotrexate', { conversation: GROUP }))).toEqual([
      `${GROUP}#3`,
    ]);
    expect(ids(await index.search('methotrexate', { limit: 2 }))).toEqual([
      `${ALICE}#5`,
      `${GROUP}#3`,
    ]);
    expect(await index.search('chemotherapy')).toEqual([]);
  });

  it('needs every word of the query, in any order', async () => {
    const { index } = await freshIndex();
    await fillSample(index);
    expect(ids(await index.search('dose weekly'))).toEqual([`${BOB}#2`]);
    expect(ids(await index.search('my methotrexate'))).toEqual([`${ALICE}#5`, `${ALICE}#1`]);
    expect(ids(await index.search('methotrexate nausea'))).toEqual([]);
  });

  it('ignores case and accents, and matches the last word as a prefix', async () => {
    const { index } = await freshIndex();
    await fillSample(index);
    const all = [`${ALICE}#5`, `${GROUP}#3`, `${ALICE}#1`];
    expect(ids(await index.search('Méthotrexate'))).toEqual(all);
    expect(ids(await index.search('METHOTRÉXATE'))).toEqual(all);
    expect(ids(await index.search('metho'))).toEqual(all);
    expect(ids(await index.search('MéTh'))).toEqual(all);
    // Only the last word is a prefix.
    expect(await index.search('metho dose')).toEqual([]);
    expect(ids(await index.search('my metho'))).toEqual([`${ALICE}#5`, `${ALICE}#1`]);
    expect(ids(await index.search('rheum'))).toEqual([`${ALICE}#1`]);
    // Compatibility forms fold too: the ﬁ ligature is "fi".
    await index.add(ref(BOB, 7), 'Pulmonary ﬁbrosis clinic on Monday', T0 + 4 * DAY);
    expect(ids(await index.search('fibrosis'))).toEqual([`${BOB}#7`]);
    // Scripts without spaces are split into words.
    await index.add(ref(GROUP, 8), '東京の病院でメトトレキサートを処方された', T0 + 5 * DAY);
    expect(ids(await index.search('東京'))).toEqual([`${GROUP}#8`]);
  });

  it('forgets removed messages, edits and whole conversations', async () => {
    const { index } = await freshIndex();
    await fillSample(index);
    await index.remove(ref(GROUP, 3));
    expect(ids(await index.search('methotrexate'))).toEqual([`${ALICE}#5`, `${ALICE}#1`]);
    expect(await index.search('folic')).toEqual([]);
    // The last message with a word gone: the word is gone, also as a prefix.
    expect(await index.search('foli')).toEqual([]);
    // Removing again, or something never indexed, changes nothing.
    await index.remove(ref(GROUP, 3));
    await index.remove(ref(GROUP, 99));
    // An edit replaces what was indexed.
    await index.add(ref(BOB, 2), 'How is the fatigue after the weekly shot?', T0 + DAY);
    expect(await index.search('nausea')).toEqual([]);
    expect(ids(await index.search('fatigue'))).toEqual([`${BOB}#2`]);
    await index.removeConversation(ALICE);
    expect(await index.search('methotrexate')).toEqual([]);
    expect(ids(await index.search('weekly'))).toEqual([`${BOB}#2`]);
    await index.clear();
    expect(await index.search('weekly')).toEqual([]);
  });

  it('survives closing and reopening the vault', async () => {
    const { dir, vault, index } = await freshIndex();
    await fillSample(index);
    await index.remove(ref(BOB, 6));
    await vault.lock();
    const reopened = new SearchIndex(await openVault(dir));
    expect(ids(await reopened.search('metho'))).toEqual([`${ALICE}#5`, `${GROUP}#3`, `${ALICE}#1`]);
    expect(await reopened.search('thanks')).toEqual([]);
    // Document numbers carry on where they were: a new message does not take an old one's place.
    await reopened.add(ref(BOB, 10), 'methotrexate again', T0 + 9 * DAY);
    expect(ids(await reopened.search('methotrexate', { limit: 2 }))).toEqual([
      `${BOB}#10`,
      `${ALICE}#5`,
    ]);
  });

  it('leaves nothing searchable in plaintext in the vault folder', async () => {
    const { dir, vault, index } = await freshIndex();
    const secretWord = 'Methotrexatezz';
    await index.add(ref(GROUP, 1), `Started ${secretWord} and Hydroxychloroquinezz today`, T0);
    await index.add(ref(ALICE, 2), `${secretWord} again`, T0 + DAY);
    await index.addMany([{ ref: ref(BOB, 3), text: `bulk ${secretWord}`, sentAt: T0 + 2 * DAY }]);
    expect(await index.search('methotrexatezz')).toHaveLength(3);
    await vault.flush();
    await vault.lock();
    const needles = [
      secretWord,
      secretWord.toLowerCase(),
      secretWord.toUpperCase(),
      'hydroxychloroquinezz',
      'methotrexatez', // a prefix the prefix table would hold if it were plaintext
      GROUP.slice('group:'.length),
      '4f6c7a10-0000-4000-8000',
    ];
    const files = await listFiles(dir);
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      const bytes = await readFile(file);
      for (const needle of needles) {
        for (const encoding of ['utf8', 'utf16le', 'latin1'] as const) {
          expect(bytes.includes(Buffer.from(needle, encoding)), `${needle} in ${file}`).toBe(false);
        }
        expect(bytes.includes(Buffer.from(encodeURIComponent(needle)))).toBe(false);
      }
    }
  });

  it('answers empty, punctuation-only, huge and malformed queries without crashing', async () => {
    const { index } = await freshIndex();
    await fillSample(index);
    expect(await index.search('')).toEqual([]);
    expect(await index.search('   ')).toEqual([]);
    expect(await index.search('?!… — ,;:()[]"\'')).toEqual([]);
    expect(await index.search('\ud800')).toEqual([]);
    await expectCode(index.search('a'.repeat(513)), 'CORE_INVALID_INPUT');
    // A repeated word counts once.
    expect(await index.search('methotrexate '.repeat(9))).toHaveLength(3);
    await expectCode(
      index.search('one two three four five six seven eight nine'),
      'CORE_INVALID_INPUT',
    );
    await expectCode(index.search('dose', { limit: 0 }), 'CORE_INVALID_INPUT');
    await expectCode(index.search('dose', { limit: 201 }), 'CORE_INVALID_INPUT');
    await expectCode(index.search('dose', { limit: 1.5 }), 'CORE_INVALID_INPUT');
    await expectCode(index.search('dose', { conversation: '' }), 'CORE_INVALID_INPUT');
    await expectCode(index.search(42 as unknown as string), 'CORE_INVALID_INPUT');
    // A word as long as a query can be is cut to a term, found the same way.
    const long = 'x'.repeat(500);
    await index.add(ref(BOB, 20), long, T0);
    expect(ids(await index.search(long))).toEqual([`${BOB}#20`]);
    expect(ids(await index.search('dose'))).toEqual([`${GROUP}#4`, `${BOB}#2`]);
  });

  it('refuses malformed messages with a coded error and indexes odd text', async () => {
    const { index } = await freshIndex();
    await expectCode(index.add(ref(BOB, 1), 'ok', Number.NaN), 'CORE_INVALID_INPUT');
    await expectCode(index.add(ref(BOB, 1), 'ok', -1), 'CORE_INVALID_INPUT');
    await expectCode(
      index.add({ conversation: '', messageId: 'a' }, 'ok', T0),
      'CORE_INVALID_INPUT',
    );
    await expectCode(
      index.add({ conversation: BOB, messageId: 'a'.repeat(201) }, 'ok', T0),
      'CORE_INVALID_INPUT',
    );
    await expectCode(index.add(ref(BOB, 1), 7 as unknown as string, T0), 'CORE_INVALID_INPUT');
    await expectCode(
      index.addMany(
        Array.from({ length: 5001 }, (_, i) => ({ ref: ref(BOB, i), text: 'x', sentAt: T0 })),
      ),
      'CORE_INVALID_INPUT',
    );
    // Slashes, lone surrogates and text with no words at all.
    await index.add({ conversation: 'direct:a/b', messageId: '../x' }, 'slash/path\ud800word', T0);
    await index.add(ref(BOB, 2), '!!! ... ???', T0);
    expect(await index.search('slash')).toEqual([
      {
        conversation: 'direct:a/b',
        messageId: '../x',
        sentAt: T0,
        snippet: 'slash/path\ufffdword',
      },
    ]);
  });

  it('answers alike whether postings sit in heads or buckets, across spills and removals', async () => {
    // Words of every frequency over ten weeks: "common" in most messages, "sometimes" in a
    // third, "rare" in a few; 'b' words in every other one. The same messages go into an index
    // that keeps every word in buckets (0), one that spills past 3 postings, and the default.
    const words = (i: number): string =>
      [
        i % 10 !== 0 ? 'common' : 'other',
        i % 3 === 0 ? 'sometimes' : '',
        i % 17 === 0 ? 'rare' : '',
        i % 2 === 0 ? `b${i % 7}word` : 'plain',
        `m${i}`,
      ].join(' ');
    const entries = Array.from({ length: 70 }, (_, i) => ({
      ref: ref(i % 2 === 0 ? GROUP : ALICE, i),
      text: words(i),
      sentAt: T0 + i * DAY + (i % 5) * 1000,
    }));
    const expected = (query: string[], removed: ReadonlySet<number>): string[] =>
      entries
        .map((entry, i) => ({ entry, i, terms: entry.text.split(' ') }))
        .filter(({ i }) => !removed.has(i))
        .filter(({ terms }) =>
          query.every((word, n) =>
            n === query.length - 1
              ? terms.some((term) => term.startsWith(word))
              : terms.includes(word),
          ),
        )
        .sort((a, b) => b.entry.sentAt - a.entry.sentAt)
        .slice(0, 200)
        .map(({ entry, i }) => `${entry.ref.conversation}#${i}`);
    const queries = [
      ['common'],
      ['rare'],
      ['sometimes', 'rare'],
      ['common', 'sometimes'],
      ['rare', 'common'],
      ['common', 'b3word'],
      ['sometimes', 'b3'],
      ['common', 'plain', 'rare'],
      ['m42'],
      ['other', 'rare'],
    ];
    const indexes = await Promise.all(
      [0, 3, undefined].map(async (maxInlinePostings) => {
        const { vault } = await freshIndex();
        return new SearchIndex(
          vault,
          maxInlinePostings === undefined ? {} : { limits: { maxInlinePostings } },
        );
      }),
    );
    const removed = new Set<number>();
    const check = async (): Promise<void> => {
      for (const query of queries) {
        const want = expected(query, removed);
        for (const index of indexes) {
          expect(ids(await index.search(query.join(' '), { limit: 200 }))).toEqual(want);
        }
      }
      for (const index of indexes) {
        expect(ids(await index.search('common', { limit: 5, conversation: ALICE }))).toEqual(
          expected(['common'], removed)
            .filter((id) => id.startsWith(ALICE))
            .slice(0, 5),
        );
      }
    };
    // Half in one batch, the rest one by one: heads spill inside a batch and between adds.
    for (const index of indexes) {
      await index.addMany(entries.slice(0, 35));
      for (const entry of entries.slice(35)) await index.add(entry.ref, entry.text, entry.sentAt);
    }
    await check();
    // Removing every "rare" message and most others empties heads and buckets alike.
    for (let i = 0; i < 70; i++) if (i % 17 === 0 || i % 4 !== 0) removed.add(i);
    for (const index of indexes) {
      for (const i of removed) await index.remove(entries[i]?.ref ?? ref(BOB, 999));
    }
    expect(expected(['rare'], removed)).toEqual([]);
    await check();
  });

  it('stops at its read budget instead of scanning without end', async () => {
    const { vault } = await freshIndex();
    // Every word in week buckets (none inline in its head), as for words with many postings.
    const index = new SearchIndex(vault, { limits: { maxRecordReads: 10, maxInlinePostings: 0 } });
    // Two common words that never meet: every week has a bucket of each.
    await index.addMany(
      Array.from({ length: 60 }, (_, i) => ({
        ref: ref(BOB, i),
        text: i % 2 === 0 ? 'pain today' : 'sleep today',
        sentAt: T0 + Math.floor(i / 2) * 7 * DAY,
      })),
    );
    expect(await index.search('pain sleep')).toEqual([]);
    // Three weeks of one bucket and two documents each, then the fourth week's bucket and one
    // document reach the budget of 10 reads.
    expect(await index.search('today', { limit: 200 })).toHaveLength(7);
    const unbounded = new SearchIndex(vault);
    expect(await unbounded.search('today', { limit: 200 })).toHaveLength(60);
  });
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
