/**
 * Every failure core reports is a CoreError with a stable code. Messages never carry user data
 * (no pseudonyms, no message text, no keys), so errors are safe to log; callers and tests branch
 * on `code`, never on the message.
 */
export const CoreErrorCode = {
  // Vault
  VaultExists: 'CORE_VAULT_EXISTS',
  VaultNotFound: 'CORE_VAULT_NOT_FOUND',
  NotAVault: 'CORE_VAULT_NOT_A_VAULT',
  VaultAlreadyOpen: 'CORE_VAULT_ALREADY_OPEN',
  VaultLocked: 'CORE_VAULT_LOCKED',
  WrongPassphrase: 'CORE_VAULT_WRONG_PASSPHRASE',
  WeakPassphrase: 'CORE_VAULT_WEAK_PASSPHRASE',
  VaultCorrupt: 'CORE_VAULT_CORRUPT',
  VaultUnsupportedVersion: 'CORE_VAULT_UNSUPPORTED_VERSION',
  /**
   * The vault's stored key-derivation parameters ask for more than libsodium's SENSITIVE profile
   * (the most this client derives with): refused before any memory is allocated.
   */
  VaultKdfUnsupported: 'CORE_VAULT_KDF_UNSUPPORTED',
  // Personas
  PersonaNotFound: 'CORE_PERSONA_NOT_FOUND',
  InvalidPseudonym: 'CORE_INVALID_PSEUDONYM',
  // Protocol
  BadFrame: 'CORE_BAD_FRAME',
  InvalidInviteLink: 'CORE_INVALID_INVITE_LINK',
  InvalidInput: 'CORE_INVALID_INPUT',
  InvalidPreKeyBundle: 'CORE_INVALID_PREKEY_BUNDLE',
  UntrustedIdentity: 'CORE_UNTRUSTED_IDENTITY',
  IdentityMismatch: 'CORE_IDENTITY_MISMATCH',
  NoSession: 'CORE_NO_SESSION',
  NoSenderKey: 'CORE_NO_SENDER_KEY',
  DuplicateMessage: 'CORE_DUPLICATE_MESSAGE',
  DecryptFailed: 'CORE_DECRYPT_FAILED',
  InvalidSenderCertificate: 'CORE_INVALID_SENDER_CERTIFICATE',
  InvalidPadding: 'CORE_INVALID_PADDING',
  MessageTooLarge: 'CORE_MESSAGE_TOO_LARGE',
  // Talking to a relay
  RelayUnreachable: 'CORE_RELAY_UNREACHABLE',
  RelayRejected: 'CORE_RELAY_REJECTED',
  RelayTimeout: 'CORE_RELAY_TIMEOUT',
  RelayMismatch: 'CORE_RELAY_MISMATCH',
  InsecureRelayUrl: 'CORE_INSECURE_RELAY_URL',
  // Contacts
  ContactNotFound: 'CORE_CONTACT_NOT_FOUND',
  ContactExists: 'CORE_CONTACT_EXISTS',
  InviteExpired: 'CORE_INVITE_EXPIRED',
  SafetyNumberMismatch: 'CORE_SAFETY_NUMBER_MISMATCH',
  /** Writing to a contact the user blocked. */
  ContactBlocked: 'CORE_CONTACT_BLOCKED',
  // Messages
  /** A reply or reaction names a message id the conversation does not hold. */
  MessageNotFound: 'CORE_MESSAGE_NOT_FOUND',
  // Groups
  /** Malformed, unsigned or wrongly signed operation, or one naming a different group. */
  GroupOperationInvalid: 'CORE_GROUP_OPERATION_INVALID',
  /** The operation does not extend the current head (another operation came first). */
  GroupConflict: 'CORE_GROUP_CONFLICT',
  /** The actor's role does not allow this operation on this target. */
  GroupForbidden: 'CORE_GROUP_FORBIDDEN',
  /** The operation's target is not in the state it needs (not a member, not pending, ...). */
  GroupBadTarget: 'CORE_GROUP_BAD_TARGET',
  /** Unknown, expired or used-up invite, or an invite signature that does not verify. */
  GroupInviteInvalid: 'CORE_GROUP_INVITE_INVALID',
  GroupBanned: 'CORE_GROUP_BANNED',
  GroupNotMember: 'CORE_GROUP_NOT_MEMBER',
  GroupMuted: 'CORE_GROUP_MUTED',
  GroupSlowMode: 'CORE_GROUP_SLOW_MODE',
  GroupPostingRestricted: 'CORE_GROUP_POSTING_RESTRICTED',
  GroupNotFound: 'CORE_GROUP_NOT_FOUND',
  /** Bytes that are not a group state snapshot (groupStateSnapshot.ts): replay the log instead. */
  GroupSnapshotInvalid: 'CORE_GROUP_SNAPSHOT_INVALID',
  /**
   * A member left or was removed or banned and the group secret has not been rotated since:
   * only rotate_epoch (and further removals) are accepted, and nobody posts, until it is.
   */
  GroupRotationDue: 'CORE_GROUP_ROTATION_DUE',
  /** We do not hold the group's current epoch secret yet: waiting for a member to send it. */
  GroupKeyMissing: 'CORE_GROUP_KEY_MISSING',
  Internal: 'CORE_INTERNAL',
  // Attachments (core/attachments, docs/attachments.md)
  /**
   * An attachment's ciphertext does not match its pointer: wrong length (truncated, trailing
   * bytes), digest mismatch, a chunk that fails authentication (flipped byte, wrong key) or a
   * stream that ends early. Nothing of its plaintext is kept.
   */
  AttachmentCorrupt: 'CORE_ATTACHMENT_CORRUPT',
  /** An attachment pointer that is malformed or out of bounds (key, digest, size, names). */
  AttachmentPointerInvalid: 'CORE_ATTACHMENT_POINTER_INVALID',
  /** A file over the attachment size limit, or an image over the pixel limit (a decompression bomb). */
  AttachmentTooLarge: 'CORE_ATTACHMENT_TOO_LARGE',
  /** An image or PDF that cannot be decoded (truncated, malformed, hostile) or took too long. */
  AttachmentUnreadable: 'CORE_ATTACHMENT_UNREADABLE',
  // Blobs (encrypted attachments on the relay)
  /** A blob transfer kept failing (connection drops, timeouts) through every retry. */
  BlobTransferFailed: 'CORE_BLOB_TRANSFER_FAILED',
  /** The relay holds no such blob (never uploaded, fetched by everyone, or expired). */
  BlobNotFound: 'CORE_BLOB_NOT_FOUND',
  /** The bytes to upload, or the bytes the relay serves, are not the blob's size. */
  BlobSizeMismatch: 'CORE_BLOB_SIZE_MISMATCH',
  /** A recovery key with a wrong length, character or checksum (a typo): nothing was decrypted. */
  BackupKeyMalformed: 'CORE_BACKUP_KEY_MALFORMED',
  /** The recovery key (or passphrase) does not open this backup file. */
  BackupWrongKey: 'CORE_BACKUP_WRONG_KEY',
  /** The backup file is not a Kindred backup, or was altered or cut short: nothing restored. */
  BackupCorrupt: 'CORE_BACKUP_CORRUPT',
  /** The backup file was written by a newer Kindred (an unknown format version). */
  BackupUnsupported: 'CORE_BACKUP_UNSUPPORTED',
  /**
   * A file could not be cleaned of its metadata (an office document, an unknown type, a HEIC
   * photo, an encrypted PDF): nothing was sent. The sender may send it as it is only after being
   * warned (`sendUncleaned`).
   */
  AttachmentNotCleaned: 'CORE_ATTACHMENT_NOT_CLEANED',
  /** The attachment is not on this device yet (still downloading, or its download failed). */
  AttachmentNotDownloaded: 'CORE_ATTACHMENT_NOT_DOWNLOADED',
  /** The group requires a content warning on images, and this message has an unwarned image. */
  WarningRequired: 'CORE_WARNING_REQUIRED',
  /** Only a message's author may edit it or delete it for everyone; this one is someone else's. */
  NotAuthor: 'CORE_NOT_AUTHOR',
  /** A reaction is exactly one emoji (or '' to take it back): letters or two emoji are refused. */
  ReactionNotEmoji: 'CORE_REACTION_NOT_EMOJI',
  /**
   * The contact link was already used as often as it allows (or withdrawn): the relay no longer
   * takes its key. Nothing was added.
   */
  InviteUsedUp: 'CORE_INVITE_USED_UP',
  /** The contact refused our introduction (their link was used up or expired): not connected. */
  ContactRefused: 'CORE_CONTACT_REFUSED',
  /** Retry of a message that is not "not delivered" (it was sent, or is still being sent). */
  MessageNotFailed: 'CORE_MESSAGE_NOT_FAILED',
  /**
   * A scheduled chat that cannot be: a bad start or duration, a prompt offset beyond the duration,
   * a title or prompt that is empty or too long, too many repeats or prompts.
   */
  ScheduleInvalid: 'CORE_SCHEDULE_INVALID',
  /** No scheduled chat (or occurrence of it) with that id in the group. */
  ScheduleNotFound: 'CORE_SCHEDULE_NOT_FOUND',
  /** An answer to a prompt outside its chat, or to a prompt not asked yet. */
  ScheduleNotRunning: 'CORE_SCHEDULE_NOT_RUNNING',
  /** The group has no topic with that id or name (General always exists). */
  TopicNotFound: 'CORE_TOPIC_NOT_FOUND',
  /** A moderator closed the topic: it takes no new posts until reopened. */
  TopicClosed: 'CORE_TOPIC_CLOSED',
  // The directory (core/directory, docs/directory.md)
  /**
   * A directory listing that is malformed, out of bounds, altered (the owner's signature or the
   * operator's countersignature does not match) or served by another relay than it names.
   */
  ListingInvalid: 'CORE_LISTING_INVALID',
  /** A facilitator credential or revocation list that is malformed or not the operator's. */
  CredentialInvalid: 'CORE_CREDENTIAL_INVALID',
  /**
   * The relay's Challenge carries no operator key, or one the pinned trust root did not endorse:
   * its directory is refused whole (a relay cannot swap the key that countersigns listings).
   */
  DirectoryOperatorUnendorsed: 'CORE_DIRECTORY_OPERATOR_UNENDORSED',
  /** No followed directory at that address or relay id. */
  DirectoryNotFollowed: 'CORE_DIRECTORY_NOT_FOLLOWED',
  /** No listing with that group id in the directories this device keeps. */
  ListingNotFound: 'CORE_LISTING_NOT_FOUND',
} as const;

export type CoreErrorCode = (typeof CoreErrorCode)[keyof typeof CoreErrorCode];

export class CoreError extends Error {
  override readonly name = 'CoreError';

  constructor(
    readonly code: CoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when `error` is a CoreError, and when `code` is given, one with that code. */
  static is(error: unknown, code?: CoreErrorCode): error is CoreError {
    return error instanceof CoreError && (code === undefined || error.code === code);
  }
}

/** For exhaustive switches: the compiler proves this is unreachable. */
export function missingCaseError(value: never): CoreError {
  return new CoreError(CoreErrorCode.Internal, `unhandled case: ${String(value)}`);
}
