import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The lint rule that keeps the vault's machinery out of the window: a renderer, shared or preload
 * file that imports core, Node or Electron (the preload excepted) fails lint.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<number> {
  const [result] = await eslint.lintText(code, { filePath });
  return result?.messages.filter((m) => m.ruleId === 'no-restricted-imports').length ?? 0;
}

const forbidden = [
  "import { KindredClient } from '../../core/index.js';",
  "import { startRelay } from '../../server/index.js';",
  "import { main } from '../../cli/main.js';",
  "import { readFile } from 'node:fs/promises';",
  "import fs from 'fs';",
  "import { Level } from 'level';",
  "import { PrivateKey } from '@signalapp/libsignal-client';",
  "import { DesktopService } from '../main/DesktopService.main.js';",
];

/** One file's text importing every line (each a separate import, so each is reported). */
const importing = (lines: readonly string[]): string =>
  `${lines.join('\n')}\nexport const x = 1;\n`;

describe('import boundaries of the window', () => {
  it('a shared or renderer file may import none of core, server, cli, main, Node or Electron', async () => {
    const lines = [...forbidden, "import { app } from 'electron';"];
    for (const file of ['desktop/shared/api.std.ts', 'desktop/renderer/bridge.dom.ts']) {
      expect(await restrictedImports(file, importing(lines)), file).toBe(lines.length);
      expect(await restrictedImports(file, importing(["import { z } from 'zod';"]))).toBe(0);
    }
  });

  it('the preload may import electron, and nothing else of the list', async () => {
    const file = 'desktop/preload/preload.preload.ts';
    expect(await restrictedImports(file, importing(forbidden))).toBe(forbidden.length);
    expect(
      await restrictedImports(file, importing(["import { contextBridge } from 'electron';"])),
    ).toBe(0);
  });

  it('a pure .std file in main is held to the window’s rules too', async () => {
    const file = 'desktop/main/conversationId.std.ts';
    expect(await restrictedImports(file, importing(forbidden))).toBe(forbidden.length);
  });
});
