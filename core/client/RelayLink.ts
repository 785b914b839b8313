import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { RelayErrorCode } from '../protocol/RelayErrorCode.js';
import type { BackoffOptions } from './Backoff.js';
import { Backoff } from './Backoff.js';
import type { RelayConnection } from './RelayConnection.js';
import { RelayRejectedError } from './RelayRejectedError.js';
import { TypedEmitter } from './TypedEmitter.js';

export interface RelayLinkOptions {
  /** Opens a fresh connection (and, for an authenticated link, authenticates it). */
  readonly connect: () => Promise<RelayConnection>;
  /**
   * Persistent links reconnect on their own after a drop, with backoff; on-demand links reconnect
   * only when `connection()` is next called.
   */
  readonly persistent: boolean;
  readonly backoff?: BackoffOptions;
  /** Interval of keep-alive pings on a persistent link; 0 disables them. Default 25 s. */
  readonly keepAliveMs?: number;
  /**
   * An on-demand link closes its connection once no request has gone out or been answered for
   * this long, so an anonymous connection lives only as long as the work it was opened for.
   * Absent: it stays open until dropped.
   */
  readonly idleCloseMs?: number;
  /**
   * A wait added before each reconnect of a persistent link after a drop, on top of the backoff
   * (a persona's own random connect delay, so personas that lost the relay together do not come
   * back together). Absent: none.
   */
  readonly reconnectDelayMs?: () => number;
}

export interface RelayLinkEvents {
  connected: RelayConnection;
  disconnected: CoreError | undefined;
  /** A reconnect failed in a way retrying cannot fix (wrong relay, refused credentials). */
  fatal: CoreError;
}

/** Relay refusals of our credentials: reconnecting cannot fix them. */
const FATAL_RELAY_CODES = new Set<string>([
  RelayErrorCode.AuthFailed,
  RelayErrorCode.RegistrationRequired,
  RelayErrorCode.ProofOfWorkInvalid,
  RelayErrorCode.InviteInvalid,
]);

/** Errors after which reconnecting is pointless until something changes. */
export function isFatalLinkError(error: unknown): error is CoreError {
  if (RelayRejectedError.isRelayRejection(error)) return FATAL_RELAY_CODES.has(error.relayCode);
  return (
    CoreError.is(error, CoreErrorCode.RelayMismatch) ||
    CoreError.is(error, CoreErrorCode.InsecureRelayUrl) ||
    CoreError.is(error, CoreErrorCode.InvalidInput)
  );
}

/**
 * Keeps one logical link to the relay: at most one live connection, one connect attempt at a
 * time, and (when persistent) reconnection with exponential backoff and jitter after a drop, plus
 * keep-alive pings so a silently dead connection is noticed.
 */
export class RelayLink extends TypedEmitter<RelayLinkEvents> {
  readonly #options: RelayLinkOptions;
  readonly #backoff: Backoff;
  #current: RelayConnection | undefined;
  #connecting: Promise<RelayConnection> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #keepAliveTimer: NodeJS.Timeout | undefined;
  #idleTimer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Bumped by `reconnect()`: a connection opened by an older attempt is not kept. */
  #generation = 0;

  constructor(options: RelayLinkOptions) {
    super();
    this.#options = options;
    this.#backoff = new Backoff(options.backoff);
  }

  get isConnected(): boolean {
    return this.#current?.isOpen ?? false;
  }

  /** The live connection, connecting first when there is none. */
  connection(): Promise<RelayConnection> {
    if (this.#stopped) {
      return Promise.reject(new CoreError(CoreErrorCode.RelayUnreachable, 'the link is stopped'));
    }
    const current = this.#current;
    if (current?.isOpen === true) {
      this.#watchIdle(current);
      return Promise.resolve(current);
    }
    if (this.#connecting === undefined) {
      const attempt: Promise<RelayConnection> = this.#attempt().finally(() => {
        // reconnect() may have put a newer attempt in its place.
        if (this.#connecting === attempt) this.#connecting = undefined;
      });
      this.#connecting = attempt;
    }
    return this.#connecting;
  }

  /**
   * Lets go of the live connection, and of one being opened, so the next connection is opened
   * afresh (after the relay moved to another address, say): a persistent link reconnects at
   * once, an on-demand one when it is next used.
   */
  reconnect(): void {
    if (this.#stopped) return;
    this.#generation++;
    // An attempt under way may lead to the old address: the next one starts afresh, and whoever
    // waits on the old one is handed the new one's connection (see #attempt).
    this.#connecting = undefined;
    const current = this.#current;
    this.#current = undefined;
    clearInterval(this.#keepAliveTimer);
    // A closed connection no longer schedules anything here: its handler checks it is current.
    current?.close();
    if (current !== undefined) this.emit('disconnected', undefined);
    if (this.#options.persistent) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = undefined;
      // Several personas' links are let go of together (a new proxy, a moved relay): each
      // comes back after its own delay, if it has one, not all in the same instant.
      const spread = this.#options.reconnectDelayMs?.() ?? 0;
      if (spread <= 0) {
        this.#retry();
      } else {
        this.#retryTimer = setTimeout(() => {
          this.#retryTimer = undefined;
          this.#retry();
        }, spread);
      }
    }
  }

  /** Closes the connection and stops reconnecting. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#keepAliveTimer);
    clearTimeout(this.#idleTimer);
    this.#current?.close();
    this.#current = undefined;
  }

  async #attempt(): Promise<RelayConnection> {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    const generation = this.#generation;
    let connection: RelayConnection;
    try {
      connection = await this.#options.connect();
    } catch (error) {
      if (generation !== this.#generation && !this.#stopped) return this.connection();
      // A persistent link keeps trying after a failed attempt too, not only after a drop: a
      // persona started while its relay is down (restarting, say) would otherwise never connect.
      if (this.#options.persistent && !this.#stopped && !isFatalLinkError(error)) {
        this.#scheduleReconnect();
      }
      throw error;
    }
    if (this.#stopped) {
      connection.close();
      throw new CoreError(CoreErrorCode.RelayUnreachable, 'the link is stopped');
    }
    if (generation !== this.#generation) {
      // reconnect() was called while this one was opening: it may lead to the old address.
      connection.close();
      return this.connection();
    }
    if (!connection.isOpen) {
      // It dropped after opening, while connect() finished (an authenticated link stores its
      // certificate after AuthOk): its close went by unseen, so keeping it would leave the link
      // holding a dead connection for good. A failed attempt instead: the link retries.
      throw new CoreError(CoreErrorCode.RelayUnreachable, 'the connection closed as it opened');
    }
    this.#current = connection;
    this.#backoff.reset();
    connection.on('close', (error) => {
      // A connection reconnect() let go of is no longer this link's business.
      if (this.#current !== connection) return;
      this.#current = undefined;
      clearInterval(this.#keepAliveTimer);
      clearTimeout(this.#idleTimer);
      this.emit('disconnected', error);
      if (this.#options.persistent && !this.#stopped) this.#scheduleReconnect();
    });
    this.#startKeepAlive(connection);
    this.#watchIdle(connection);
    this.emit('connected', connection);
    return connection;
  }

  /** Arms (or re-arms) the idle close of an on-demand link's connection. */
  #watchIdle(connection: RelayConnection): void {
    const idleCloseMs = this.#options.idleCloseMs;
    if (this.#options.persistent || idleCloseMs === undefined) return;
    clearTimeout(this.#idleTimer);
    const check = (waitMs: number): void => {
      this.#idleTimer = setTimeout(() => {
        if (this.#current !== connection) return;
        const idle = connection.idleForMs;
        // A request still pending or answered lately: look again when it could have gone idle.
        if (idle < idleCloseMs) {
          check(idleCloseMs - idle);
          return;
        }
        connection.close();
      }, waitMs);
      this.#idleTimer.unref();
    };
    check(idleCloseMs);
  }

  #scheduleReconnect(): void {
    if (this.#retryTimer !== undefined || this.#stopped) return;
    const spread = this.#options.reconnectDelayMs?.() ?? 0;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#retry();
    }, this.#backoff.next() + spread);
  }

  #retry(): void {
    this.connection().catch((error: unknown) => {
      if (this.#stopped) return;
      if (isFatalLinkError(error)) {
        this.emit('fatal', error);
        return;
      }
      this.#scheduleReconnect();
    });
  }

  #startKeepAlive(connection: RelayConnection): void {
    const interval = this.#options.keepAliveMs ?? 25_000;
    clearInterval(this.#keepAliveTimer);
    if (!this.#options.persistent || interval <= 0) return;
    this.#keepAliveTimer = setInterval(() => {
      connection.request({ case: 'ping', value: {} }, 'pong').catch(() => {
        // No answer: treat the connection as dead so the link reconnects.
        connection.close();
      });
    }, interval);
    this.#keepAliveTimer.unref();
  }
}
