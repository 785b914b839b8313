import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { fromBase64Url, toBase64Url } from '../core/index.js';
import {
  parseBytes,
  parseCount,
  parseDuration,
  parseHostPortList,
  parsePort,
  parseRedisUrl,
  parseSmallCount,
  oneOf,
} from './cliParsers.js';
import { checkOperatorKeyFile } from './cluster/clusterOperatorKey.js';
import { addDirectoryCommands } from './directory/directoryCli.js';
import { endorseStoredOperatorKey } from './directory/RelayOperator.js';
import { LOG_LEVELS, createStderrLogger } from './logger.js';
import type { Logger } from './logger.js';
import { issueRelayInviteToken } from './OperatorKey.js';
import { RelayConfigError } from './RelayError.js';
import { RELAY_ID_SETTING, loadRelayIdentity } from './RelayIdentity.js';
import {
  KEY_PREFIX_PATTERN,
  MAX_MIN_REPLICAS,
  NODE_NAME_PATTERN,
  RELAY_DEFAULTS,
  REGISTRATION_MODES,
} from './RelayOptions.js';
import type { RelayOptions, RegistrationMode } from './RelayOptions.js';
import { RELAY_LIMIT_DEFAULTS, RELAY_LIMIT_NAMES, RELAY_LIMIT_SPECS } from './relayLimits.js';
import type { RelayLimits } from './relayLimits.js';
import { RedisRelayStore } from './store/redis/RedisRelayStore.js';
import type { RedisRelayStoreOptions } from './store/redis/RedisRelayStore.js';
import { requestBackup } from './ops/AdminSocket.js';
import { RelayBackupError, restoreRelayBackup, writeRelayBackup } from './ops/RelayBackup.js';
import { RelayServer, STORE_FOLDER } from './RelayServer.js';
import { LevelRelayStore } from './store/LevelRelayStore.js';
import type { RelayStore } from './store/RelayStore.js';

/** The command line's own default port (the library's default, 0, means "any free port"). */
export const DEFAULT_CLI_PORT = 8787;
const DEFAULT_INVITE_LIFETIME = '7d';

/** Exit codes: 0 done, 1 the relay failed at run time, 2 the command line was wrong. */
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

/** The key commander stores each limit's value under. */
const limitAttributes = new Map<keyof RelayLimits, string>();

class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface ServeFlags {
  readonly data?: string;
  readonly port: number;
  readonly host: string;
  readonly registration: RegistrationMode;
  readonly powDifficulty: number;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly trustProxy?: boolean;
  readonly logLevel: string;
  readonly metricsHost: string;
  /** The operator's listener runs only when a port is given. */
  readonly metricsPort?: number;
}

/** Where the store is, for serving and for the admin commands that open it. */
interface StoreFlags {
  readonly store?: string;
  readonly storeCluster?: string[];
  readonly storeKeyPrefix?: string;
  readonly storeMinReplicas?: number;
}

/** Node-local choices of a relay node among several. */
interface NodeFlags {
  readonly blobDir?: string;
  readonly nodeName?: string;
}

/**
 * `kindred-server`: runs a relay, or with `invite-token` prints an invite token. Returns the exit
 * code, or undefined while the relay keeps running (it stops on SIGINT/SIGTERM).
 */
export async function main(argv: readonly string[]): Promise<number | undefined> {
  let outcome: Promise<number | undefined> = Promise.resolve(0);
  const program = new Command('kindred-server')
    .description('Run a Kindred relay: one data folder, nothing else needed.')
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: () => undefined,
      outputError: () => undefined,
    })
    .option('--data <dir>', 'data folder (created if missing)')
    .option('--port <n>', 'port to listen on (0: any free port)', parsePort, DEFAULT_CLI_PORT)
    .option('--host <host>', 'interface to listen on', RELAY_DEFAULTS.host)
    .addOption(
      new Option('--registration <mode>', 'who may register')
        .argParser(oneOf(REGISTRATION_MODES))
        .default(RELAY_DEFAULTS.registration),
    )
    .option(
      '--pow-difficulty <bits>',
      'proof-of-work difficulty for --registration pow',
      parseCount,
      RELAY_DEFAULTS.powDifficulty,
    )
    .option('--tls-cert <file>', 'PEM certificate: serve wss:// directly')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option('--trust-proxy', 'count connections per X-Forwarded-For address (behind a proxy)')
    .option(
      '--metrics-host <host>',
      'interface of the /metrics, /healthz and /readyz listener',
      RELAY_DEFAULTS.host,
    )
    .option(
      '--metrics-port <n>',
      'serve /metrics, /healthz and /readyz on this port (default: not at all)',
      parsePort,
    )
    .addOption(
      new Option('--log-level <level>', 'log level (logs go to stderr)')
        .argParser(oneOf([...LOG_LEVELS, 'silent']))
        .default('info'),
    );
  for (const name of RELAY_LIMIT_NAMES) {
    const spec = RELAY_LIMIT_SPECS[name];
    const parser =
      spec.kind === 'duration' ? parseDuration : spec.kind === 'bytes' ? parseBytes : parseCount;
    const option = new Option(`--${spec.flag} <value>`, spec.description)
      .argParser(parser)
      .default(RELAY_LIMIT_DEFAULTS[name], describeDefault(name));
    program.addOption(option);
    // Commander keys a value by its flag (`--retention` is `retention`), which is not always
    // the limit's name (`retentionMs`).
    limitAttributes.set(name, option.attributeName());
  }
  addStoreOptions(program)
    .option('--blob-dir <dir>', 'folder for blob bytes (default: blobs in the data folder)')
    .option('--node-name <name>', "this node's name in logs and Redis CLIENT LIST");
  program.action((flags: ServeFlags & StoreFlags & NodeFlags & Partial<RelayLimits>) => {
    outcome = serve(flags, program);
  });

  addStoreOptions(
    program
      .command('invite-token')
      .description('print a relay invite token (base64url) for --registration invite')
      .option('--data <dir>', 'the relay data folder (holds the operator key)')
      .option('--uses <n>', 'how many personas may register with it (0: unlimited)', parseCount, 1)
      .option(
        '--expires <duration>',
        'lifetime, e.g. 24h or 30d (0: never)',
        parseDuration,
        parseDuration(DEFAULT_INVITE_LIFETIME),
      ),
  ).action((flags: { data?: string; uses: number; expires: number } & StoreFlags) => {
    outcome = printInviteToken(flags);
  });

  addDirectoryCommands(program, (started) => {
    outcome = started;
  });

  addStoreOptions(
    program
      .command('endorse-operator-key')
      .description("have the trust root endorse the relay's operator key (older relays, once)")
      .option('--data <dir>', 'the relay data folder (holds the operator key)')
      .option('--trust-root-key <file>', "the trust root's private key (trust-root.key)"),
  ).action((flags: { data?: string; trustRootKey?: string } & StoreFlags) => {
    outcome = endorseOperatorKeyCommand(flags);
  });

  addStoreOptions(
    program
      .command('backup')
      .description(
        'write a consistent backup of a relay data folder to one file (while it runs, too)',
      )
      .option('--data <dir>', 'the relay data folder')
      .option('--out <file>', 'the backup file to write'),
  ).action((flags: { data?: string; out?: string } & StoreFlags) => {
    refuseRedisStore(flags, 'backup');
    outcome = backUp(flags);
  });

  addStoreOptions(
    program
      .command('restore')
      .description('restore a backup file into a new, empty data folder')
      .argument('<file>', 'the backup file')
      .option('--data <dir>', 'the new data folder (missing or empty)'),
  ).action((file: string, flags: { data?: string } & StoreFlags) => {
    refuseRedisStore(flags, 'restore');
    outcome = restore(file, flags);
  });

  try {
    await program.parseAsync([...argv]);
    return await outcome;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      return usageFailure(error.message.replace(/^error: /, ''));
    }
    if (error instanceof UsageError || RelayConfigError.is(error))
      return usageFailure(error.message);
    process.stderr.write(`kindred-server: ${oneLine(error)}\n`);
    return EXIT_FAILURE;
  }
}

async function serve(
  flags: ServeFlags & StoreFlags & NodeFlags & Partial<RelayLimits>,
  program: Command,
): Promise<number | undefined> {
  if (flags.data === undefined)
    throw new UsageError("required option '--data <dir>' not specified");
  const redis = redisOptionsFrom(flags);
  if (flags.nodeName !== undefined && !NODE_NAME_PATTERN.test(flags.nodeName)) {
    throw new UsageError(
      '--node-name must be 1 to 64 letters, digits, dots, dashes or underscores',
    );
  }
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined)) {
    throw new UsageError('--tls-cert and --tls-key go together');
  }
  const limits: Partial<Record<keyof RelayLimits, number>> = {};
  const values = new Map<string, unknown>(Object.entries(flags));
  for (const name of RELAY_LIMIT_NAMES) {
    // Only what was given explicitly: the library owns the defaults.
    const attribute = limitAttributes.get(name) ?? name;
    const value = values.get(attribute);
    if (typeof value === 'number' && program.getOptionValueSource(attribute) === 'cli') {
      limits[name] = value;
    }
  }
  const logger = createStderrLogger(flags.logLevel as Parameters<typeof createStderrLogger>[0]);
  const options: RelayOptions = {
    ...limits,
    dataDir: flags.data,
    host: flags.host,
    port: flags.port,
    registration: flags.registration,
    powDifficulty: flags.powDifficulty,
    trustProxy: flags.trustProxy === true,
    logger: flags.nodeName === undefined ? logger : logger.child({ node: flags.nodeName }),
    ...(redis === undefined ? {} : { redis }),
    ...(flags.blobDir === undefined ? {} : { blobDir: flags.blobDir }),
    ...(flags.nodeName === undefined ? {} : { nodeName: flags.nodeName }),
    ...(flags.metricsPort === undefined
      ? {}
      : { metrics: { host: flags.metricsHost, port: flags.metricsPort } }),
    ...(flags.tlsCert !== undefined && flags.tlsKey !== undefined
      ? { tls: { cert: await readPem(flags.tlsCert), key: await readPem(flags.tlsKey) } }
      : {}),
  };
  const relay = await RelayServer.start(options);
  process.stdout.write(
    `${JSON.stringify({
      event: 'listening',
      url: relay.url,
      trustRoot: toBase64Url(relay.trustRoot),
      ...(relay.opsPort === undefined ? {} : { metricsPort: relay.opsPort }),
    })}\n`,
  );
  stopOnSignals(relay, logger);
  return undefined;
}

/** The store flags, on the serve command and on every admin command that opens the store. */
function addStoreOptions(command: Command): Command {
  return command
    .option(
      '--store <url>',
      'keep everything in Redis at this redis:// or rediss:// URL',
      parseRedisUrl,
    )
    .option(
      '--store-cluster <nodes>',
      'keep everything in a Redis Cluster: seed nodes as host:port,host:port',
      parseHostPortList,
    )
    .option('--store-key-prefix <prefix>', "prefix of the relay's Redis keys (default kindred:)")
    .option(
      '--store-min-replicas <n>',
      'replicas a write must reach before it is acknowledged (default 1 with --store-cluster, 0 with --store)',
      parseSmallCount(MAX_MIN_REPLICAS),
    );
}

/** The Redis store's options from the flags; undefined for LevelDB in the data folder. */
function redisOptionsFrom(flags: StoreFlags): RedisRelayStoreOptions | undefined {
  if (flags.store !== undefined && flags.storeCluster !== undefined) {
    throw new UsageError('--store and --store-cluster exclude each other: give one');
  }
  if (flags.store === undefined && flags.storeCluster === undefined) {
    if (flags.storeKeyPrefix !== undefined || flags.storeMinReplicas !== undefined) {
      throw new UsageError(
        '--store-key-prefix and --store-min-replicas need --store or --store-cluster',
      );
    }
    return undefined;
  }
  if (flags.storeKeyPrefix !== undefined && !KEY_PREFIX_PATTERN.test(flags.storeKeyPrefix)) {
    throw new UsageError('--store-key-prefix must be 1 to 64 characters without spaces or braces');
  }
  return {
    ...(flags.store === undefined ? {} : { url: flags.store }),
    ...(flags.storeCluster === undefined ? {} : { cluster: flags.storeCluster }),
    ...(flags.storeKeyPrefix === undefined ? {} : { keyPrefix: flags.storeKeyPrefix }),
    ...(flags.storeMinReplicas === undefined ? {} : { minReplicas: flags.storeMinReplicas }),
  };
}

/** backup and restore copy a LevelDB data folder; a Redis store has Redis's own backups. */
function refuseRedisStore(flags: StoreFlags, command: string): void {
  if (redisOptionsFrom(flags) === undefined) return;
  throw new UsageError(
    `${command} copies a LevelDB data folder; back up a Redis store with Redis's own snapshots (docs/running-a-cluster.md)`,
  );
}

function stopOnSignals(relay: RelayServer, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second signal: the operator insists.
      process.exit(EXIT_FAILURE);
    }
    stopping = true;
    logger.info({ event: 'signal', signal }, 'stopping');
    // SIGTERM (systemd, an orchestrator, a rolling restart) drains: /readyz false first, then
    // after --drain-delay the same graceful close as SIGINT.
    (signal === 'SIGTERM' ? relay.drain() : relay.close()).then(
      () => {
        process.exitCode = 0;
        // Everything is closed; if some handle still lingers, do not hang on it.
        setTimeout(() => process.exit(0), 1000).unref();
      },
      (error: unknown) => {
        process.stderr.write(`kindred-server: ${oneLine(error)}\n`);
        process.exit(EXIT_FAILURE);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function backUp(flags: { data?: string; out?: string }): Promise<number> {
  if (flags.data === undefined)
    throw new UsageError("required option '--data <dir>' not specified");
  if (flags.out === undefined) throw new UsageError("required option '--out <file>' not specified");
  const dataDir = resolve(flags.data);
  const out = resolve(flags.out);
  if (out.startsWith(`${dataDir}/`)) throw new UsageError('--out must be outside the data folder');
  // A running relay holds the folder: it writes the backup itself, from one snapshot.
  let answer = await requestBackup(dataDir, out);
  if (answer === undefined) {
    if (!existsSync(join(dataDir, STORE_FOLDER))) {
      throw new UsageError(`${dataDir} holds no relay data`);
    }
    const store = await LevelRelayStore.open(join(dataDir, STORE_FOLDER));
    try {
      answer = { ok: true, ...(await writeRelayBackup(store, dataDir, out)) };
    } finally {
      await store.close();
    }
  }
  if (!answer.ok) {
    process.stderr.write(`kindred-server: ${answer.code}: ${answer.message}\n`);
    return EXIT_FAILURE;
  }
  process.stdout.write(
    `${JSON.stringify({ event: 'backup', out, records: answer.records, files: answer.files, bytes: answer.bytes })}\n`,
  );
  return 0;
}

async function restore(file: string, flags: { data?: string }): Promise<number> {
  if (flags.data === undefined)
    throw new UsageError("required option '--data <dir>' not specified");
  try {
    const summary = await restoreRelayBackup(resolve(file), resolve(flags.data));
    process.stdout.write(`${JSON.stringify({ event: 'restored', ...summary })}\n`);
    return 0;
  } catch (error) {
    if (!RelayBackupError.is(error)) throw error;
    process.stderr.write(`kindred-server: ${error.code}: ${error.message}\n`);
    return EXIT_FAILURE;
  }
}

async function printInviteToken(
  flags: { data?: string; uses: number; expires: number } & StoreFlags,
): Promise<number> {
  if (flags.data === undefined)
    throw new UsageError("required option '--data <dir>' not specified");
  if (flags.uses > 0xffffffff) throw new UsageError('--uses is too large');
  const redis = redisOptionsFrom(flags);
  if (redis !== undefined) {
    // A relay of several nodes: mint only with the key every node checks tokens against.
    const store = await RedisRelayStore.open(redis);
    try {
      await checkOperatorKeyFile(store, flags.data);
    } finally {
      await store.close();
    }
  }
  const token = await issueRelayInviteToken(flags.data, {
    maxUses: flags.uses,
    expiresAt: flags.expires === 0 ? 0 : Date.now() + flags.expires,
  });
  process.stdout.write(`${toBase64Url(token)}\n`);
  return 0;
}

async function endorseOperatorKeyCommand(
  flags: { data?: string; trustRootKey?: string } & StoreFlags,
): Promise<number> {
  if (flags.data === undefined)
    throw new UsageError("required option '--data <dir>' not specified");
  if (flags.trustRootKey === undefined)
    throw new UsageError("required option '--trust-root-key <file>' not specified");
  const trustRootPrivateKey = fromBase64Url((await readPem(flags.trustRootKey)).trim());
  if (trustRootPrivateKey === undefined) {
    throw new UsageError(`${flags.trustRootKey} is not a base64url key`);
  }
  const dataDir = flags.data;
  const operatorKey = await withAdminStore(flags, async (store, shared) => {
    const relayId = await store.getSetting(RELAY_ID_SETTING);
    if (relayId === undefined) throw new UsageError(`${dataDir} holds no relay data`);
    const { issuer } = await loadRelayIdentity(store, undefined);
    return endorseStoredOperatorKey({
      store,
      dataDir,
      shared,
      relayId,
      trustRoot: issuer.trustRoot,
      trustRootPrivateKey,
    });
  });
  process.stdout.write(
    `${JSON.stringify({ event: 'endorsed', operatorKey: toBase64Url(operatorKey) })}\n`,
  );
  return 0;
}

/**
 * Opens the relay's store for an admin command: Redis (shared with running nodes), or the data
 * folder's LevelDB, which only a stopped relay lets go of.
 */
async function withAdminStore<T>(
  flags: { data?: string } & StoreFlags,
  work: (store: RelayStore, shared: boolean) => Promise<T>,
): Promise<T> {
  const redis = redisOptionsFrom(flags);
  let store: RelayStore;
  if (redis !== undefined) {
    store = await RedisRelayStore.open(redis);
  } else {
    const dataDir = resolve(flags.data ?? '.');
    if (!existsSync(join(dataDir, STORE_FOLDER))) {
      throw new UsageError(`${dataDir} holds no relay data`);
    }
    try {
      store = await LevelRelayStore.open(join(dataDir, STORE_FOLDER));
    } catch (error) {
      throw new RelayConfigError(
        `cannot open ${dataDir}: stop the relay first (LevelDB allows one process)`,
        { cause: error },
      );
    }
  }
  try {
    return await work(store, redis !== undefined);
  } finally {
    await store.close();
  }
}

async function readPem(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${oneLine(error)}`);
  }
}

function describeDefault(name: keyof RelayLimits): string {
  const value = RELAY_LIMIT_DEFAULTS[name];
  switch (RELAY_LIMIT_SPECS[name].kind) {
    case 'duration':
      return inLargestUnit(value, [
        ['d', 86_400_000],
        ['h', 3_600_000],
        ['m', 60_000],
        ['s', 1000],
        ['ms', 1],
      ]);
    case 'bytes':
      return inLargestUnit(value, [
        ['GiB', 1024 ** 3],
        ['MiB', 1024 ** 2],
        ['KiB', 1024],
        ['', 1],
      ]);
    case 'count':
      return String(value);
  }
}

function inLargestUnit(value: number, units: readonly (readonly [string, number])[]): string {
  for (const [unit, size] of units) {
    if (value >= size && value % size === 0) return `${value / size}${unit}`;
  }
  return String(value);
}

function usageFailure(message: string): number {
  process.stderr.write(`kindred-server: ${oneLine(message)}\n`);
  return EXIT_USAGE;
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/\s+/g, ' ').trim();
}
