import { bytesEqual, ownedBytes } from '../../bytes/bytes.js';
import { operatorKeyEndorsed } from '../../directory/index.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { RelayPin } from '../RelayConnection.js';
import { RelayConnection } from '../RelayConnection.js';
import type { SocksProxy } from '../SocksProxy.js';

/** Where a directory is fetched from, and how. */
export interface DirectoryTarget {
  readonly url: string;
  readonly allowInsecureTransport: boolean;
  /** The pin to hold the relay to; without, the relay is pinned from this Challenge (first use). */
  readonly pin?: RelayPin;
  /** A SOCKS5 proxy with credentials of this connection's own (a circuit of its own behind Tor). */
  readonly proxy?: SocksProxy;
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
}

/** An anonymous connection whose relay's operator key its trust root endorsed. */
export interface DirectoryConnection {
  readonly connection: RelayConnection;
  readonly pin: RelayPin;
  readonly operatorKey: Uint8Array;
}

/**
 * A directory page holds at most 500 entries of at most a few KiB each; the default frame limit
 * (an envelope and 64 KiB) is too small for a full page.
 */
export const DIRECTORY_MAX_FRAME_BYTES = 8 * 1024 * 1024;

/**
 * Opens an anonymous connection for a directory: it never authenticates, so the relay learns
 * that someone fetched its directory and nothing of who. The Challenge's operator key must be
 * endorsed by the trust root (pinned, or this Challenge's on first use): otherwise the
 * connection is closed and CORE_DIRECTORY_OPERATOR_UNENDORSED.
 */
export async function openDirectoryConnection(
  target: DirectoryTarget,
): Promise<DirectoryConnection> {
  const connection = await RelayConnection.open({
    url: target.url,
    allowInsecureTransport: target.allowInsecureTransport,
    maxFrameBytes: DIRECTORY_MAX_FRAME_BYTES,
    ...(target.pin === undefined ? {} : { pin: target.pin }),
    ...(target.proxy === undefined ? {} : { proxy: target.proxy }),
    ...(target.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: target.connectTimeoutMs }),
    ...(target.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: target.requestTimeoutMs }),
  });
  const challenge = connection.challenge;
  const pin: RelayPin = target.pin ?? {
    trustRoot: ownedBytes(challenge.trustRoot),
    relayId: ownedBytes(challenge.relayId),
  };
  if (
    !bytesEqual(pin.relayId, challenge.relayId) ||
    !operatorKeyEndorsed({
      trustRoot: pin.trustRoot,
      relayId: pin.relayId,
      operatorKey: challenge.operatorKey,
      endorsement: challenge.operatorKeyEndorsement,
    })
  ) {
    connection.close();
    throw new CoreError(
      CoreErrorCode.DirectoryOperatorUnendorsed,
      'the relay’s operator key is missing or not endorsed by its trust root',
    );
  }
  return { connection, pin, operatorKey: ownedBytes(challenge.operatorKey) };
}
