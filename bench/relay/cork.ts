/**
 * Sends frames on a `ws` WebSocket with its TCP socket corked until the end of the tick, so the
 * frames of one turn of the event loop leave in one write. The relay's FrameSocket does the same;
 * the bare forwarder and the load generator do it too, so no side pays a syscall per frame.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

export class CorkingSender {
  readonly ws: WebSocket;
  readonly #socket: Socket | undefined;
  #corked = false;

  constructor(ws: WebSocket) {
    this.ws = ws;
    // ws keeps its net.Socket private; the relay's FrameSocket reaches it the same way. Without
    // it, frames simply go out one by one.
    this.#socket = (ws as unknown as { _socket?: Socket })._socket;
  }

  send(bytes: Uint8Array): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    const socket = this.#socket;
    if (!this.#corked && socket !== undefined) {
      this.#corked = true;
      socket.cork();
      process.nextTick(() => {
        this.#corked = false;
        socket.uncork();
      });
    }
    this.ws.send(bytes);
  }
}
