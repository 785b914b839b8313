// Argon2id with the default profile (3 passes over 256 MiB) takes seconds. It runs on a worker
// thread, so the process that unlocks (the desktop's main process, the dev host) keeps serving its
// event loop meanwhile: a timer keeps firing, late by far less than the derivation takes.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CoreError, Vault, utf8 } from '../../core/index.js';

const PASSPHRASE = 'a passphrase for the unlock-worker test';
const TICK_MS = 10;
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Runs `task` while a timer ticks; how long it took, and the timer's worst lateness. */
async function whileTicking<T>(
  task: () => Promise<T>,
): Promise<{ result: T; elapsedMs: number; maxLagMs: number; ticks: number }> {
  let last = performance.now();
  let maxLagMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - last - TICK_MS);
    last = now;
    ticks += 1;
  }, TICK_MS);
  const started = performance.now();
  try {
    const result = await task();
    const elapsedMs = performance.now() - started;
    // The lateness of a tick still due when the task ended counts too.
    maxLagMs = Math.max(maxLagMs, performance.now() - last - TICK_MS);
    return { result, elapsedMs, maxLagMs, ticks };
  } finally {
    clearInterval(timer);
  }
}

describe('unlocking with the default KDF', () => {
  it('keeps the event loop ticking while Argon2 runs (create, open, wrong passphrase)', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kindred-unlock-worker-'));
    dirs.push(dir);

    const created = await whileTicking(() => Vault.create(dir, PASSPHRASE));
    await created.result.put('note', utf8('kept'));
    await created.result.lock();

    const opened = await whileTicking(() => Vault.open(dir, PASSPHRASE));
    expect(await opened.result.get('note')).toStrictEqual(utf8('kept'));
    await opened.result.lock();

    const refused = await whileTicking(() =>
      Vault.open(dir, 'not the passphrase').then(
        () => undefined,
        (error: unknown) => error,
      ),
    );
    expect(CoreError.is(refused.result, 'CORE_VAULT_WRONG_PASSPHRASE')).toBe(true);

    for (const run of [created, opened, refused]) {
      // Derived in place, the loop would stall for the whole derivation (lag ≈ elapsed). On a
      // worker it stays responsive: ticks keep coming, each late by a small part of the whole.
      expect(run.elapsedMs).toBeGreaterThan(200);
      expect(run.maxLagMs).toBeLessThan(run.elapsedMs / 4);
      expect(run.ticks).toBeGreaterThan(run.elapsedMs / TICK_MS / 4);
    }
  }, 180_000);
});
