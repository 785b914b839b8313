import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { encodeServerFrame } from '../core/index.js';
import type { ServerFrameInit } from '../core/index.js';

export interface FrameSocketOptions {
  /** Bytes queued towards the client before it is dropped as a slow consumer. */
  readonly maxBufferedBytes: number;
  /** Frames received and not yet answered before the relay stops reading from the client. */
  readonly maxPendingFrames: number;
  /** Called once if the client is dropped for reading too slowly. */
  readonly onSlowConsumer: () => void;
}

/**
 * The relay's side of one WebSocket, as far as bytes go: sending frames (batched into one socket
 * write per tick), dropping clients that stop reading, and pausing clients that send faster than
 * the relay answers. It knows nothing of the protocol's meaning.
 */
export class FrameSocket {
  readonly #ws: WebSocket;
  readonly #options: FrameSocketOptions;
  #corked = false;
  #pendingFrames = 0;
  /** Cleared by each heartbeat ping, set by any sign of life. */
  #alive = true;

  constructor(ws: WebSocket, options: FrameSocketOptions) {
    this.#ws = ws;
    this.#options = options;
    ws.on('pong', () => {
      this.#alive = true;
    });
  }

  get isOpen(): boolean {
    return this.#ws.readyState === this.#ws.OPEN;
  }

  /** Sends one frame; false when the socket is closed (or was just dropped as too slow). */
  send(frame: ServerFrameInit): boolean {
    return this.sendBytes(encodeServerFrame(frame));
  }

  /**
   * Sends encoded frame bytes. `onWritten` runs once they have left the process (for delivery to
   * resume after a pause at the high-water mark).
   */
  sendBytes(bytes: Uint8Array, onWritten?: () => void): boolean {
    const ws = this.#ws;
    if (ws.readyState !== ws.OPEN) return false;
    this.#corkUntilNextTick();
    ws.send(
      bytes,
      onWritten === undefined
        ? undefined
        : () => {
            onWritten();
          },
    );
    if (ws.bufferedAmount > this.#options.maxBufferedBytes) {
      this.#options.onSlowConsumer();
      ws.terminate();
      return false;
    }
    return true;
  }

  /** Whether `bytes` more would take the send buffer past half of maxBufferedBytes. */
  wouldPassHighWater(bytes: number): boolean {
    return this.#ws.bufferedAmount + bytes > this.#options.maxBufferedBytes / 2;
  }

  /** A frame arrived: counts it as pending until `frameAnswered()`. */
  frameReceived(): void {
    this.#alive = true;
    this.#pendingFrames += 1;
    this.#applyBackpressure();
  }

  frameAnswered(): void {
    this.#pendingFrames -= 1;
    this.#applyBackpressure();
  }

  /** Pings the peer; false (after dropping it) if it showed no sign of life since the last ping. */
  heartbeat(): boolean {
    if (!this.#alive) {
      this.#ws.terminate();
      return false;
    }
    this.#alive = false;
    this.#ws.ping();
    return true;
  }

  close(code: number, reason: string): void {
    this.#ws.close(code, reason);
  }

  terminate(): void {
    this.#ws.terminate();
  }

  /**
   * Stops reading from a client with too many frames unanswered and reads again once half are
   * answered, so a flood costs a bounded amount of memory (TCP then slows the client down).
   */
  #applyBackpressure(): void {
    const ws = this.#ws;
    const limit = this.#options.maxPendingFrames;
    if (!ws.isPaused && this.#pendingFrames >= limit) ws.pause();
    else if (ws.isPaused && this.#pendingFrames <= limit / 2) ws.resume();
  }

  /**
   * Frames sent in one turn of the event loop (every SendAck of one group commit, a run of
   * Delivers) leave in one socket write instead of one each: the socket is corked at the first
   * frame and uncorked once the current tick's work is done.
   */
  #corkUntilNextTick(): void {
    if (this.#corked) return;
    // ws keeps its net.Socket private; without it (another ws version) frames simply go out one
    // by one, as ws sends them by default.
    const socket = (this.#ws as unknown as { _socket?: Socket })._socket;
    if (socket === undefined) return;
    this.#corked = true;
    socket.cork();
    process.nextTick(() => {
      this.#corked = false;
      socket.uncork();
    });
  }
}
