// The systemd unit in deploy/: hardened as docs/running-a-relay.md says, accepted by
// `systemd-analyze verify` where systemd is installed, and starting the relay only with flags
// the command line knows.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..', '..');
const UNIT = path.join(ROOT, 'deploy', 'kindred-relay.service');
const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';

describe('the systemd unit', () => {
  it('runs as a dynamic user that can write only its state directory', async () => {
    const unit = await readFile(UNIT, 'utf8');
    for (const line of [
      'DynamicUser=yes',
      'StateDirectory=kindred-relay',
      'ProtectSystem=strict',
      'NoNewPrivileges=yes',
      'ProtectHome=yes',
      'CapabilityBoundingSet=',
      'KillSignal=SIGTERM',
    ]) {
      expect(unit.split('\n')).toContain(line);
    }
  });

  it('starts the relay with flags kindred-server knows', async () => {
    const unit = await readFile(UNIT, 'utf8');
    const execStart = unit.slice(unit.indexOf('ExecStart='), unit.indexOf('\n# SIGTERM'));
    const flags = [...execStart.matchAll(/--[a-z-]+/g)].map((match) => match[0]);
    expect(flags).toContain('--metrics-port');
    const { stdout } = await run(process.execPath, [
      path.join(ROOT, 'bin', 'kindred-server.js'),
      '--help',
    ]);
    for (const flag of flags) expect(stdout).toContain(`${flag} `);
  });

  it.skipIf(!existsSync(SYSTEMD_ANALYZE))('passes systemd-analyze verify', async () => {
    const { stderr } = await run(SYSTEMD_ANALYZE, ['verify', UNIT]);
    expect(stderr).toBe('');
  });
});
