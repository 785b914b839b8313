/**
 * Builds Electron's side of the app: desktop/main/electron.main.ts to `main.js` (ES module) and
 * desktop/preload/preload.preload.ts to `preload.cjs` (CommonJS: a sandboxed preload cannot load
 * modules), both into desktop/dist/ unless told otherwise. Run with
 * `tsx desktop/main/build/buildDesktopMain.node.ts [OUT_DIR]`.
 *
 * Packages stay outside the main bundle and load from node_modules at run time: native ones
 * (libsignal, LevelDB) cannot be bundled, and electron-builder packs the production dependencies
 * (asarUnpack keeps the native binaries on disk). The preload bundles what little it imports,
 * since in the sandbox it can require only `electron`. Needs no Electron binary.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DEFAULT_OUT_DIR = path.join(REPO_ROOT, 'desktop', 'dist');
export const MAIN_ENTRY = path.join(REPO_ROOT, 'desktop', 'main', 'electron.main.ts');
export const PRELOAD_ENTRY = path.join(REPO_ROOT, 'desktop', 'preload', 'preload.preload.ts');

const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

/** A package import (not a path into this repository): loaded from node_modules at run time. */
function isPackage(id: string): boolean {
  return !id.startsWith('.') && !path.isAbsolute(id) && !id.startsWith('\0');
}

/** Both bundles, written to `outDir`. */
export async function buildDesktopMain(outDir: string = DEFAULT_OUT_DIR): Promise<void> {
  const common = {
    configFile: false as const,
    root: REPO_ROOT,
    logLevel: 'warn' as const,
    // Nothing from the repository's public folder or env files belongs in these bundles.
    publicDir: false as const,
    envDir: false as const,
  };
  await build({
    ...common,
    build: {
      outDir,
      emptyOutDir: false,
      target: 'node22',
      minify: false,
      sourcemap: true,
      ssr: MAIN_ENTRY,
      rolldownOptions: {
        external: (id: string) => NODE_BUILTINS.has(id) || isPackage(id),
        output: { format: 'es', entryFileNames: 'main.js' },
      },
    },
  });
  await build({
    ...common,
    ssr: { noExternal: true },
    build: {
      outDir,
      emptyOutDir: false,
      target: 'node22',
      minify: false,
      sourcemap: false,
      ssr: PRELOAD_ENTRY,
      rolldownOptions: {
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: 'preload.cjs' },
      },
    },
  });
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  const outDir = path.resolve(process.argv[2] ?? DEFAULT_OUT_DIR);
  buildDesktopMain(outDir).then(
    () => {
      process.stdout.write(`Built desktop main and preload into ${outDir}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`desktop build failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
