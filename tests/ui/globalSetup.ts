/**
 * Builds the window (desktop/renderer) once per run into a temporary folder, so the UI tests run
 * on a clean clone and never race `npm start` or another run over desktop/renderer/dist. The
 * folder reaches the tests through `inject('rendererDir')`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The renderer build the dev hosts serve. */
    rendererDir: string;
  }
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = await mkdtemp(path.join(os.tmpdir(), 'kindred-ui-renderer-'));
  // Vitest runs with NODE_ENV=test, and Vite keeps a NODE_ENV it finds: React's development
  // build would be bundled instead of the one the app ships. Build what ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(REPO_ROOT, 'desktop', 'renderer', 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  project.provide('rendererDir', outDir);
  return async () => {
    await rm(outDir, { recursive: true, force: true });
  };
}
