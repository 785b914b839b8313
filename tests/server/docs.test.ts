// docs/ is part of the contract: every option, error code and close code must be written down.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RelayErrorCode } from '../../core/index.js';
import { RELAY_LIMIT_NAMES, RELAY_LIMIT_SPECS, RelayCloseCode } from '../../server/index.js';

const read = (name: string): Promise<string> =>
  readFile(new URL(`../../docs/${name}`, import.meta.url), 'utf8');

describe('relay docs', () => {
  it('list every command-line option', async () => {
    const doc = await read('running-a-relay.md');
    for (const name of RELAY_LIMIT_NAMES) {
      expect(doc, name).toContain(`\`--${RELAY_LIMIT_SPECS[name].flag} `);
    }
    for (const flag of ['--data', '--port', '--host', '--registration', '--pow-difficulty']) {
      expect(doc).toContain(flag);
    }
  });

  it('explain every error code and close code', async () => {
    const doc = await read('protocol.md');
    for (const code of Object.values(RelayErrorCode)) expect(doc, code).toContain(`\`${code}\``);
    for (const code of Object.values(RelayCloseCode))
      expect(doc, String(code)).toContain(`| ${code} |`);
  });
});
