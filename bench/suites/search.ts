/**
 * Searching a persona's messages: SearchIndex over a real Vault on disk (its record cache as
 * configured), next to a plain linear scan over the same messages held in memory, in the same run.
 *
 * Untimed set-up: a deterministic corpus of N messages (100,000 by default, `--search-messages N`)
 * over two years and 120 conversations (1:1 and groups): 5–30 words each, drawn from a Zipf-like
 * distribution over ~200 common English words and ~5,000 made-up rarer ones, with a medical term
 * (some accented, e.g. "méthotrexate") in about one message in eight. The index is built with
 * `addMany` in batches of 5,000 (a back-fill; live messages are one `add`, one batch each) and the
 * vault flushed: that time is the build row. Then the vault is locked and reopened, so the first
 * queries meet a cold cache, as after an unlock.
 *
 * Each round runs the same queries on both sides, alternating which goes first: four kinds
 * (common word, rare word, prefix, two or three words), 25 queries of each per round, limit 20.
 * A round's p50 and p99 are over its queries of a kind; the rows show median, min and max over the
 * rounds. The baseline folds every message once up front (lower case, no accents: the same
 * normalisation the index uses, outside the timer) and per query walks the array newest first,
 * keeping messages whose word list holds every word (the last as a prefix), until it has 20.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SearchIndex, Vault, normalizeWord } from '../../core/client/index.js';
import type { SearchEntry } from '../../core/client/index.js';
import { percentile, statsOf } from '../measure.js';
import type { BenchOptions, BenchRow } from '../types.js';

export const DEFAULT_SEARCH_MESSAGES = 100_000;
const PASSPHRASE = 'bench search passphrase';
const CONVERSATIONS = 120;
const SPAN_MS = 2 * 365 * 86_400_000;
const START = Date.UTC(2025, 0, 1);
const BATCH = 5000;
const QUERIES_PER_KIND = 25;
const LIMIT = 20;

const COMMON = `the i to and a of it my you is in that for have was on me with but be this so not
at just had are do about what they all like if we can get been from how one no your he she out
know up will when pain day time now feel doctor today really more did still think also some there
would much after got because going then who them back any only take went has good week dose
night sleep tired better help hope thanks news scan results appointment weeks again side effects
started since well yes very year never first over could even new worse hospital try days blood
test nurse clinic work family body other same still feeling sick hard make way long need work
thank love everyone here group months morning treatment infusion medication tablets stomach
head joints skin fever cough breath heart kidney liver`.split(/\s+/u);

const MEDICAL = `methotrexate méthotrexate hydroxychloroquine rituximab tocilizumab prednisolone
azathioprine mycophenolate cyclophosphamide ciclosporin tacrolimus sirolimus eculizumab
ravulizumab nusinersen risdiplam onasemnogene ivacaftor elexacaftor tezacaftor lumacaftor
dornase colistin tobramycin aztreonam sarcoidosis amyloidosis scleroderma vasculitis
granulomatosis myasthenia dermatomyositis polymyositis lymphangioleiomyomatosis
histiocytosis mastocytosis porphyria gaucher fabry pompe hunter niemann pick wilson
hemochromatosis thalassemia drepanocytose érythème sjögren behçet kawasaki takayasu
castleman erdheim chester alport ehlers danlos marfan neurofibromatosis tuberous sclerosis
huntington friedreich ataxia charcot marie tooth duchenne becker myotonic bronchiectasis
fibrosis pulmonary hypertension bosentan ambrisentan macitentan sildenafil treprostinil
selexipag iloprost epoprostenol plasmapheresis immunoglobulin biopsy echocardiogram
spirometry creatinine bilirubin ferritin troponin calprotectin`.split(/\s+/u);

interface Corpus {
  readonly entries: SearchEntry[];
  readonly rareVocabulary: readonly string[];
}

/** A small deterministic generator (mulberry32): the same corpus every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeCorpus(count: number): Corpus {
  const next = random(12);
  const syllables = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vel', 'dor', 'ni', 'pra', 'ost', 'el'];
  const rare = new Set<string>();
  while (rare.size < 5000) {
    const parts = 2 + Math.floor(next() * 3);
    let word = '';
    for (let i = 0; i < parts; i++) word += syllables[Math.floor(next() * syllables.length)] ?? '';
    rare.add(word);
  }
  const vocabulary = [...COMMON, ...rare];
  // Zipf-like: word r (0-based) has weight 1 / (r + 1).
  const cumulative: number[] = [];
  let total = 0;
  for (let r = 0; r < vocabulary.length; r++) cumulative.push((total += 1 / (r + 1)));
  const pick = (): string => {
    const target = next() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] ?? 0) < target) low = middle + 1;
      else high = middle;
    }
    return vocabulary[low] ?? 'the';
  };
  const entries: SearchEntry[] = [];
  for (let i = 0; i < count; i++) {
    const words: string[] = [];
    const length = 5 + Math.floor(next() * 26);
    for (let w = 0; w < length; w++) words.push(pick());
    if (next() < 0.125) {
      const term = MEDICAL[Math.floor(next() * MEDICAL.length)] ?? 'methotrexate';
      words.splice(Math.floor(next() * words.length), 0, next() < 0.5 ? capitalise(term) : term);
    }
    const conversation = Math.floor(next() * CONVERSATIONS);
    entries.push({
      ref: {
        conversation:
          conversation % 3 === 0
            ? `group:${conversation.toString(16).padStart(32, '0')}`
            : `direct:00000000-0000-4000-8000-${conversation.toString(16).padStart(12, '0')}`,
        messageId: i.toString(16).padStart(32, '0'),
      },
      text: `${capitalise(words.join(' '))}${next() < 0.3 ? '?' : '.'}`,
      sentAt: START + Math.floor((i / count) * SPAN_MS) + Math.floor(next() * 1000),
    });
  }
  return { entries, rareVocabulary: [...rare] };
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export type QueryKind = 'common' | 'rare' | 'prefix' | 'multi';
export const KINDS: readonly QueryKind[] = ['common', 'rare', 'prefix', 'multi'];
const KIND_NAMES: Record<QueryKind, string> = {
  common: 'common word',
  rare: 'rare medical word',
  prefix: 'prefix of a word',
  multi: 'two or three words',
};

export function makeQueries(corpus: Corpus): Record<QueryKind, string[]> {
  const next = random(34);
  const of = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const queries: Record<QueryKind, string[]> = { common: [], rare: [], prefix: [], multi: [] };
  for (let i = 0; i < QUERIES_PER_KIND; i++) {
    queries.common.push(of(COMMON.slice(0, 40)));
    queries.rare.push(of(MEDICAL));
    const stem = i % 2 === 0 ? of(MEDICAL) : of(corpus.rareVocabulary);
    queries.prefix.push(stem.slice(0, 3 + (i % 3)));
    queries.multi.push(
      i % 3 === 0
        ? `${of(COMMON.slice(0, 40))} ${of(COMMON.slice(0, 80))}`
        : i % 3 === 1
          ? `${of(MEDICAL)} ${of(COMMON.slice(0, 60))}`
          : `${of(COMMON.slice(0, 30))} ${of(COMMON.slice(0, 60))} ${of(MEDICAL).slice(0, 4)}`,
    );
  }
  return queries;
}

/** The baseline's data: every message's words folded once, newest first. */
interface ScanMessage {
  readonly words: readonly string[];
  readonly conversation: string;
  readonly messageId: string;
}

function scanSearch(messages: readonly ScanMessage[], query: string): number {
  const words = query
    .split(/\s+/u)
    .map(normalizeWord)
    .filter((word) => word.length > 0);
  const last = words.pop() ?? '';
  let found = 0;
  for (const message of messages) {
    if (
      words.every((word) => message.words.includes(word)) &&
      message.words.some((word) => word.startsWith(last))
    ) {
      found += 1;
      if (found >= LIMIT) break;
    }
  }
  return found;
}

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const count = options.searchMessages ?? DEFAULT_SEARCH_MESSAGES;
  const label = count.toLocaleString('en-US');
  options.log(`search: generating ${label} messages`);
  const corpus = makeCorpus(count);
  const queries = makeQueries(corpus);
  const root = await mkdtemp(join(tmpdir(), 'kindred-bench-search-'));
  const dir = join(root, 'vault');
  let vault: Vault | undefined;
  try {
    vault = await Vault.create(dir, PASSPHRASE, { kdf: 'insecure-fast' });
    const building = new SearchIndex(vault);
    options.log(`search: indexing ${label} messages into a vault (batches of ${BATCH})`);
    const buildStart = performance.now();
    for (let i = 0; i < corpus.entries.length; i += BATCH) {
      await building.addMany(corpus.entries.slice(i, i + BATCH));
    }
    await vault.flush();
    const buildMs = performance.now() - buildStart;
    const oneStart = performance.now();
    const live = 200;
    for (let i = 0; i < live; i++) {
      const entry = corpus.entries[i];
      if (entry === undefined) break;
      await building.add(
        { conversation: entry.ref.conversation, messageId: `live${i}` },
        entry.text,
        START + SPAN_MS + i,
      );
    }
    await vault.flush();
    const oneMs = (performance.now() - oneStart) / live;
    await vault.lock();
    vault = await Vault.open(dir, PASSPHRASE);
    const index = new SearchIndex(vault);

    const messages: ScanMessage[] = corpus.entries
      .map((entry) => ({
        words: entry.text
          .split(/[\s.?]+/u)
          .map(normalizeWord)
          .filter((w) => w.length > 0),
        conversation: entry.ref.conversation,
        messageId: entry.ref.messageId,
        sentAt: entry.sentAt,
      }))
      .sort((a, b) => b.sentAt - a.sentAt);

    const rounds = options.repetitions;
    const figures = new Map<string, number[]>();
    const record = (key: string, value: number): void => {
      const list = figures.get(key) ?? [];
      list.push(value);
      figures.set(key, list);
    };
    const hits = new Map<QueryKind, number>();
    for (let round = 0; round < rounds; round++) {
      for (const kind of KINDS) {
        const kindred: number[] = [];
        const kindredCpu: number[] = [];
        const baseline: number[] = [];
        const runKindred = async (): Promise<void> => {
          for (const query of queries[kind]) {
            const start = performance.now();
            const cpuStart = process.cpuUsage();
            const found = await index.search(query, { limit: LIMIT });
            kindred.push(performance.now() - start);
            const cpuUsed = process.cpuUsage(cpuStart);
            kindredCpu.push((cpuUsed.user + cpuUsed.system) / 1000);
            hits.set(kind, (hits.get(kind) ?? 0) + found.length);
          }
        };
        const runBaseline = (): void => {
          for (const query of queries[kind]) {
            const start = performance.now();
            scanSearch(messages, query);
            baseline.push(performance.now() - start);
          }
        };
        if (round % 2 === 0) {
          await runKindred();
          runBaseline();
        } else {
          runBaseline();
          await runKindred();
        }
        kindred.sort((a, b) => a - b);
        baseline.sort((a, b) => a - b);
        record(`${kind}/kindred/p50`, percentile(kindred, 0.5));
        record(`${kind}/kindred/p99`, percentile(kindred, 0.99));
        kindredCpu.sort((a, b) => a - b);
        record(`${kind}/kindred-cpu/p50`, percentile(kindredCpu, 0.5));
        record(`${kind}/kindred-cpu/p99`, percentile(kindredCpu, 0.99));
        record(`${kind}/baseline/p50`, percentile(baseline, 0.5));
        record(`${kind}/baseline/p99`, percentile(baseline, 0.99));
      }
      options.log(`search: round ${round + 1} of ${rounds} done`);
    }

    const rows: BenchRow[] = [
      {
        name: `search index build, ${label} messages`,
        unit: 'ms',
        kindred: statsOf([buildMs]),
        note:
          `addMany in batches of ${BATCH} into a Vault on disk, flushed: ` +
          `${Math.round(count / (buildMs / 1000)).toLocaleString('en-US')} messages/s; ` +
          `a live add (one message, one batch) then costs ${oneMs.toFixed(2)} ms; one run`,
      },
    ];
    for (const kind of KINDS) {
      for (const p of ['p50', 'p99'] as const) {
        const kindredStats = statsOf(figures.get(`${kind}/kindred/${p}`) ?? []);
        const baselineStats = statsOf(figures.get(`${kind}/baseline/${p}`) ?? []);
        rows.push({
          name: `search ${p}, ${KIND_NAMES[kind]}, ${label} messages`,
          unit: 'ms',
          kindred: kindredStats,
          baseline: baselineStats,
          ratio: kindredStats.median / baselineStats.median,
          note:
            `SearchIndex on the Vault (reopened: cold cache first) vs a linear scan in memory; ` +
            `${QUERIES_PER_KIND} queries per round, limit ${LIMIT}, e.g. "${queries[kind][0] ?? ''}"; ` +
            `${((hits.get(kind) ?? 0) / (rounds * QUERIES_PER_KIND)).toFixed(1)} hits per query; ` +
            `the process's CPU time per query, ${p} median over rounds: ` +
            `${statsOf(figures.get(`${kind}/kindred-cpu/${p}`) ?? [Number.NaN]).median.toFixed(1)} ms ` +
            `(wall time above it is waiting: for the disk, or for a CPU on a busy machine); ` +
            `aim p99 ≤ 20 ms`,
        });
      }
    }
    return rows;
  } finally {
    await vault?.lock();
    await rm(root, { recursive: true, force: true });
  }
}
