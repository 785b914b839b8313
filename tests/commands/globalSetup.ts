/**
 * Builds the `kindred` and `kindred-server` commands once per run (see buildCommands.ts) and hands
 * their paths to the tests through `inject`; commandPaths.ts reads them.
 */
import type { TestProject } from 'vitest/node';
import { buildCommands } from './buildCommands.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled `kindred` command, or '' to run bin/kindred.js through tsx. */
    kindredCommand: string;
    /** The bundled `kindred-server` command, or '' to run bin/kindred-server.js through tsx. */
    relayCommand: string;
  }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  // KINDRED_TEST_COMMANDS=source runs the bin/ scripts themselves (through tsx), as before.
  if (process.env.KINDRED_TEST_COMMANDS === 'source') {
    project.provide('kindredCommand', '');
    project.provide('relayCommand', '');
    return () => Promise.resolve();
  }
  const built = await buildCommands();
  project.provide('kindredCommand', built.kindred);
  project.provide('relayCommand', built.relay);
  return () => built.remove();
}
