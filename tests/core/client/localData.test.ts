// VaultLocalData is what KindredClient.localData hands out; core exports only its interface, so
// this suite imports it by path and runs it over a real vault.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  MAX_LOCAL_DATA_BYTES,
  MAX_LOCAL_DATA_KEY_LENGTH,
  Vault,
} from '../../../core/client/index.js';
import { VaultLocalData } from '../../../core/client/LocalData.js';

const PASSPHRASE = 'local data passphrase';
const dirs: string[] = [];
const vaults: Vault[] = [];

afterEach(async () => {
  for (const vault of vaults.splice(0)) await vault.lock();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function newVault(): Promise<{ vault: Vault; dir: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindred-local-'));
  dirs.push(dir);
  const vault = await Vault.create(dir, PASSPHRASE, { kdf: 'insecure-fast' });
  vaults.push(vault);
  return { vault, dir };
}

function over(vault: Vault): VaultLocalData {
  return new VaultLocalData(vault, () => {
    if (vault.isLocked) throw new CoreError(CoreErrorCode.VaultLocked, 'locked');
  });
}

describe('local data in the vault', () => {
  it('round-trips JSON values, answers undefined when absent, and replaces on put', async () => {
    const { vault } = await newVault();
    const data = over(vault);
    expect(await data.get('settings')).toBeUndefined();
    const values: unknown[] = [
      { theme: 'dark', sizes: [1, 2.5], nested: { on: true, none: null } },
      'text',
      0,
      false,
      null,
      [],
    ];
    for (const value of values) {
      await data.put('settings', value);
      expect(await data.get('settings')).toStrictEqual(value);
    }
    await data.put('read:00000000-0000-4000-8000-000000000001', 42);
    await data.put('desktop/read-markers', { a: 1 });
    expect(await data.get('read:00000000-0000-4000-8000-000000000001')).toBe(42);
    expect(await data.get('desktop/read-markers')).toStrictEqual({ a: 1 });
    await data.delete('settings');
    expect(await data.get('settings')).toBeUndefined();
    // Its own prefix: nothing of it shows among the vault's other records.
    expect(await vault.list('personas')).toHaveLength(0);
  });

  it('survives a lock and reopen', async () => {
    const { vault, dir } = await newVault();
    await over(vault).put('drafts.ada', { text: 'half a thought' });
    await vault.lock();
    const reopened = await Vault.open(dir, PASSPHRASE);
    vaults.push(reopened);
    expect(await over(reopened).get('drafts.ada')).toStrictEqual({ text: 'half a thought' });
  });

  it('refuses malformed keys with CORE_INVALID_INPUT', async () => {
    const { vault } = await newVault();
    const data = over(vault);
    const keys: unknown[] = [
      '',
      'Upper',
      'with space',
      'slash/',
      '/leading',
      'a//b',
      'ünï',
      'x'.repeat(MAX_LOCAL_DATA_KEY_LENGTH + 1),
      42,
    ];
    for (const key of keys as string[]) {
      await expect(data.put(key, 1), key).rejects.toMatchObject({
        code: CoreErrorCode.InvalidInput,
      });
      await expect(data.get(key), key).rejects.toMatchObject({
        code: CoreErrorCode.InvalidInput,
      });
    }
    await data.put('x'.repeat(MAX_LOCAL_DATA_KEY_LENGTH), 1);
  });

  it('refuses values JSON cannot hold and values over 64 KiB, and keeps the old value', async () => {
    const { vault } = await newVault();
    const data = over(vault);
    await data.put('kept', 'before');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const bad: unknown[] = [
      undefined,
      () => 1,
      Symbol('s'),
      10n,
      cycle,
      'x'.repeat(MAX_LOCAL_DATA_BYTES),
    ];
    for (const value of bad) {
      await expect(data.put('kept', value)).rejects.toMatchObject({
        code: CoreErrorCode.InvalidInput,
      });
    }
    expect(await data.get('kept')).toBe('before');
    // Exactly the limit, as JSON (the quotes count).
    await data.put('kept', 'x'.repeat(MAX_LOCAL_DATA_BYTES - 2));
  });

  it('refuses every call once the client is closed', async () => {
    const { vault } = await newVault();
    const data = over(vault);
    await vault.lock();
    await expect(data.get('a')).rejects.toMatchObject({ code: CoreErrorCode.VaultLocked });
    await expect(data.put('a', 1)).rejects.toMatchObject({ code: CoreErrorCode.VaultLocked });
  });
});
