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

describe('import boundaries of the relay and the client agent', () => {
  it('the relay imports core/index.js, never the client agent', async () => {
    const file = 'server/RelayServer.ts';
    const clientAgent = [
      "import { KindredClient } from '../core/client/index.js';",
      "import { MessageHistory } from '../core/client/direct/MessageHistory.js';",
      "import { encodeMessageBody } from '../core/client/messages/messageBodyCodec.js';",
      "import { GroupStore } from '../core/client/groups/GroupStore.js';",
    ];
    expect(await restrictedImports(file, importing(clientAgent))).toBe(clientAgent.length);
    expect(
      await restrictedImports(
        file,
        importing(["import { RelayErrorCode } from '../core/index.js';"]),
      ),
    ).toBe(0);
  });

  it('the CLI and the desktop main process import either index, and no deep path', async () => {
    for (const [file, prefix] of [
      ['cli/actions.ts', '../core'],
      ['desktop/main/DesktopService.main.ts', '../../core'],
    ] as const) {
      const indexes = [
        `import { KindredClient } from '${prefix}/client/index.js';`,
        `import { toHex } from '${prefix}/index.js';`,
      ];
      expect(await restrictedImports(file, importing(indexes)), file).toBe(0);
      const deep = [
        `import { MessageHistory } from '${prefix}/client/direct/MessageHistory.js';`,
        `import { Vault } from '${prefix}/vault/Vault.js';`,
      ];
      expect(await restrictedImports(file, importing(deep)), file).toBe(deep.length);
    }
  });
});
