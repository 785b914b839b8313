// The suites spawn bundles of the commands (tests/commands/buildCommands.ts); here the bin/ scripts
// a user runs (through tsx) start, and say the same as the bundles: the bundles are the program.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { KINDRED_BIN, RELAY_SOURCE_BIN, kindredCommand, relayCommand } from './commandPaths.js';

const run = promisify(execFile);

async function help(script: string): Promise<string> {
  const { stdout } = await run(process.execPath, [script, '--help'], { timeout: 60_000 });
  return stdout;
}

describe('the bin scripts and the bundles the suites spawn', () => {
  it('kindred: bin/kindred.js prints the same help as the bundle', async () => {
    const [source, bundled] = await Promise.all([help(KINDRED_BIN), help(kindredCommand())]);
    expect(source).toMatch(/^Usage: kindred /);
    expect(bundled).toBe(source);
  });

  it('kindred-server: bin/kindred-server.js prints the same help as the bundle', async () => {
    const [source, bundled] = await Promise.all([help(RELAY_SOURCE_BIN), help(relayCommand())]);
    expect(source).toMatch(/^Usage: kindred-server /);
    expect(bundled).toBe(source);
  });
});
