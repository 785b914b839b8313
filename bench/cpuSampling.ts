import { Session } from 'node:inspector/promises';
import type { ThroughputSide } from './measure.js';
import { calibrate, timeRun } from './measure.js';

/** Where a run's CPU time goes, sampled with node:inspector (bench/profile.ts, section cpu). */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

export interface CpuBreakdown {
  /** Microseconds per operation, by category. */
  readonly categories: Map<string, number>;
  /** Microseconds per operation, by function (self time). */
  readonly functions: Map<string, number>;
  readonly rate: number;
}

export async function profileSide(
  side: ThroughputSide,
  targetSeconds: number,
): Promise<CpuBreakdown> {
  const count = (await calibrate(side, targetSeconds)) * 2;
  const session = new Session();
  session.connect();
  let profile: {
    nodes: ProfileNode[];
    samples?: number[] | undefined;
    timeDeltas?: number[] | undefined;
  };
  let rate: number;
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    rate = await timeRun(side, count);
    ({ profile } = await session.post('Profiler.stop'));
  } finally {
    session.disconnect();
  }
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const node = byId.get(samples[i] ?? -1);
    if (node === undefined) continue;
    const delta = deltas[i] ?? 0;
    total += delta;
    const category = categorize(node.callFrame);
    categories.set(category, (categories.get(category) ?? 0) + delta);
    const file = node.callFrame.url.replace(/^.*\/(node_modules|work\/main)\//, '');
    const label = `${node.callFrame.functionName || '(anonymous)'}${file === '' ? '' : ` (${file})`}`;
    functions.set(label, (functions.get(label) ?? 0) + delta);
  }
  // Samples cover the whole run, so a category's share of the samples is its share of the
  // run's wall time; spread over the operations, that is µs per operation.
  const perOp = (map: Map<string, number>): Map<string, number> =>
    new Map([...map].map(([name, time]) => [name, ((time / total) * 1e6) / rate]));
  return { categories: perOp(categories), functions: perOp(functions), rate };
}

function categorize(frame: { functionName: string; url: string }): string {
  const { functionName: name, url } = frame;
  if (name === '(idle)') return 'idle: main thread waits for LevelDB (threadpool round trips)';
  if (name === '(garbage collector)') return 'garbage collection';
  if (name.includes('::')) return 'libsignal native (Rust, polled from its promise bridge)';
  if (name === 'RandomBytesJob' || name === 'randomFillSync' || url.includes('crypto/random')) {
    return 'node:crypto random (libsodium.js asks for it one byte at a time)';
  }
  if (url.includes('libsodium') || url.startsWith('wasm') || name.startsWith('wasm-function')) {
    return 'libsodium (WASM and its JS wrappers)';
  }
  if (/(classic|abstract)-level|level-transcoder|\/level\//.test(url)) {
    return 'LevelDB JS (classic-level, abstract-level)';
  }
  if (url.includes('/core/vault/')) return 'core: Vault JS';
  if (url.includes('/core/storage/')) return 'core: KeyValueStore JS (scoped, memory)';
  if (url.includes('/core/')) return 'core: PersonaCipher, stores, padding, bytes';
  if (url.includes('libsignal-client')) return 'libsignal JS wrapper';
  if (url === '') return 'other native (V8, Node bindings, LevelDB binding)';
  return 'other JS (Node internals, bench loop)';
}
