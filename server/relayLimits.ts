import { MIN_DISAPPEARING_SECONDS } from '../core/index.js';

/**
 * Every bound the relay enforces. All are options with the defaults in RELAY_LIMIT_DEFAULTS;
 * docs/running-a-relay.md lists them. A rate of 0 switches that rate limit off.
 */
export interface RelayLimits {
  /** Largest client frame, in bytes; larger ones get RELAY_FRAME_TOO_LARGE and a close. */
  readonly maxFrameBytes: number;
  /** Frames of any kind one connection may send per second. */
  readonly maxFramesPerSecond: number;
  /** Envelopes one connection may send per second. */
  readonly maxSendsPerSecond: number;
  /** Prekey bundles one connection may fetch per minute. */
  readonly maxFetchesPerMinute: number;
  /** Prekey bundles of one persona that may be handed out per minute, to anyone. */
  readonly maxFetchesPerTargetPerMinute: number;
  /** Envelopes a mailbox may hold; further sends get RELAY_MAILBOX_FULL. */
  readonly maxMailboxDepth: number;
  /** Deliveries in flight (sent, not yet acknowledged) per connection. */
  readonly maxUnackedDeliveries: number;
  /** Open connections in total. */
  readonly maxConnections: number;
  /** Open connections from one remote address. */
  readonly maxConnectionsPerAddress: number;
  /** How long after the Challenge an AuthResponse is accepted, in ms. */
  readonly handshakeTimeoutMs: number;
  /** An anonymous connection that sends nothing for this long is closed, in ms. */
  readonly anonymousIdleTimeoutMs: number;
  /** WebSocket ping interval; a peer that misses one whole interval is dropped, in ms. */
  readonly heartbeatIntervalMs: number;
  /** Bytes queued to a client before it counts as a slow consumer and is dropped. */
  readonly maxBufferedBytes: number;
  /** Malformed frames a connection may send before it is closed. */
  readonly maxBadFrames: number;
  /**
   * Frames received from one connection and not yet answered (queued or awaiting the disk).
   * Beyond this the relay stops reading from that connection until it has caught up.
   */
  readonly maxPendingFrames: number;
  /** One-time prekeys of each kind the relay keeps per persona. */
  readonly maxStoredOneTimePreKeys: number;
  /** Below this many one-time prekeys of either kind, the owner is asked to upload more. */
  readonly lowPreKeyThreshold: number;
  /** Envelopes not acknowledged within this long are deleted, in ms. */
  readonly retentionMs: number;
  /** How often expired envelopes and group messages are swept, in ms. */
  readonly sweepIntervalMs: number;
  /** Lifetime of the sender certificates the relay issues, in ms. */
  readonly senderCertificateTtlMs: number;
  /** Group operations one connection may submit per minute. */
  readonly maxGroupOperationsPerMinute: number;
  /** Group messages one connection may post per second. */
  readonly maxGroupPostsPerSecond: number;
  /** Pages of group logs one connection may fetch per minute. */
  readonly maxGroupLogFetchesPerMinute: number;
  /** Directory pages (FetchDirectory) one connection may fetch per minute. */
  readonly maxDirectoryFetchesPerMinute: number;
  /** Members one group may have; operations that would admit more get RELAY_GROUP_FULL. */
  readonly maxGroupMembers: number;
  /** Groups one persona may be a member of; beyond it joins get RELAY_TOO_MANY_GROUPS. */
  readonly maxGroupsPerPersona: number;
  /** Largest group message (GroupEnvelope) in bytes; at most core's MAX_GROUP_ENVELOPE_BYTES. */
  readonly maxGroupMessageBytes: number;
  /** Operations in one GroupLogPage; at most core's MAX_GROUP_LOG_PAGE. */
  readonly groupLogPageSize: number;
  /** Group entries in flight (delivered, not acknowledged) per group per connection. */
  readonly maxUnackedGroupDeliveries: number;
  /** Groups whose state the relay keeps in memory (the rest are rebuilt from their log). */
  readonly maxCachedGroups: number;
  /** Group messages not acknowledged by every member within this long are deleted, in ms. */
  readonly groupRetentionMs: number;
  /**
   * Rates count per persona on an authenticated connection, and per remote address (IPv6: per
   * /64) for every connection: an address may use this many times each per-persona rate, shared
   * by all its connections, anonymous or not.
   */
  readonly addressRateFactor: number;
  /** Groups one persona may create per day; beyond it RELAY_QUOTA_EXCEEDED. */
  readonly maxGroupsCreatedPerPersonaPerDay: number;
  /** Bytes of group operations and messages one persona may write per day (RELAY_QUOTA_EXCEEDED). */
  readonly maxGroupBytesPerPersonaPerDay: number;
  /** Bytes of operations and messages one group may take per day (RELAY_QUOTA_EXCEEDED). */
  readonly maxGroupBytesPerGroupPerDay: number;
  /** Bytes of one group's permanent operation log; beyond it RELAY_QUOTA_EXCEEDED. */
  readonly maxGroupLogBytes: number;
  /** Size of the relay's store folder beyond which writes get RELAY_STORAGE_FULL. */
  readonly maxStorageBytes: number;
  /** Free space on the store's disk below which writes get RELAY_STORAGE_FULL. */
  readonly minFreeDiskBytes: number;
  /** Open anonymous connections (handshake over without authenticating), apart from the rest. */
  readonly maxAnonymousConnections: number;
  /** TCP connections whose HTTP upgrade request has not been completed yet, in total. */
  readonly maxPendingUpgrades: number;
  /** TCP connections from one remote address whose upgrade request is not complete yet. */
  readonly maxPendingUpgradesPerAddress: number;
  /** How long a TCP connection may take to complete its upgrade request, in ms. */
  readonly upgradeTimeoutMs: number;
  /**
   * A group's state is snapshotted in the store every this many operations, so a restart or a
   * cache miss replays at most this many (plus the operations since the last snapshot).
   */
  readonly groupSnapshotInterval: number;
  /** Operations one group's log may hold; beyond it operations get RELAY_GROUP_CAP_REACHED. */
  readonly maxGroupOperations: number;
  /** Message ids one group may hold as deleted for everyone; beyond it RELAY_GROUP_CAP_REACHED. */
  readonly maxGroupDeletedMessages: number;
  /** Invites of one group neither used up nor expired; beyond it RELAY_GROUP_CAP_REACHED. */
  readonly maxGroupOpenInvites: number;
  /** Join requests one group may have waiting; beyond it RELAY_GROUP_CAP_REACHED. */
  readonly maxGroupJoinRequests: number;
  /**
   * Delivery keys (one per contact, open invite link and group membership) one persona may
   * register; beyond it AddDeliveryKey gets RELAY_TOO_MANY_DELIVERY_KEYS.
   */
  readonly maxDeliveryKeysPerPersona: number;
  /**
   * Envelopes written with one delivery key that a mailbox may hold: that key's share. Beyond it
   * senders with that key get RELAY_DELIVERY_KEY_QUOTA, while other keys still write.
   */
  readonly maxEnvelopesPerDeliveryKey: number;
  /** Largest blob (encrypted attachment, padded); larger requests get RELAY_BLOB_TOO_LARGE. */
  readonly maxBlobBytes: number;
  /** Longest a blob is kept, fetched by everyone or not, in ms (a grant may ask for less). */
  readonly blobRetentionMs: number;
  /** Time from the grant within which an upload must be complete, or it is deleted, in ms. */
  readonly blobUploadWindowMs: number;
  /** Most whole downloads one blob may wait for (its expected fetches). */
  readonly maxBlobExpectedFetches: number;
  /** Blob bytes one persona may be granted per day; beyond it RELAY_QUOTA_EXCEEDED. */
  readonly maxBlobBytesPerPersonaPerDay: number;
  /** Blobs one persona may be granted per day; beyond it RELAY_QUOTA_EXCEEDED. */
  readonly maxBlobsPerPersonaPerDay: number;
  /** Blobs stored at once (complete or arriving); beyond it RELAY_STORAGE_FULL. */
  readonly maxStoredBlobs: number;
  /** Bytes of blobs stored at once (their full sizes); beyond it RELAY_STORAGE_FULL. */
  readonly maxBlobStorageBytes: number;
  /** HTTP blob requests (HEAD, PUT, GET) one remote address may make per minute. */
  readonly maxBlobRequestsPerMinute: number;
  /** Blob uploads and downloads in progress at once from one remote address. */
  readonly maxBlobTransfersPerAddress: number;
  /** A blob request that moves no bytes for this long is cut, in ms. */
  readonly blobIdleTimeoutMs: number;
  /**
   * How often envelopes and group messages under a disappearing-messages timer are deleted once
   * their time is up, in ms: the longest they outlive their timer on the relay.
   */
  readonly disappearingSweepIntervalMs: number;
  /**
   * The shortest disappearing-messages timer accepted, in seconds: 300 (5 minutes) for users.
   * Tests lower it to run timers of seconds; it can never be raised above 300, which every client
   * accepts, and clients of a relay that lowers it refuse the short timers they see unless they
   * were lowered alike.
   */
  readonly minDisappearingSeconds: number;
  /**
   * How often the mailbox-depth distribution the metrics endpoint shows is measured, in ms
   * (measuring reads every envelope key). Between measurements a scrape shows the last one.
   */
  readonly mailboxScanIntervalMs: number;
  /**
   * On SIGTERM (a drain), how long the relay keeps serving with /readyz false before it closes
   * connections, in ms: long enough for a load balancer to stop sending it new ones.
   */
  readonly drainDelayMs: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

export const RELAY_LIMIT_DEFAULTS: RelayLimits = {
  maxFrameBytes: 256 * 1024,
  maxFramesPerSecond: 500,
  maxSendsPerSecond: 300,
  maxFetchesPerMinute: 120,
  maxFetchesPerTargetPerMinute: 60,
  maxMailboxDepth: 10_000,
  maxUnackedDeliveries: 100,
  maxConnections: 10_000,
  maxConnectionsPerAddress: 100,
  handshakeTimeoutMs: 10 * SECOND,
  anonymousIdleTimeoutMs: 60 * SECOND,
  heartbeatIntervalMs: 30 * SECOND,
  maxBufferedBytes: 8 * 1024 * 1024,
  maxBadFrames: 10,
  maxPendingFrames: 256,
  maxStoredOneTimePreKeys: 1000,
  lowPreKeyThreshold: 10,
  retentionMs: 30 * DAY,
  sweepIntervalMs: HOUR,
  senderCertificateTtlMs: DAY,
  maxGroupOperationsPerMinute: 60,
  maxGroupPostsPerSecond: 20,
  maxGroupLogFetchesPerMinute: 120,
  maxDirectoryFetchesPerMinute: 60,
  maxGroupMembers: 1000,
  maxGroupsPerPersona: 200,
  maxGroupMessageBytes: 64 * 1024,
  groupLogPageSize: 256,
  maxUnackedGroupDeliveries: 100,
  maxCachedGroups: 1000,
  groupRetentionMs: 30 * DAY,
  addressRateFactor: 10,
  maxGroupsCreatedPerPersonaPerDay: 20,
  maxGroupBytesPerPersonaPerDay: 64 * MIB,
  maxGroupBytesPerGroupPerDay: 64 * MIB,
  maxGroupLogBytes: 16 * MIB,
  maxStorageBytes: 16 * GIB,
  minFreeDiskBytes: 256 * MIB,
  maxAnonymousConnections: 1000,
  maxPendingUpgrades: 1000,
  maxPendingUpgradesPerAddress: 100,
  upgradeTimeoutMs: 10 * SECOND,
  groupSnapshotInterval: 1000,
  maxGroupOperations: 100_000,
  maxGroupDeletedMessages: 50_000,
  maxGroupOpenInvites: 1000,
  maxGroupJoinRequests: 1000,
  maxDeliveryKeysPerPersona: 1000,
  maxEnvelopesPerDeliveryKey: 1000,
  maxBlobBytes: 100 * MIB,
  blobRetentionMs: 30 * DAY,
  blobUploadWindowMs: DAY,
  maxBlobExpectedFetches: 1000,
  maxBlobBytesPerPersonaPerDay: GIB,
  maxBlobsPerPersonaPerDay: 500,
  maxStoredBlobs: 100_000,
  maxBlobStorageBytes: 64 * GIB,
  maxBlobRequestsPerMinute: 600,
  maxBlobTransfersPerAddress: 16,
  blobIdleTimeoutMs: 30 * SECOND,
  disappearingSweepIntervalMs: MINUTE,
  minDisappearingSeconds: MIN_DISAPPEARING_SECONDS,
  mailboxScanIntervalMs: MINUTE,
  drainDelayMs: 0,
};

/** How each limit is read from the command line (`kind` picks the parser). */
export interface RelayLimitSpec {
  readonly flag: string;
  readonly kind: 'count' | 'bytes' | 'duration';
  readonly description: string;
  /** Zero allowed (rates: switched off). */
  readonly allowZero: boolean;
}

export const RELAY_LIMIT_SPECS: Readonly<Record<keyof RelayLimits, RelayLimitSpec>> = {
  maxFrameBytes: {
    flag: 'max-frame-bytes',
    kind: 'bytes',
    description: 'largest client frame',
    allowZero: false,
  },
  maxFramesPerSecond: {
    flag: 'max-frames-per-second',
    kind: 'count',
    description: 'frames per connection per second (0: no limit)',
    allowZero: true,
  },
  maxSendsPerSecond: {
    flag: 'max-sends-per-second',
    kind: 'count',
    description: 'envelopes per connection per second (0: no limit)',
    allowZero: true,
  },
  maxFetchesPerMinute: {
    flag: 'max-fetches-per-minute',
    kind: 'count',
    description: 'prekey fetches per connection per minute (0: no limit)',
    allowZero: true,
  },
  maxFetchesPerTargetPerMinute: {
    flag: 'max-fetches-per-target-per-minute',
    kind: 'count',
    description: "fetches of one persona's prekeys per minute (0: no limit)",
    allowZero: true,
  },
  maxMailboxDepth: {
    flag: 'max-mailbox-depth',
    kind: 'count',
    description: 'envelopes one mailbox may hold',
    allowZero: false,
  },
  maxUnackedDeliveries: {
    flag: 'max-unacked-deliveries',
    kind: 'count',
    description: 'deliveries in flight per connection',
    allowZero: false,
  },
  maxConnections: {
    flag: 'max-connections',
    kind: 'count',
    description: 'open connections in total',
    allowZero: false,
  },
  maxConnectionsPerAddress: {
    flag: 'max-connections-per-address',
    kind: 'count',
    description: 'open connections per remote address',
    allowZero: false,
  },
  handshakeTimeoutMs: {
    flag: 'handshake-timeout',
    kind: 'duration',
    description: 'time to answer the challenge',
    allowZero: false,
  },
  anonymousIdleTimeoutMs: {
    flag: 'idle-timeout',
    kind: 'duration',
    description: 'idle time before an anonymous connection is closed',
    allowZero: false,
  },
  heartbeatIntervalMs: {
    flag: 'heartbeat-interval',
    kind: 'duration',
    description: 'WebSocket ping interval',
    allowZero: false,
  },
  maxBufferedBytes: {
    flag: 'max-buffered-bytes',
    kind: 'bytes',
    description: 'bytes queued to a client before it is dropped as too slow',
    allowZero: false,
  },
  maxBadFrames: {
    flag: 'max-bad-frames',
    kind: 'count',
    description: 'malformed frames before a connection is closed',
    allowZero: false,
  },
  maxPendingFrames: {
    flag: 'max-pending-frames',
    kind: 'count',
    description: 'unanswered frames per connection before the relay stops reading it',
    allowZero: false,
  },
  maxStoredOneTimePreKeys: {
    flag: 'max-stored-prekeys',
    kind: 'count',
    description: 'one-time prekeys of each kind kept per persona',
    allowZero: false,
  },
  lowPreKeyThreshold: {
    flag: 'low-prekey-threshold',
    kind: 'count',
    description: 'one-time prekeys left below which the owner is asked for more',
    allowZero: true,
  },
  retentionMs: {
    flag: 'retention',
    kind: 'duration',
    description: 'how long unacknowledged envelopes are kept',
    allowZero: false,
  },
  sweepIntervalMs: {
    flag: 'sweep-interval',
    kind: 'duration',
    description: 'how often expired envelopes, group messages and blobs are deleted',
    allowZero: false,
  },
  senderCertificateTtlMs: {
    flag: 'sender-certificate-ttl',
    kind: 'duration',
    description: 'lifetime of issued sender certificates',
    allowZero: false,
  },
  maxGroupOperationsPerMinute: {
    flag: 'max-group-operations-per-minute',
    kind: 'count',
    description: 'group operations per connection per minute (0: no limit)',
    allowZero: true,
  },
  maxGroupPostsPerSecond: {
    flag: 'max-group-posts-per-second',
    kind: 'count',
    description: 'group messages per connection per second (0: no limit)',
    allowZero: true,
  },
  maxGroupLogFetchesPerMinute: {
    flag: 'max-group-log-fetches-per-minute',
    kind: 'count',
    description: 'group log pages per connection per minute (0: no limit)',
    allowZero: true,
  },
  maxDirectoryFetchesPerMinute: {
    flag: 'max-directory-fetches-per-minute',
    kind: 'count',
    description: 'directory pages per connection per minute (0: no limit)',
    allowZero: true,
  },
  maxGroupMembers: {
    flag: 'max-group-members',
    kind: 'count',
    description: 'members one group may have',
    allowZero: false,
  },
  maxGroupsPerPersona: {
    flag: 'max-groups-per-persona',
    kind: 'count',
    description: 'groups one persona may be a member of',
    allowZero: false,
  },
  maxGroupMessageBytes: {
    flag: 'max-group-message-bytes',
    kind: 'bytes',
    description: 'largest group message',
    allowZero: false,
  },
  groupLogPageSize: {
    flag: 'group-log-page-size',
    kind: 'count',
    description: 'operations per group log page',
    allowZero: false,
  },
  maxUnackedGroupDeliveries: {
    flag: 'max-unacked-group-deliveries',
    kind: 'count',
    description: 'group entries in flight per group per connection',
    allowZero: false,
  },
  maxCachedGroups: {
    flag: 'max-cached-groups',
    kind: 'count',
    description: 'groups whose state is kept in memory',
    allowZero: false,
  },
  groupRetentionMs: {
    flag: 'group-retention',
    kind: 'duration',
    description: 'how long group messages not acknowledged by every member are kept',
    allowZero: false,
  },
  addressRateFactor: {
    flag: 'address-rate-factor',
    kind: 'count',
    description: 'how many times each per-persona rate one address (IPv6: /64) may use',
    allowZero: false,
  },
  maxGroupsCreatedPerPersonaPerDay: {
    flag: 'max-groups-created-per-day',
    kind: 'count',
    description: 'groups one persona may create per day (0: no limit)',
    allowZero: true,
  },
  maxGroupBytesPerPersonaPerDay: {
    flag: 'max-group-bytes-per-persona',
    kind: 'bytes',
    description: 'bytes of group operations and messages per persona per day (0: no limit)',
    allowZero: true,
  },
  maxGroupBytesPerGroupPerDay: {
    flag: 'max-group-bytes-per-group',
    kind: 'bytes',
    description: 'bytes of operations and messages per group per day (0: no limit)',
    allowZero: true,
  },
  maxGroupLogBytes: {
    flag: 'max-group-log-bytes',
    kind: 'bytes',
    description: "bytes of one group's operation log (0: no limit)",
    allowZero: true,
  },
  maxStorageBytes: {
    flag: 'max-storage-bytes',
    kind: 'bytes',
    description: 'size of the store folder beyond which writes are refused (0: no limit)',
    allowZero: true,
  },
  minFreeDiskBytes: {
    flag: 'min-free-disk-bytes',
    kind: 'bytes',
    description: "free space on the store's disk below which writes are refused (0: no check)",
    allowZero: true,
  },
  maxAnonymousConnections: {
    flag: 'max-anonymous-connections',
    kind: 'count',
    description: 'open anonymous connections',
    allowZero: false,
  },
  maxPendingUpgrades: {
    flag: 'max-pending-upgrades',
    kind: 'count',
    description: 'connections still sending their upgrade request',
    allowZero: false,
  },
  maxPendingUpgradesPerAddress: {
    flag: 'max-pending-upgrades-per-address',
    kind: 'count',
    description: 'connections from one address still sending their upgrade request',
    allowZero: false,
  },
  upgradeTimeoutMs: {
    flag: 'upgrade-timeout',
    kind: 'duration',
    description: 'time to complete the upgrade request',
    allowZero: false,
  },
  groupSnapshotInterval: {
    flag: 'group-snapshot-interval',
    kind: 'count',
    description: 'group operations between stored state snapshots',
    allowZero: false,
  },
  maxGroupOperations: {
    flag: 'max-group-operations',
    kind: 'count',
    description: 'operations one group log may hold',
    allowZero: false,
  },
  maxGroupDeletedMessages: {
    flag: 'max-group-deleted-messages',
    kind: 'count',
    description: 'message ids one group may hold as deleted',
    allowZero: false,
  },
  maxGroupOpenInvites: {
    flag: 'max-group-open-invites',
    kind: 'count',
    description: 'open (unused, unexpired) invites per group',
    allowZero: false,
  },
  maxGroupJoinRequests: {
    flag: 'max-group-join-requests',
    kind: 'count',
    description: 'join requests waiting per group',
    allowZero: false,
  },
  maxDeliveryKeysPerPersona: {
    flag: 'max-delivery-keys',
    kind: 'count',
    description: 'delivery keys (contacts, invite links, group memberships) one persona may hold',
    allowZero: false,
  },
  maxEnvelopesPerDeliveryKey: {
    flag: 'max-envelopes-per-delivery-key',
    kind: 'count',
    description: "envelopes one delivery key may have queued in a mailbox (that key's share)",
    allowZero: false,
  },
  maxBlobBytes: {
    flag: 'max-blob-bytes',
    kind: 'bytes',
    description: 'largest blob (encrypted attachment, padded)',
    allowZero: false,
  },
  blobRetentionMs: {
    flag: 'blob-retention',
    kind: 'duration',
    description: 'longest a blob is kept, fetched by everyone or not',
    allowZero: false,
  },
  blobUploadWindowMs: {
    flag: 'blob-upload-window',
    kind: 'duration',
    description: 'time to complete an upload before it is deleted',
    allowZero: false,
  },
  maxBlobExpectedFetches: {
    flag: 'max-blob-expected-fetches',
    kind: 'count',
    description: 'most whole downloads one blob may wait for',
    allowZero: false,
  },
  maxBlobBytesPerPersonaPerDay: {
    flag: 'max-blob-bytes-per-persona',
    kind: 'bytes',
    description: 'blob bytes one persona may be granted per day (0: no limit)',
    allowZero: true,
  },
  maxBlobsPerPersonaPerDay: {
    flag: 'max-blobs-per-persona',
    kind: 'count',
    description: 'blobs one persona may be granted per day (0: no limit)',
    allowZero: true,
  },
  maxStoredBlobs: {
    flag: 'max-stored-blobs',
    kind: 'count',
    description: 'blobs stored at once',
    allowZero: false,
  },
  maxBlobStorageBytes: {
    flag: 'max-blob-storage-bytes',
    kind: 'bytes',
    description: 'bytes of blobs stored at once (0: no limit)',
    allowZero: true,
  },
  maxBlobRequestsPerMinute: {
    flag: 'max-blob-requests-per-minute',
    kind: 'count',
    description: 'HTTP blob requests per remote address per minute (0: no limit)',
    allowZero: true,
  },
  maxBlobTransfersPerAddress: {
    flag: 'max-blob-transfers-per-address',
    kind: 'count',
    description: 'blob uploads and downloads at once from one remote address',
    allowZero: false,
  },
  blobIdleTimeoutMs: {
    flag: 'blob-idle-timeout',
    kind: 'duration',
    description: 'time a blob request may move no bytes before it is cut',
    allowZero: false,
  },
  disappearingSweepIntervalMs: {
    flag: 'disappearing-sweep-interval',
    kind: 'duration',
    description: 'how often messages whose disappearing timer ran out are deleted',
    allowZero: false,
  },
  minDisappearingSeconds: {
    flag: 'min-disappearing-seconds',
    kind: 'count',
    description: 'shortest disappearing-messages timer, in seconds (tests only; at most 300)',
    allowZero: false,
  },
  mailboxScanIntervalMs: {
    flag: 'mailbox-scan-interval',
    kind: 'duration',
    description: 'how often the metrics measure the mailbox-depth distribution',
    allowZero: false,
  },
  drainDelayMs: {
    flag: 'drain-delay',
    kind: 'duration',
    description: 'on SIGTERM, time to serve with /readyz false before closing connections',
    allowZero: true,
  },
};

export const RELAY_LIMIT_NAMES = Object.keys(RELAY_LIMIT_DEFAULTS) as (keyof RelayLimits)[];

/** TLS material, PEM-encoded. Without it the relay speaks plain ws (put a TLS proxy in front). */
