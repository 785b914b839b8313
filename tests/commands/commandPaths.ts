/**
 * The script a test spawns with `node` to run `kindred` or `kindred-server`: the bundles that
 * tests/commands/globalSetup.ts built for this run, or the bin/ scripts (through tsx) when a run
 * has no such set-up or asks for them (KINDRED_TEST_COMMANDS=source).
 */
import path from 'node:path';
import { inject } from 'vitest';

const BIN_DIR = path.resolve(import.meta.dirname, '..', '..', 'bin');

/** The bin/ scripts a user runs; tests that are about the script itself spawn these. */
export const KINDRED_BIN = path.join(BIN_DIR, 'kindred.js');
export const RELAY_SOURCE_BIN = path.join(BIN_DIR, 'kindred-server.js');

/** The `kindred` command for this run. */
export function kindredCommand(): string {
  return inject('kindredCommand') || KINDRED_BIN;
}

/** The `kindred-server` command for this run. */
export function relayCommand(): string {
  return inject('relayCommand') || RELAY_SOURCE_BIN;
}
