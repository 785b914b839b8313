// docs/desktop.md is part of the contract: every method, error code and dev host limit is in it.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { DEV_HOST_DEFAULTS } from '../../desktop/devhost/devHost.main.js';
import { DesktopErrorCode, apiSchemas } from '../../desktop/shared/api.std.js';

const read = (): Promise<string> =>
  readFile(new URL('../../docs/desktop.md', import.meta.url), 'utf8');

describe('desktop docs', () => {
  it('name every method and every desktop error code', async () => {
    const doc = await read();
    for (const method of Object.keys(apiSchemas)) expect(doc, method).toContain(`\`${method}\``);
    for (const code of Object.values(DesktopErrorCode)) expect(doc, code).toContain(`\`${code}\``);
  });

  it('list every dev host limit', async () => {
    const doc = await read();
    for (const name of Object.keys(DEV_HOST_DEFAULTS)) {
      if (name !== 'port') expect(doc, name).toContain(`\`${name}\``);
    }
  });
});
