import type { Logger } from 'pino';
import {
  GROUP_RULES,
  MAX_GROUP_ENVELOPE_BYTES,
  MAX_GROUP_LOG_PAGE,
  MIN_DISAPPEARING_SECONDS,
} from '../core/index.js';
import type { GroupRules } from '../core/index.js';
import { RelayConfigError } from './RelayError.js';
import type { RelayLimits } from './relayLimits.js';
import { RELAY_LIMIT_DEFAULTS, RELAY_LIMIT_NAMES, RELAY_LIMIT_SPECS } from './relayLimits.js';
import type { RelayStore } from './store/RelayStore.js';
import type { RedisRelayStoreOptions } from './store/redis/RedisRelayStore.js';

/** Who may register a new persona: anyone, anyone who pays proof of work, or invitees. */
export type RegistrationMode = 'open' | 'pow' | 'invite';

export const REGISTRATION_MODES: readonly RegistrationMode[] = ['open', 'pow', 'invite'];

export interface RelayTlsOptions {
  readonly cert: string | Uint8Array;
  readonly key: string | Uint8Array;
}

export interface RelayOptions extends Partial<RelayLimits> {
  /** Folder for the LevelDB store and key files. Required unless `store` is given. */
  readonly dataDir?: string;
  /** A store to use instead of LevelDB in `dataDir`. The relay does not close a store it was given. */
  readonly store?: RelayStore;
  /** Interface to listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** Port; 0 picks a free one. Default 0. */
  readonly port?: number;
  /** Registration gate. Default 'pow'. */
  readonly registration?: RegistrationMode;
  /** Leading zero bits of proof of work, when registration is 'pow'. Default 20 (about 1 s). */
  readonly powDifficulty?: number;
  /** Serve wss:// directly. */
  readonly tls?: RelayTlsOptions;
  /** Count connections per address from X-Forwarded-For (only behind a trusted proxy). */
  readonly trustProxy?: boolean;
  /**
   * The key invite tokens must be signed by (serialized public key), when registration is
   * 'invite'. Default: the operator key in `dataDir`, created on first start.
   */
  readonly operatorPublicKey?: Uint8Array;
  /** Where logs go. Default: nowhere (the command line passes a stderr logger). */
  readonly logger?: Logger;
  /** How often counters are logged, in ms; 0 never. Default 60 000. */
  readonly statsIntervalMs?: number;
  /**
   * The operator's listener for /metrics (Prometheus), /healthz and /readyz: separate from the
   * relay's port so it is never exposed with it. Default: none.
   */
  readonly metrics?: { readonly host?: string; readonly port: number };
  /**
   * The group rules the relay enforces before it appends an operation or a message. Default:
   * core's GROUP_RULES, the same rules every client applies. This is a seam for tests, which pass
   * rules that accept anything to play a malicious relay and check that clients catch it; a real
   * relay has no reason to change it.
   */
  readonly groupRules?: GroupRules;
  /**
   * Keep everything in Redis (a standalone server or a Redis Cluster) instead of LevelDB in
   * `dataDir`, so that several relay nodes on the same Redis and key prefix are one relay
   * (docs/running-a-cluster.md). `dataDir`, when given, still holds this node's own files.
   */
  readonly redis?: RedisRelayStoreOptions;
  /** Where blob bytes live. Default: `blobs` in `dataDir`. */
  readonly blobDir?: string;
  /** This node's name in logs and in Redis's CLIENT LIST. Default: none. */
  readonly nodeName?: string;
}

export interface ResolvedRelayOptions extends RelayLimits {
  readonly dataDir: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly registration: RegistrationMode;
  readonly powDifficulty: number;
  readonly tls: RelayTlsOptions | undefined;
  readonly trustProxy: boolean;
  readonly statsIntervalMs: number;
  readonly metrics: { readonly host: string; readonly port: number } | undefined;
  readonly groupRules: GroupRules;
  readonly redis: RedisRelayStoreOptions | undefined;
  readonly blobDir: string | undefined;
  readonly nodeName: string | undefined;
}

export const RELAY_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  registration: 'pow' as RegistrationMode,
  powDifficulty: 20,
  statsIntervalMs: 60_000,
} as const;

/** The largest difficulty a client is asked to pay (and that core's frame validation accepts). */
export const MAX_POW_DIFFICULTY = 64;

/** Fills in defaults and checks every value; throws RelayConfigError. */
export function resolveRelayOptions(options: RelayOptions): ResolvedRelayOptions {
  const limits = { ...RELAY_LIMIT_DEFAULTS };
  for (const name of RELAY_LIMIT_NAMES) {
    const value = options[name];
    if (value === undefined) continue;
    const spec = RELAY_LIMIT_SPECS[name];
    if (!Number.isSafeInteger(value) || value < (spec.allowZero ? 0 : 1)) {
      throw new RelayConfigError(
        `${name} must be a ${spec.allowZero ? 'non-negative' : 'positive'} integer`,
      );
    }
    limits[name] = value;
  }
  if (limits.maxGroupMessageBytes > MAX_GROUP_ENVELOPE_BYTES) {
    throw new RelayConfigError(`maxGroupMessageBytes must be at most ${MAX_GROUP_ENVELOPE_BYTES}`);
  }
  if (limits.groupLogPageSize > MAX_GROUP_LOG_PAGE) {
    throw new RelayConfigError(`groupLogPageSize must be at most ${MAX_GROUP_LOG_PAGE}`);
  }
  if (limits.minDisappearingSeconds > MIN_DISAPPEARING_SECONDS) {
    throw new RelayConfigError(
      `minDisappearingSeconds must be at most ${MIN_DISAPPEARING_SECONDS}`,
    );
  }
  if (options.dataDir === undefined && options.store === undefined && options.redis === undefined) {
    throw new RelayConfigError('either dataDir, store or redis is required');
  }
  if (options.store !== undefined && options.redis !== undefined) {
    throw new RelayConfigError('give store or redis, not both');
  }
  if (options.redis !== undefined) checkRedisOptions(options.redis);
  if (options.nodeName !== undefined && !NODE_NAME_PATTERN.test(options.nodeName)) {
    throw new RelayConfigError(
      'nodeName must be 1 to 64 letters, digits, dots, dashes or underscores',
    );
  }
  const registration = options.registration ?? RELAY_DEFAULTS.registration;
  if (!REGISTRATION_MODES.includes(registration)) {
    throw new RelayConfigError('registration must be open, pow or invite');
  }
  const powDifficulty = options.powDifficulty ?? RELAY_DEFAULTS.powDifficulty;
  if (!Number.isInteger(powDifficulty) || powDifficulty < 0 || powDifficulty > MAX_POW_DIFFICULTY) {
    throw new RelayConfigError(`powDifficulty must be an integer from 0 to ${MAX_POW_DIFFICULTY}`);
  }
  const port = options.port ?? RELAY_DEFAULTS.port;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RelayConfigError('port must be an integer from 0 to 65535');
  }
  const statsIntervalMs = options.statsIntervalMs ?? RELAY_DEFAULTS.statsIntervalMs;
  if (!Number.isSafeInteger(statsIntervalMs) || statsIntervalMs < 0) {
    throw new RelayConfigError('statsIntervalMs must be a non-negative integer');
  }
  const metrics =
    options.metrics === undefined
      ? undefined
      : { host: options.metrics.host ?? RELAY_DEFAULTS.host, port: options.metrics.port };
  if (
    metrics !== undefined &&
    (!Number.isInteger(metrics.port) || metrics.port < 0 || metrics.port > 65_535)
  ) {
    throw new RelayConfigError('metrics.port must be an integer from 0 to 65535');
  }
  if (
    registration === 'invite' &&
    options.dataDir === undefined &&
    options.operatorPublicKey === undefined
  ) {
    throw new RelayConfigError('invite registration needs dataDir or operatorPublicKey');
  }
  return {
    ...limits,
    dataDir: options.dataDir,
    host: options.host ?? RELAY_DEFAULTS.host,
    port,
    registration,
    powDifficulty,
    tls: options.tls,
    trustProxy: options.trustProxy ?? false,
    statsIntervalMs,
    metrics,
    groupRules: options.groupRules ?? GROUP_RULES,
    redis: options.redis,
    blobDir: options.blobDir,
    nodeName: options.nodeName,
  };
}

/** A node name: shown in logs and CLIENT LIST, so nothing that needs quoting. */
export const NODE_NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** The most replicas a write may wait for (a Redis Cluster primary rarely has more than a few). */
export const MAX_MIN_REPLICAS = 16;

/** Checks the Redis store's options as far as they can be checked without connecting. */
function checkRedisOptions(redis: RedisRelayStoreOptions): void {
  const hasUrl = redis.url !== undefined;
  const hasCluster = redis.cluster !== undefined && redis.cluster.length > 0;
  if (hasUrl === hasCluster) {
    throw new RelayConfigError('redis needs exactly one of url and cluster');
  }
  if (hasUrl && !/^rediss?:\/\/[^\s]+$/.test(redis.url ?? '')) {
    throw new RelayConfigError('redis.url must be a redis:// or rediss:// URL');
  }
  for (const node of redis.cluster ?? []) {
    if (!isHostPort(node)) throw new RelayConfigError('redis.cluster must list host:port seeds');
  }
  if (redis.keyPrefix !== undefined && !KEY_PREFIX_PATTERN.test(redis.keyPrefix)) {
    throw new RelayConfigError(
      'redis.keyPrefix must be 1 to 64 characters without spaces or braces',
    );
  }
  const { minReplicas, replicaTimeoutMs } = redis;
  if (
    minReplicas !== undefined &&
    (!Number.isInteger(minReplicas) || minReplicas < 0 || minReplicas > MAX_MIN_REPLICAS)
  ) {
    throw new RelayConfigError(
      `redis.minReplicas must be an integer from 0 to ${MAX_MIN_REPLICAS}`,
    );
  }
  if (
    replicaTimeoutMs !== undefined &&
    (!Number.isSafeInteger(replicaTimeoutMs) || replicaTimeoutMs < 1)
  ) {
    throw new RelayConfigError('redis.replicaTimeoutMs must be a positive integer');
  }
}

/** Braces would make the prefix a hash tag and put every key in one slot. */
export const KEY_PREFIX_PATTERN = /^[^\s{}]{1,64}$/;

/** host:port, IPv6 in brackets; the port from 1 to 65535. */
export function isHostPort(text: string): boolean {
  const match = /^(?:\[[0-9a-fA-F:.]+\]|[^:[\]\s]+):(\d{1,5})$/.exec(text);
  const port = Number(match?.[1]);
  return match !== null && port >= 1 && port <= 65_535;
}
