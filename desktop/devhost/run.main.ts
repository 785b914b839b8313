/**
 * `tsx desktop/devhost/run.main.ts`: runs the window in a browser. Opens (or on first run,
 * creates) the vault in --home, serves the renderer build on 127.0.0.1, and prints where to open
 * it: one JSON line `{"event":"listening","url":…}` for scripts, then a line for people.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { DesktopService } from '../main/DesktopService.main.js';
import { createStderrLogger } from '../main/logger.main.js';
import { startDevHost } from './devHost.main.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_RELAY_URL = 'ws://127.0.0.1:8787';

interface DevHostFlags {
  readonly home: string;
  readonly relay: string;
  readonly port: number;
  readonly renderer: string;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/u.test(text) || port > 65_535) throw new InvalidArgumentError('a port is 0 to 65535');
  return port;
}

export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('kindred-devhost')
    .description('Serve the Kindred window to a browser on this machine (loopback only).')
    .option('--home <dir>', 'vault folder', path.join(os.homedir(), '.kindred-desktop'))
    .option('--relay <url>', 'relay a first run registers with', DEFAULT_RELAY_URL)
    .option('--port <n>', 'port on 127.0.0.1 (0: any free port)', parsePort, 0)
    .option(
      '--renderer <dir>',
      'renderer build',
      path.join(REPO_ROOT, 'desktop', 'renderer', 'dist'),
    )
    .showHelpAfterError();
  program.parse(argv);
  const flags = program.opts<DevHostFlags>();
  const logger = createStderrLogger();
  const service = new DesktopService({
    home: path.resolve(flags.home),
    defaultRelayUrl: flags.relay,
    logger,
  });
  const host = await startDevHost({
    service,
    rendererDir: path.resolve(flags.renderer),
    port: flags.port,
    logger,
  });
  process.stdout.write(`${JSON.stringify({ event: 'listening', url: host.url })}\n`);
  process.stdout.write(`Kindred is ready. Open this in your browser: ${host.url}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // Lock first: the keys leave memory even if closing the sockets takes a moment.
    service
      .close()
      .then(() => host.close())
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (
  process.argv[1] !== undefined &&
  path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  main(process.argv).catch((error: unknown) => {
    process.stderr.write(
      `kindred-devhost: ${error instanceof Error ? error.message : 'could not start'}\n`,
    );
    process.exit(1);
  });
}
