/**
 * The dev host's bridge: the same calls and events as Electron's IPC (api.std.ts), carried over a
 * WebSocket on loopback, for running the window in an ordinary browser.
 *
 * The dev host prints a URL `http://127.0.0.1:PORT/#token=TOKEN`. The token is random (32 bytes,
 * base64url) and lives in the URL fragment, which browsers never send to a server. The page opens
 * `ws://127.0.0.1:PORT/bridge` and its first message must be a {@link BridgeHello} with that
 * token; the host compares it in constant time and closes the socket (code 4401) on a wrong or
 * late (after 5 s) hello. The host also refuses an Upgrade whose Origin is not its own page, so
 * another site open in the same browser cannot drive the vault.
 */
import type { ApiCall, AppEvent, CallResult } from './api.std.js';

export const BRIDGE_PATH = '/bridge';
/** Close code for a missing, late or wrong token. */
export const BRIDGE_UNAUTHORIZED = 4401;
export const BRIDGE_HELLO_TIMEOUT_MS = 5_000;
/**
 * Calls one socket may have running at once; the host answers more with DESKTOP_BUSY, so the
 * page keeps its extra calls queued on its side instead of sending them.
 */
export const BRIDGE_MAX_PENDING_CALLS = 32;
/**
 * The reply id for a message the host could not read far enough to find its id (not JSON, not
 * text, over the size limit, no whole-number id): the reply carries a coded error, and the socket
 * stays open.
 */
export const BRIDGE_UNREADABLE_ID = -1;
/**
 * The largest call the host reads, in bytes of its JSON. The longest message (64 Ki UTF-16 code
 * units, up to 6 bytes each once escaped) fits. The page refuses a larger call itself
 * (DESKTOP_TOO_LARGE) without sending it: the host could not say which call it refused.
 */
export const BRIDGE_MAX_CALL_BYTES = 512 * 1024;

export interface BridgeHello {
  readonly type: 'hello';
  readonly token: string;
}

/** Browser → host: one call; answered by a {@link BridgeReply} with the same id. */
export interface BridgeRequest {
  readonly type: 'call';
  readonly id: number;
  readonly call: ApiCall;
}

export interface BridgeReply {
  readonly type: 'reply';
  readonly id: number;
  readonly result: CallResult;
}

export interface BridgeEvent {
  readonly type: 'event';
  readonly event: AppEvent;
}

export type BridgeClientMessage = BridgeHello | BridgeRequest;
export type BridgeHostMessage = BridgeReply | BridgeEvent;
