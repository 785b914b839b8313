/**
 * The codes a relay puts in Error frames. Stable strings: clients and tests branch on them.
 * docs/protocol.md lists when each is sent.
 */
export const RelayErrorCode = {
  BadFrame: 'RELAY_BAD_FRAME',
  FrameTooLarge: 'RELAY_FRAME_TOO_LARGE',
  HandshakeTimeout: 'RELAY_HANDSHAKE_TIMEOUT',
  AuthFailed: 'RELAY_AUTH_FAILED',
  AuthRequired: 'RELAY_AUTH_REQUIRED',
  AlreadyAuthenticated: 'RELAY_ALREADY_AUTHENTICATED',
  RegistrationRequired: 'RELAY_REGISTRATION_REQUIRED',
  ProofOfWorkInvalid: 'RELAY_POW_INVALID',
  InviteInvalid: 'RELAY_INVITE_INVALID',
  RateLimited: 'RELAY_RATE_LIMITED',
  UnknownRecipient: 'RELAY_UNKNOWN_RECIPIENT',
  AccessDenied: 'RELAY_ACCESS_DENIED',
  MailboxFull: 'RELAY_MAILBOX_FULL',
  NoPreKeys: 'RELAY_NO_PREKEYS',
  TooManyConnections: 'RELAY_TOO_MANY_CONNECTIONS',
  GroupNotFound: 'RELAY_GROUP_NOT_FOUND',
  GroupExists: 'RELAY_GROUP_EXISTS',
  GroupConflict: 'RELAY_GROUP_CONFLICT',
  GroupInvalid: 'RELAY_GROUP_INVALID',
  GroupForbidden: 'RELAY_GROUP_FORBIDDEN',
  GroupBadTarget: 'RELAY_GROUP_BAD_TARGET',
  GroupInviteInvalid: 'RELAY_GROUP_INVITE_INVALID',
  GroupBanned: 'RELAY_GROUP_BANNED',
  GroupFull: 'RELAY_GROUP_FULL',
  TooManyGroups: 'RELAY_TOO_MANY_GROUPS',
  GroupNotMember: 'RELAY_GROUP_NOT_MEMBER',
  GroupMuted: 'RELAY_GROUP_MUTED',
  GroupSlowMode: 'RELAY_GROUP_SLOW_MODE',
  GroupPostingRestricted: 'RELAY_GROUP_POSTING_RESTRICTED',
  GroupStale: 'RELAY_GROUP_STALE',
  GroupMessageTooLarge: 'RELAY_GROUP_MESSAGE_TOO_LARGE',
  GroupLogKey: 'RELAY_GROUP_LOG_KEY',
  QuotaExceeded: 'RELAY_QUOTA_EXCEEDED',
  StorageFull: 'RELAY_STORAGE_FULL',
  GroupRotationDue: 'RELAY_GROUP_ROTATION_DUE',
  Unavailable: 'RELAY_UNAVAILABLE',
  Internal: 'RELAY_INTERNAL',
  /** A group's log, deleted messages, open invites or join requests would pass the relay's cap. */
  GroupCapReached: 'RELAY_GROUP_CAP_REACHED',
  DeliveryKeyQuota: 'RELAY_DELIVERY_KEY_QUOTA',
  TooManyDeliveryKeys: 'RELAY_TOO_MANY_DELIVERY_KEYS',
  /** No blob with that id: never uploaded, fetched by everyone it was for, or expired. */
  BlobNotFound: 'RELAY_BLOB_NOT_FOUND',
  /** A blob larger than the relay's maxBlobBytes. */
  BlobTooLarge: 'RELAY_BLOB_TOO_LARGE',
  /** A blob size that is not a blob bucket size (core/blobs/blobProtocol.ts). */
  BlobBadSize: 'RELAY_BLOB_BAD_SIZE',
  /** An upload without the blob's upload token, or with another one. */
  BlobTokenInvalid: 'RELAY_BLOB_TOKEN_INVALID',
  /** A Content-Range or Range that does not fit the blob or what the relay holds of it. */
  BlobBadRange: 'RELAY_BLOB_BAD_RANGE',
  /** A download of a blob whose upload is not complete yet. */
  BlobIncomplete: 'RELAY_BLOB_INCOMPLETE',
  /** An HTTP request the blob routes do not understand (method, path, headers). */
  BlobBadRequest: 'RELAY_BLOB_BAD_REQUEST',
  /** A disappearing timer outside 5 minutes .. 4 weeks (SendEnvelope.expires_in_seconds). */
  BadRetention: 'RELAY_BAD_RETENTION',
  /** A RequestListing whose listing fails its checks (owner signature, bounds, another relay). */
  ListingInvalid: 'RELAY_LISTING_INVALID',
  /** A RequestListing from a persona that does not own the group, or for a group not hosted here. */
  ListingForbidden: 'RELAY_LISTING_FORBIDDEN',
} as const;

export type RelayErrorCode = (typeof RelayErrorCode)[keyof typeof RelayErrorCode];

const KNOWN = new Set<string>(Object.values(RelayErrorCode));

export function isRelayErrorCode(code: string): code is RelayErrorCode {
  return KNOWN.has(code);
}
