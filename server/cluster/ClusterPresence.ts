import type { PersonaSession } from '../ConnectionRegistry.js';
import type { RedisClient } from '../store/redis/redisConnection.js';
import type { RedisKeys } from '../store/redis/redisKeys.js';

/**
 * Where the relay tells other relay nodes that a persona has a new connection, so that the one it
 * replaces closes wherever it is. One persona, one connection, across the whole relay: the newest
 * wins. A single node needs nothing of it (ConnectionRegistry replaces in process).
 */
export interface ClusterPresence {
  /**
   * Announces that `session` now speaks for `address` on this node; resolves once other nodes
   * can see it. Any older connection of the persona on another node is then closed by its node.
   */
  claim(address: string, session: PersonaSession): Promise<void>;
  /** Forgets `session` (closed) if it is still the persona's connection on this node. */
  release(address: string, session: PersonaSession): void;
  close(): Promise<void>;
}

/** The single-node case: nothing to tell anyone. */
export const NO_CLUSTER_PRESENCE: ClusterPresence = {
  claim: () => Promise.resolve(),
  release: () => undefined,
  close: () => Promise.resolve(),
};

export interface RedisPresenceOptions {
  /** The command connection (INCR, SPUBLISH). */
  readonly redis: RedisClient;
  /** A connection of its own for SSUBSCRIBE (in subscriber mode it can do nothing else). */
  readonly subscriber: RedisClient;
  /** The store's keys: a persona's claims live under its base, in its mailbox's slot. */
  readonly keys: RedisKeys;
  /** This process's random id: says which node a claim came from. */
  readonly nodeId: string;
  readonly onError: (error: unknown) => void;
}

interface LocalClaim {
  readonly session: PersonaSession;
  /** This connection's claim number; undefined until the counter has answered. */
  claim: number | undefined;
  /** The highest claim number another connection announced while ours was unknown. */
  seen: number;
}

/**
 * Presence on Redis sharded pub/sub. Every connection that authenticates takes the next claim
 * number from a counter in the persona's slot and announces `node:claim` on a channel in the same
 * slot; a node that holds a connection of that persona with a lower claim number closes it. A
 * node subscribes to the channel before it takes its number, so of two connections claiming at
 * once the lower always hears the higher: exactly one survives. The message says which node and
 * which claim won, nothing else; the channel's name holds the persona's address, as the store's
 * keys do.
 */
export class RedisPresence implements ClusterPresence {
  readonly #options: RedisPresenceOptions;
  readonly #local = new Map<string, LocalClaim>();
  /** Channel → address, for the channels this node is subscribed to. */
  readonly #channels = new Map<string, string>();
  readonly #onMessage = (channel: string, message: string): void => {
    this.#heard(channel, message);
  };

  constructor(options: RedisPresenceOptions) {
    this.#options = options;
    options.subscriber.on('smessage', this.#onMessage);
  }

  async claim(address: string, session: PersonaSession): Promise<void> {
    const { redis, nodeId } = this.#options;
    const entry: LocalClaim = { session, claim: undefined, seen: 0 };
    this.#local.set(address, entry);
    const channel = this.#channel(address);
    try {
      if (!this.#channels.has(channel)) {
        this.#channels.set(channel, address);
        await this.#options.subscriber.ssubscribe(channel);
      }
      const claim = await redis.incr(this.#counterKey(address));
      if (this.#local.get(address) !== entry) return;
      entry.claim = claim;
      if (entry.seen > claim) {
        this.#replace(address, entry);
        return;
      }
      await redis.spublish(channel, `${nodeId}:${claim}`);
    } catch (error) {
      // Without Redis a takeover across nodes waits for the older connection's heartbeat or
      // reconnect; this connection itself works, and the store keeps delivery exactly right.
      this.#options.onError(error);
    }
  }

  release(address: string, session: PersonaSession): void {
    const entry = this.#local.get(address);
    if (entry?.session !== session) return;
    this.#local.delete(address);
    this.#unsubscribe(address);
  }

  async close(): Promise<void> {
    this.#options.subscriber.off('smessage', this.#onMessage);
    this.#local.clear();
    this.#channels.clear();
    await Promise.resolve();
  }

  #heard(channel: string, message: string): void {
    const address = this.#channels.get(channel);
    if (address === undefined) return;
    const entry = this.#local.get(address);
    if (entry === undefined) return;
    const match = /^([0-9a-f]+):(\d+)$/.exec(message);
    const claim = Number(match?.[2]);
    if (match === null || !Number.isSafeInteger(claim)) return;
    if (entry.claim === undefined) {
      entry.seen = Math.max(entry.seen, claim);
      return;
    }
    if (claim > entry.claim) this.#replace(address, entry);
  }

  #replace(address: string, entry: LocalClaim): void {
    this.#local.delete(address);
    this.#unsubscribe(address);
    entry.session.replace();
  }

  #unsubscribe(address: string): void {
    if (this.#local.has(address)) return;
    const channel = this.#channel(address);
    if (!this.#channels.delete(channel)) return;
    this.#options.subscriber.sunsubscribe(channel).catch((error: unknown) => {
      this.#options.onError(error);
    });
  }

  #channel(address: string): string {
    return `${this.#options.keys.addressBase(address)}:presence`;
  }

  #counterKey(address: string): string {
    return `${this.#options.keys.addressBase(address)}:presence:claims`;
  }
}
