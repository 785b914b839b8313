import type { Logger } from 'pino';
import type { AnonymousSlots } from './AnonymousSlots.js';
import type { BlobService } from './blobs/BlobService.js';
import type { Authenticator } from './Authenticator.js';
import type { Connection } from './Connection.js';
import type { RelayDirectory } from './directory/RelayDirectory.js';
import type { RelayOperator } from './directory/RelayOperator.js';
import type { ConnectionRegistry } from './ConnectionRegistry.js';
import type { EnvelopeIntake } from './EnvelopeIntake.js';
import type { GroupRegistry } from './GroupRegistry.js';
import type { GroupWriteGate } from './GroupWriteGate.js';
import type { PreKeyDirectory } from './PreKeyDirectory.js';
import type { RelayIdentity } from './RelayIdentity.js';
import type { RelayMetrics } from './RelayMetrics.js';
import type { ResolvedRelayOptions } from './RelayOptions.js';
import type { RelayRateLimits } from './RelayRateLimits.js';
import type { StorageGauge } from './StorageGauge.js';
import type { RelayStore } from './store/RelayStore.js';

/** What every connection of one relay shares. */
export interface RelayContext {
  readonly options: ResolvedRelayOptions;
  readonly identity: RelayIdentity;
  /** The operator key the Challenge shows, its endorsement, and where this node may sign. */
  readonly operator: RelayOperator;
  /** FetchDirectory and RequestListing (docs/directory.md). */
  readonly directory: RelayDirectory;
  readonly store: RelayStore;
  readonly limits: RelayRateLimits;
  readonly registry: ConnectionRegistry;
  readonly authenticator: Authenticator;
  readonly preKeys: PreKeyDirectory;
  readonly intake: EnvelopeIntake;
  readonly groups: GroupRegistry;
  readonly metrics: RelayMetrics;
  /** Who may write to groups, and the group quotas. */
  readonly groupWrites: GroupWriteGate;
  /** The global disk quota. */
  readonly storage: StorageGauge;
  readonly anonymousSlots: AnonymousSlots;
  /** Blob upload grants (the HTTP routes live in BlobRoutes). */
  readonly blobs: BlobService;
  readonly logger: Logger;
  /** Called once when a connection has closed, for the server's bookkeeping. */
  readonly onClosed: (connection: Connection) => void;
}
