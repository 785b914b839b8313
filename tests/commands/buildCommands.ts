/**
 * The `kindred` and `kindred-server` commands bundled once per test run, so each spawn in a test
 * starts plain Node on one file instead of tsx transpiling and resolving hundreds of modules. On
 * two loaded cores a spawn through tsx costs about 2 s of CPU before the command does anything;
 * the bundle about 0.6 s.
 *
 * The bundles hold the same sources the bin/ scripts load (cli/main.ts, server/cli.ts) and every
 * pure-JavaScript package they import. Native packages stay outside and load from node_modules,
 * which a link beside the bundles points to (so does libsodium for the KDF worker, resolved from
 * the bundle's own URL).
 */
import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Packages with native binaries, found beside their own files at run time: never bundled. */
const NATIVE_PACKAGES = ['@signalapp/libsignal-client', 'classic-level', 'sharp'];

/** What the bundles need of CommonJS in an ES module: `require` for packages that call it. */
const REQUIRE_SHIM =
  "import { createRequire as __kindredCreateRequire } from 'node:module';\n" +
  'const require = __kindredCreateRequire(import.meta.url);';

/** Where the built commands are; `remove()` deletes them. */
export interface BuiltCommands {
  /** The `kindred` command: run as `node <kindred> ARGS`, like bin/kindred.js. */
  readonly kindred: string;
  /** The `kindred-server` command: run as `node <relay> ARGS`, like bin/kindred-server.js. */
  readonly relay: string;
  remove(): Promise<void>;
}

/** The relay's entry as bin/kindred-server.js runs it, without tsx. */
function relayEntry(): string {
  const cli = JSON.stringify(path.join(REPO_ROOT, 'server', 'cli.ts'));
  return [
    `const { main } = await import(${cli});`,
    'const code = await main(process.argv);',
    'if (code !== undefined) process.exitCode = code;',
    '',
  ].join('\n');
}

/** Bundles both commands into a new temporary folder. */
export async function buildCommands(): Promise<BuiltCommands> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'kindred-test-commands-'));
  const remove = (): Promise<void> => rm(outDir, { recursive: true, force: true });
  try {
    await symlink(path.join(REPO_ROOT, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
    const relayEntryFile = path.join(outDir, 'relay-entry.mjs');
    await writeFile(relayEntryFile, relayEntry());
    const kindred = path.join(outDir, 'kindred.mjs');
    const relay = path.join(outDir, 'kindred-server.mjs');
    const common = {
      bundle: true,
      platform: 'node' as const,
      format: 'esm' as const,
      target: 'node20',
      external: NATIVE_PACKAGES,
      banner: { js: REQUIRE_SHIM },
      logLevel: 'warning' as const,
    };
    await Promise.all([
      build({ ...common, entryPoints: [path.join(REPO_ROOT, 'cli', 'main.ts')], outfile: kindred }),
      build({ ...common, entryPoints: [relayEntryFile], outfile: relay }),
    ]);
    return { kindred, relay, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
