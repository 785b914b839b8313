// `kindred help-now`: crisis lines from the data shipped with Kindred, with no vault, no relay
// and no network (a preload ends the process if it opens any socket or looks up any name).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectFailure, jsonLines, kindred } from './kindredCommand.js';

const NO_NETWORK = pathToFileURL(path.resolve(import.meta.dirname, 'noNetwork.mjs')).href;

describe('kindred help-now', () => {
  let scratch: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'kindred-help-now-'));
    env = {
      HOME: scratch,
      KINDRED_HOME: path.join(scratch, 'no-vault-here'),
      NODE_OPTIONS: `--import=${NO_NETWORK}`,
    };
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it('shows the country from the system locale, with no vault and no network, and makes no vault', async () => {
    const run = await kindred(['help-now'], { ...env, LANG: 'en_GB.UTF-8' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('In danger now: call 999  (tel:999)');
    expect(run.stdout).toContain('Samaritans');
    expect(run.stdout).toContain('call 116 123  (tel:116123)');
    expect(run.stdout).toContain('text SHOUT to 85258  (sms:85258?body=SHOUT)');
    expect(run.stdout).toMatch(
      /source https:\/\/www\.samaritans\.org, recorded \d{4}-\d{2}-\d{2}/u,
    );
    expect(await readdir(scratch)).toEqual([]);
  });

  it('--country chooses another country, and --json gives every fact with its links', async () => {
    const [record, ...more] = jsonLines(
      await kindred(['help-now', '--country', 'fr', '--json'], { ...env, LANG: 'en_US.UTF-8' }),
    );
    expect(more).toEqual([]);
    expect(record).toMatchObject({
      country: 'FR',
      emergency: { number: '112', uri: 'tel:112' },
      lines: [
        {
          reach: [{ kind: 'call', number: '3114', uri: 'tel:3114' }],
          hours: '24/7',
          free: true,
          source: 'https://3114.fr',
        },
      ],
    });
  });

  it('a country with no lines recorded says so and names the countries that have some', async () => {
    const [record] = jsonLines(await kindred(['help-now', '--country', 'AQ', '--json'], env));
    expect(record).toMatchObject({ country: 'AQ', emergency: null, lines: [] });
    expect(record?.countries).toContain('GB');
    expectFailure(await kindred(['help-now', '--country', 'XX'], env), 'CLI_USAGE');
    // ISO's reserved 'UK' is taken for GB, as people write it.
    const [uk] = jsonLines(await kindred(['help-now', '--country', 'uk', '--json'], env));
    expect(uk).toMatchObject({ country: 'GB' });
  });
});
