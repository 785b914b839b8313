// Every relay shows its operator key in the Challenge, endorsed by the trust root the client
// pinned (docs/directory.md, "Keys"): in memory, on a data folder, after a restart, and on an
// older relay whose trust root went offline, once `endorse-operator-key` has run.
import { spawn } from 'node:child_process';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  generateOperatorKeyPair,
  operatorKeyEndorsed,
  toBase64Url,
  fromBase64Url,
} from '../../core/index.js';
import { MemoryRelayStore, startRelay } from '../../server/index.js';
import type { RunningRelay } from '../../server/index.js';
import { relayCommand } from '../commands/commandPaths.js';
import { RawClient } from './helpers/rawClient.js';
import { TEST_RELAY_DEFAULTS, makeTempDir, startTestRelay } from './helpers/testRelay.js';
import type { TestRelay } from './helpers/testRelay.js';

interface Shown {
  readonly operatorKey: Uint8Array;
  readonly endorsed: boolean;
}

async function challengeOf(relay: RunningRelay): Promise<Shown> {
  const client = await RawClient.connect(relay.url);
  const { operatorKey, operatorKeyEndorsement, relayId } = client.challenge;
  await client.close();
  return {
    operatorKey,
    endorsed: operatorKeyEndorsed({
      trustRoot: relay.trustRoot,
      relayId,
      operatorKey,
      endorsement: operatorKeyEndorsement,
    }),
  };
}

function runRelayCommand(args: readonly string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [relayCommand(), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, out });
    });
  });
}

describe('the operator key in the Challenge', () => {
  let test: TestRelay | undefined;
  afterEach(async () => {
    await test?.dispose();
    test = undefined;
  });

  it('is shown and endorsed by a relay kept in memory', async () => {
    const relay = await startRelay({ ...TEST_RELAY_DEFAULTS, store: new MemoryRelayStore() });
    try {
      const shown = await challengeOf(relay);
      expect(shown.operatorKey.length).toBe(33);
      expect(shown.endorsed).toBe(true);
    } finally {
      await relay.close();
    }
  });

  it('is the data folder’s operator.key, endorsed once and still after the trust root leaves', async () => {
    test = await startTestRelay();
    const first = await challengeOf(test.relay);
    expect(first.endorsed).toBe(true);
    const file = (await readFile(join(test.dataDir, 'operator.key'), 'utf8')).trim();
    expect(fromBase64Url(file)).toBeDefined();
    // The operator moves trust-root.key offline: the endorsement kept in the store still serves.
    await rename(join(test.dataDir, 'trust-root.key'), join(test.dataDir, '..', 'offline.key'));
    await test.restart();
    const second = await challengeOf(test.relay);
    expect(toBase64Url(second.operatorKey)).toBe(toBase64Url(first.operatorKey));
    expect(second.endorsed).toBe(true);
  });

  it('on an older relay, is endorsed by endorse-operator-key with the offline trust root', async () => {
    test = await startTestRelay();
    const offline = join(await makeTempDir(), 'trust-root.key');
    await rename(join(test.dataDir, 'trust-root.key'), offline);
    // An operator key the trust root never saw (as on a relay from before the directory).
    await test.relay.close();
    await writeFile(
      join(test.dataDir, 'operator.key'),
      `${toBase64Url(generateOperatorKeyPair().privateKey)}\n`,
    );
    await test.restart();
    const before = await challengeOf(test.relay);
    expect(before.operatorKey.length).toBe(33);
    expect(before.endorsed).toBe(false);

    await test.relay.close();
    const wrongUse = await runRelayCommand(['endorse-operator-key', '--data', test.dataDir]);
    expect(wrongUse.code).toBe(2);
    expect(wrongUse.out).toContain('--trust-root-key');
    const notTheRoot = join(await makeTempDir(), 'other.key');
    await writeFile(notTheRoot, `${toBase64Url(generateOperatorKeyPair().privateKey)}\n`);
    const refused = await runRelayCommand([
      'endorse-operator-key',
      '--data',
      test.dataDir,
      '--trust-root-key',
      notTheRoot,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.out).toContain('not this relay');
    const done = await runRelayCommand([
      'endorse-operator-key',
      '--data',
      test.dataDir,
      '--trust-root-key',
      offline,
    ]);
    expect(done.code, done.out).toBe(0);
    const line = JSON.parse(done.out.trim()) as { event: string; operatorKey: string };
    expect(line.operatorKey).toBe(toBase64Url(before.operatorKey));

    await test.restart();
    const after = await challengeOf(test.relay);
    expect(toBase64Url(after.operatorKey)).toBe(toBase64Url(before.operatorKey));
    expect(after.endorsed).toBe(true);
  });
});
