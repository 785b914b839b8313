#!/usr/bin/env node
// `npm start`: runs Kindred on this machine. Starts a relay on the embedded LevelDB default (data
// in .kindred/relay), builds the window (the renderer) when its build is missing or stale, then
// opens the desktop app: the Electron window when Electron's binary is installed (one download
// attempt if it is not), otherwise the dev host, which serves the same window to a browser on
// 127.0.0.1 and prints the address to open. The app's vault lives in .kindred/desktop.
// Ctrl+C stops everything. `npm start -- --relay-only` starts the relay alone (for the CLI).
//
// When port 8787 is taken (another relay, another program) and KINDRED_RELAY_PORT was not set,
// the relay takes a free port instead and says so in one line; the window is told that address.
// A port chosen with KINDRED_RELAY_PORT is kept: if it is taken, one line says so and names the
// variable, and nothing starts.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const relayData = process.env.KINDRED_RELAY_DATA ?? join(root, '.kindred', 'relay');
const DEFAULT_RELAY_PORT = '8787';
/** The relay's port as the person chose it (KINDRED_RELAY_PORT), or undefined for the default. */
const chosenRelayPort = process.env.KINDRED_RELAY_PORT;
/** The relay listens on loopback (its default host). */
const RELAY_HOST = '127.0.0.1';
const relayOnly = process.argv.includes('--relay-only');
const desktopHome = process.env.KINDRED_DESKTOP_HOME ?? join(root, '.kindred', 'desktop');
const desktopPort = process.env.KINDRED_DESKTOP_PORT ?? '0';
const rendererDir = join(root, 'desktop', 'renderer');
const rendererDist = join(rendererDir, 'dist');
const rendererConfig = join(rendererDir, 'vite.config.ts');
const electronDir = join(root, 'node_modules', 'electron');
/** Electron's download, when it is attempted, may take this long at most. */
const ELECTRON_INSTALL_TIMEOUT_MS = 5 * 60_000;

/** Every child we started, so Ctrl+C stops them all. */
const children = new Set();
let stopping = false;

function run(command, args, options = {}) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: root, ...options });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

/** Runs a command to completion; resolves with its exit code. */
function runToEnd(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = run(command, args, options);
    child.on('error', () => resolve(1));
    child.on('exit', (code, signal) => resolve(signal === null ? (code ?? 1) : 1));
  });
}

/**
 * Stops the children and exits. After Ctrl+C the terminal has already sent SIGINT to every
 * process of the group, children included: signalling them again would be a second signal, which
 * the relay takes as "exit now" (skipping its flush). So after SIGINT they get SIGTERM only if
 * still running a few seconds later (when the SIGINT was sent to this process alone).
 */
function stop(code = 0, childrenSignalled = false) {
  if (stopping) return;
  stopping = true;
  const signalChildren = () => {
    for (const child of children) child.kill('SIGTERM');
  };
  if (childrenSignalled) setTimeout(signalChildren, 3_000).unref();
  else signalChildren();
  const done = () => process.exit(code);
  if (children.size === 0) done();
  // Children lock the vault and flush the relay's store on SIGTERM; give them a moment.
  const deadline = setTimeout(done, 10_000);
  deadline.unref();
  const check = setInterval(() => {
    if (children.size === 0) {
      clearInterval(check);
      done();
    }
  }, 50);
}
process.on('SIGINT', () => stop(0, true));
process.on('SIGTERM', () => stop(0));

/** Whether something already listens on `port` of the relay's host (EADDRINUSE). */
function portTaken(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error) => resolve(error.code === 'EADDRINUSE'));
    probe.listen({ port: Number(port), host: RELAY_HOST, exclusive: true }, () => {
      probe.close(() => resolve(false));
    });
  });
}

/**
 * The port to start the relay on: the chosen one, or the default; when the default is taken, 0
 * (any free port: the relay's "listening" line says which). Undefined when a chosen port is taken.
 */
async function relayPortToUse() {
  const port = chosenRelayPort ?? DEFAULT_RELAY_PORT;
  if (!(await portTaken(port))) return { port, fallback: false };
  if (chosenRelayPort !== undefined) {
    console.error(
      `Port ${port} is taken, so the relay cannot start there: choose another with KINDRED_RELAY_PORT=N (0: any free port).`,
    );
    return undefined;
  }
  return { port: '0', fallback: true };
}

/** Starts the relay and resolves with its URL once it listens (undefined if it cannot). */
async function startRelay() {
  const chosen = await relayPortToUse();
  if (chosen === undefined) return undefined;
  const relayPort = chosen.port;
  mkdirSync(relayData, { recursive: true });
  const relay = run(
    process.execPath,
    [join(root, 'bin', 'kindred-server.js'), '--data', relayData, '--port', relayPort],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  relay.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`The relay stopped (${signal ?? `exit code ${code}`}); stopping Kindred.`);
      stop(code ?? 1);
    }
  });
  return new Promise((resolve) => {
    createInterface({ input: relay.stdout }).on('line', (line) => {
      let event;
      try {
        event = JSON.parse(line);
      } catch {
        console.log(line);
        return;
      }
      if (event.event !== 'listening') return;
      if (chosen.fallback) {
        console.log(
          `Port ${DEFAULT_RELAY_PORT} is taken, so the relay listens on ${event.url} instead (set KINDRED_RELAY_PORT to choose a port).`,
        );
      }
      resolve(event.url);
    });
  });
}

/** The newest modification time of the files under `dir` (skipping `skip`), 0 for none. */
function newestFile(dir, skip) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (path === skip || entry.name === 'node_modules') continue;
    newest = Math.max(
      newest,
      entry.isDirectory() ? newestFile(path, skip) : statSync(path).mtimeMs,
    );
  }
  return newest;
}

/** Builds the renderer when its build is missing or older than its sources. */
async function buildRenderer() {
  if (!existsSync(rendererConfig)) {
    console.log('The window (desktop/renderer) is not in this checkout yet; skipping its build.');
    return false;
  }
  const index = join(rendererDist, 'index.html');
  const built = existsSync(index) ? statSync(index).mtimeMs : 0;
  const sources = Math.max(
    newestFile(rendererDir, rendererDist),
    newestFile(join(root, 'desktop', 'shared')),
  );
  if (built > 0 && built >= sources) return true;
  console.log('Building the window (desktop/renderer)…');
  const code = await runToEnd(process.execPath, [
    join(root, 'node_modules', 'vite', 'bin', 'vite.js'),
    'build',
    '--config',
    rendererConfig,
    '--logLevel',
    'warn',
  ]);
  if (code !== 0) {
    console.error('The window did not build; see the errors above.');
    return false;
  }
  return true;
}

/** The Electron executable, when its binary is installed. */
function electronBinary() {
  try {
    const relative = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim();
    const binary = join(electronDir, 'dist', relative);
    return relative !== '' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

/** `npm install` here runs with ignore-scripts: try Electron's own download, once. */
async function installElectron() {
  if (!existsSync(join(electronDir, 'install.js'))) return undefined;
  console.log('Electron is not downloaded yet; trying once (this needs the internet)…');
  const env = { ...process.env };
  delete env.ELECTRON_SKIP_BINARY_DOWNLOAD;
  const child = run(process.execPath, [join(electronDir, 'install.js')], {
    env,
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const timer = setTimeout(() => child.kill('SIGTERM'), ELECTRON_INSTALL_TIMEOUT_MS);
  await new Promise((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  const binary = electronBinary();
  if (binary === undefined) console.log('Electron could not be downloaded here.');
  return binary;
}

async function startElectron(binary, relayUrl) {
  console.log('Building the desktop app (desktop/dist)…');
  const code = await runToEnd(process.execPath, [
    '--import',
    'tsx',
    join(root, 'desktop', 'main', 'build', 'buildDesktopMain.node.ts'),
  ]);
  if (code !== 0) {
    console.error('The desktop app did not build; see the errors above.');
    return false;
  }
  mkdirSync(desktopHome, { recursive: true });
  const app = run(binary, [join(root, 'desktop', 'dist', 'main.js')], {
    env: { ...process.env, KINDRED_RELAY_URL: relayUrl, KINDRED_DESKTOP_HOME: desktopHome },
  });
  app.on('exit', () => stop(0));
  console.log(
    `\nKindred is open in its window (vault in ${desktopHome}). Close it or press Ctrl+C to stop.`,
  );
  return true;
}

function startDevHost(relayUrl) {
  const host = run(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'desktop', 'devhost', 'run.main.ts'),
      '--home',
      desktopHome,
      '--relay',
      relayUrl,
      '--port',
      desktopPort,
      '--renderer',
      rendererDist,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  host.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`The dev host stopped (${signal ?? `exit code ${code}`}); stopping Kindred.`);
      stop(code ?? 1);
    }
  });
  createInterface({ input: host.stdout }).on('line', (line) => {
    let event;
    try {
      event = JSON.parse(line);
    } catch {
      // The dev host's own human line: ours below says the same, more prominently.
      return;
    }
    if (event.event !== 'listening') return;
    console.log(`
Kindred's window runs in your browser (Electron is not available here).
Its vault is in ${desktopHome}.

  Open this in your browser: ${event.url}

The address carries a one-time key: keep it to yourself. Press Ctrl+C to stop everything.`);
  });
}

const relayUrl = await startRelay();
if (relayUrl === undefined) process.exit(1);
console.log(`
Kindred relay listening on ${relayUrl} (data in ${relayData}).
The CLI talks through it too, e.g.:
  export KINDRED_PASSPHRASE='choose a long passphrase'
  npx kindred init --home /tmp/alice --name Alice --server ${relayUrl}
`);
if (relayOnly) {
  console.log('Only the relay runs (--relay-only). Press Ctrl+C to stop it.');
}
const rendererReady = relayOnly || (await buildRenderer());
if (!stopping && !relayOnly) {
  const binary = electronBinary() ?? (await installElectron());
  if (stopping) {
    // Ctrl+C during the download.
  } else if (binary !== undefined && rendererReady && (await startElectron(binary, relayUrl))) {
    // The window is up.
  } else {
    startDevHost(relayUrl);
  }
}
