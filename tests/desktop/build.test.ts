import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDesktopMain } from '../../desktop/main/build/buildDesktopMain.node.js';
import { TempDirs } from '../integration/helpers.js';

const dirs = new TempDirs();

afterAll(async () => {
  await dirs.cleanup();
});

describe('the Electron build', () => {
  it('bundles main (ESM) and preload (CommonJS) without the Electron binary', async () => {
    const out = await dirs.make('desktop-dist');
    await buildDesktopMain(out);
    const main = await readFile(path.join(out, 'main.js'), 'utf8');
    const preload = await readFile(path.join(out, 'preload.cjs'), 'utf8');

    // Main: an ES module; native and other packages load from node_modules at run time.
    expect(main).toMatch(/^import .* from "electron";$/mu);
    expect(main).toMatch(/^import .* from "@signalapp\/libsignal-client";$/mu);
    expect(main).toMatch(/^import .* from "level";$/mu);
    expect(main).toContain('kindred:invoke');
    expect(main).toContain("default-src 'self'");

    // Preload: requires electron and nothing else, exposes one object, bundles no zod or core.
    expect([...preload.matchAll(/require\(\s*"([^"]+)"\s*\)/gu)].map((m) => m[1])).toStrictEqual([
      'electron',
    ]);
    expect(preload.match(/exposeInMainWorld\(/gu)).toHaveLength(1);
    expect(preload).toContain('exposeInMainWorld("kindred"');
    expect(preload).not.toMatch(/node_modules|ZodObject|\$constructor/u);
    expect(preload.length).toBeLessThan(4_000);
  });
});
