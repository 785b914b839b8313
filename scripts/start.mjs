#!/usr/bin/env node
// `npm start`: runs the main job on this machine — a Kindred relay on the embedded LevelDB
// default, with its data in .kindred/relay — and tells you how to connect a client to it.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = process.env.KINDRED_RELAY_DATA ?? join(root, '.kindred', 'relay');
const port = process.env.KINDRED_RELAY_PORT ?? '8787';
mkdirSync(dataDir, { recursive: true });

const relay = spawn(
  process.execPath,
  [join(root, 'bin', 'kindred-server.js'), '--data', dataDir, '--port', port],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);

const lines = createInterface({ input: relay.stdout });
lines.on('line', (line) => {
  let event;
  try {
    event = JSON.parse(line);
  } catch {
    console.log(line);
    return;
  }
  if (event.event !== 'listening') return;
  console.log(`
Kindred relay listening on ${event.url} (data in ${dataDir}).

Talk through it with the CLI, from two homes:
  export KINDRED_PASSPHRASE='choose a long passphrase'
  npx kindred init --home /tmp/alice --name Alice --server ${event.url}
  npx kindred init --home /tmp/bob   --name Bob   --server ${event.url}
  npx kindred invite --home /tmp/alice                 # prints a kindred:contact/… link
  npx kindred contact add --home /tmp/bob LINK --alias alice
  npx kindred send --home /tmp/bob alice "hello"
  npx kindred sync --home /tmp/alice

Press Ctrl+C to stop the relay.`);
});

const stop = () => relay.kill('SIGTERM');
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
relay.on('exit', (code, signal) => {
  process.exit(signal === 'SIGTERM' || signal === 'SIGINT' ? 0 : (code ?? 1));
});
