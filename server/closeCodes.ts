/**
 * WebSocket close codes the relay uses. 1000–1011 are the standard ones; 4400–4429 are Kindred's
 * own (docs/protocol.md, "Closing"). A client reconnects after every one of them except
 * BadFrames and AuthFailed, which mean the client itself must change what it sends.
 */
export const RelayCloseCode = {
  /** The relay is shutting down. */
  GoingAway: 1001,
  /** A frame was larger than maxFrameBytes. */
  FrameTooLarge: 1009,
  /** Too many malformed frames (maxBadFrames). */
  BadFrames: 4400,
  /** An AuthResponse failed (bad signature, registration refused); the nonce is spent. */
  AuthFailed: 4401,
  /** An anonymous connection sent nothing for anonymousIdleTimeoutMs. */
  Idle: 4408,
  /** A newer connection authenticated as the same persona. */
  Replaced: 4409,
  /** Too many connections, from this address or in total. */
  TooManyConnections: 4429,
} as const;

export type RelayCloseCode = (typeof RelayCloseCode)[keyof typeof RelayCloseCode];
