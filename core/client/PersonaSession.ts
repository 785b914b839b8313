import { toHex } from '../bytes/bytes.js';
import type { InviteUse } from './inviteUse.js';
import type { IssuedInvite } from './IssuedInvites.js';
import type { JournalRecords } from './journal/JournalRecords.js';
import { inviteUse } from './inviteUse.js';
import type { VaultSweeper } from './disappearing/VaultSweeper.js';
import { personaSweeper, ruleContextOf } from './disappearing/VaultSweeper.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { Persona, PersonaInfo } from '../persona/Persona.js';
import type { AuthOk } from '../protocol/gen/kindred_pb.js';
import { toCoreError } from '../signal/signalErrors.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';
import { AnonymousLinks } from './AnonymousLinks.js';
import type { ClientProfileData } from './ClientProfile.js';
import { readClientProfile, writeClientProfile } from './ClientProfile.js';
import type { EmitClientEvent, EmitTaggedEvent } from './clientEvents.js';
import type { KindredClientOptions } from './clientOptions.js';
import { connectionTimeouts } from './clientOptions.js';
import type { Contact } from './ContactBook.js';
import { DeliveryKeyKeeper } from './DeliveryKeyKeeper.js';
import { INVITE_KEY_GRACE_MS, groupKeyScope } from './deliveryKeyScopes.js';
import type { CreatedInvite } from './direct/ContactInvites.js';
import { ContactInvites } from './direct/ContactInvites.js';
import { DirectInbound } from './direct/DirectInbound.js';
import { DirectSession } from './direct/DirectSession.js';
import { FacilitatorCredentials } from './facilitators/FacilitatorCredentials.js';
import { GroupSession } from './groups/GroupSession.js';
import { MessageRequests } from './requests/MessageRequests.js';
import { namingPersona } from './namingPersona.js';
import { OutboxSender } from './OutboxSender.js';
import { PersonaState } from './PersonaState.js';
import { PreKeyKeeper } from './PreKeyKeeper.js';
import { RelayConnection } from './RelayConnection.js';
import { isPassingRelayFailure } from './relayFailure.js';
import { RelayLink, isFatalLinkError } from './RelayLink.js';
import type { PersonaRegistration, RelayTarget } from './relayRegistration.js';
import { registerWithRelay } from './relayRegistration.js';
import { probeRelayMove } from './relayMove.js';
import type { LentConnection } from './SharedShortConnection.js';
import { SharedShortConnection } from './SharedShortConnection.js';
import type { AttachmentRef, AttachmentTransfers } from './attachments/AttachmentTransfers.js';
import { downloadingAttachments, personaAttachments } from './attachments/personaAttachments.js';
import type { SearchHit, SearchOptions } from './search/SearchIndex.js';
import { backfillSearchIndex } from './search/backfill.js';
import { SenderCertificates } from './SenderCertificates.js';
import { Receipts } from './direct/Receipts.js';
import { renewSessions, renewalPending } from './SessionRenewal.js';
import type { PersonaProxySetting, SocksProxy } from './SocksProxy.js';
import {
  freshCredentials,
  newProxySetting,
  readProxySetting,
  socksProxyFor,
  writeProxySetting,
} from './SocksProxy.js';

export type { KindredClientOptions } from './clientOptions.js';
export type { CreatedInvite } from './direct/ContactInvites.js';
export type { PersonaRegistration, RelayTarget } from './relayRegistration.js';

/** How a session starts; see {@link PersonaSession.start}. */
export interface SessionStartOptions {
  readonly receive: boolean;
  /**
   * A wait before each reconnect of the receiving link after a drop, on top of the backoff: a
   * persona's own random delay, so the personas of a vault do not come back together. Absent: the
   * backoff alone (the persona in view).
   */
  readonly reconnectDelayMs?: () => number;
}

/** Who a persona is, for display. */
export interface ClientIdentity extends PersonaInfo {
  readonly relayUrl: string;
  readonly trustRoot: Uint8Array;
  /** Encrypts profile fields for contacts; shared only inside contact cards. */
  readonly profileKey: Uint8Array;
}

/**
 * One persona of a vault, running: its state, the relay pinned on first use, contacts made
 * through signed invite links, a durable outbox, message history with dedupe and gap markers,
 * safety numbers. A KindredClient runs one session per persona, each with its own keys and its own
 * connections, so the relay cannot tell by keys or requests that two personas of one person belong
 * together (by IP address it can, unless the personas go through a SOCKS5 proxy: `setProxy`).
 *
 * Links to the relay: an authenticated one that receives this persona's mailbox and keeps its
 * prekeys and sender certificate fresh, and short-lived anonymous ones, one per purpose (sealed
 * sends; a new contact's prekey bundle; each group's log), so the relay never links a sender to a
 * recipient, and never sees one connection both name a group and carry a sealed envelope. With a
 * proxy set, the authenticated link presents this persona's own proxy credentials and each
 * anonymous connection fresh ones (see SocksProxy).
 *
 * The vault belongs to the client: stopping a session leaves it open. Sessions come only from a
 * KindredClient (`createPersona`, `session`, `sessions`); their events reach the client's
 * listeners, each naming the persona.
 */
export class PersonaSession {
  readonly #state: PersonaState;
  /** Replaced only by moveRelay (a new address for the same relay). */
  #profile: ClientProfileData;
  readonly #options: KindredClientOptions;
  readonly #emit: EmitClientEvent;
  readonly #anonymous: AnonymousLinks;
  /** Replaced by setProxy. */
  #proxy: PersonaProxySetting | undefined;
  readonly #outboxSender: OutboxSender;
  readonly #receipts: Receipts;
  readonly #inbound: DirectInbound;
  readonly #deliveryKeys: DeliveryKeyKeeper;
  readonly #preKeys: PreKeyKeeper;
  readonly #certificates: SenderCertificates;
  readonly #invites: ContactInvites;
  /** This persona's groups. */
  readonly groups: GroupSession;
  /** This persona's 1:1 conversations (PersonaSession's contact methods call it). */
  readonly direct: DirectSession;
  /** Private messages between fellow group members, and the requests inbox. */
  readonly requests: MessageRequests;
  /**
   * Takes expired messages out of the vault (at unlock, then on an interval); `onExpired` is the
   * hook for what a message left outside its record (see VaultSweeper.ts).
   */
  readonly sweeper: VaultSweeper;
  /** Attachment uploads, background downloads and saving, for 1:1 and groups alike. */
  readonly attachments: AttachmentTransfers;
  /** This persona's facilitator credentials and the operator key badges are checked with. */
  readonly facilitator: FacilitatorCredentials;
  #authenticated: RelayLink | undefined;
  /** The short authenticated connection #postingConnection lends while the link is down. */
  readonly #shortConnection: SharedShortConnection;
  /** The renewal after a restore, once started (see #renewAfterRestore). */
  #renewal: Promise<void> | undefined;
  #stopped = false;

  /** Runs a persona whose profile is stored; a KindredClient calls it, no one else. */
  constructor(
    state: PersonaState,
    profile: ClientProfileData,
    options: KindredClientOptions,
    emit: EmitTaggedEvent,
    proxy?: PersonaProxySetting,
  ) {
    this.#state = state;
    this.#profile = profile;
    this.#options = options;
    this.#proxy = proxy;
    this.#emit = downloadingAttachments(namingPersona(state.persona.address, emit), () =>
      this.#stopped ? undefined : this.attachments,
    );
    this.sweeper = personaSweeper(state, options, this.#emit);
    this.attachments = personaAttachments({
      state,
      home: options.vaultFolder,
      relayUrl: () => this.#profile.relayUrl,
      authenticated: () => this.#postingConnection(),
      proxy: (as) => this.#proxyFor(as).proxy,
      emit: this.#emit,
      ...(options.attachmentRetryMs === undefined ? {} : { retryMs: options.attachmentRetryMs }),
      ...(options.attachmentMaxAttempts === undefined
        ? {}
        : { maxAttempts: options.attachmentMaxAttempts }),
    });
    // An expired message's attachments leave the vault folder with it.
    this.sweeper.onExpired(({ message }) => this.attachments.deleteFilesOf(message));
    this.#anonymous = new AnonymousLinks({
      connect: () => this.#open('anonymous'),
      ...(options.anonymousIdleMs === undefined ? {} : { idleCloseMs: options.anonymousIdleMs }),
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    });
    this.#shortConnection = new SharedShortConnection(() => this.#openAuthenticated(false));
    this.#preKeys = new PreKeyKeeper({
      state,
      ...(options.preKeyBatchSize === undefined ? {} : { batchSize: options.preKeyBatchSize }),
      isStopped: () => this.#stopped,
      reportError: (error) => {
        this.#emit('error', error);
      },
    });
    this.#certificates = new SenderCertificates({
      state,
      trustRoot: profile.trustRoot,
      receiving: () => this.#authenticated,
      postingConnection: () => this.#postingConnection(),
      isStopped: () => this.#stopped,
    });
    this.#inbound = new DirectInbound(
      state,
      profile.trustRoot,
      this.#emit,
      options.usedInviteKeyGraceMs ?? INVITE_KEY_GRACE_MS,
    );
    this.#outboxSender = new OutboxSender({
      state,
      link: this.#anonymous.link('send'),
      // After a restore, nothing goes out 1:1 before the sessions are renewed (SessionRenewal.ts).
      senderCertificate: async () => {
        await this.#renewAfterRestore();
        return this.#certificates.senderCertificate();
      },
      dropSenderCertificate: () =>
        state.transact(() => state.store.delete('client/sender-certificate')),
      prepare: () => this.#renewAfterRestore(),
      emit: this.#emit,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
      ...(options.sendDeadlineMs === undefined ? {} : { sendDeadlineMs: options.sendDeadlineMs }),
    });
    this.#receipts = new Receipts(state, () => {
      this.#outboxSender.kick();
    });
    this.#inbound.useReceipts(this.#receipts);
    this.#deliveryKeys = new DeliveryKeyKeeper({
      state,
      authenticated: () => this.#postingConnection(),
      kickOutbox: () => {
        this.#outboxSender.kick();
      },
      reportError: (error) => {
        this.#emit('error', error);
      },
      isPassing: isPassingRelayFailure,
    });
    this.#inbound.useDeliveryKeys(() => {
      this.#deliveryKeys.kick();
    });
    this.direct = new DirectSession({
      state,
      self: state.persona.address,
      checkOpen: () => {
        this.#checkOpen();
      },
      kickOutbox: () => {
        this.#outboxSender.kick();
      },
      syncDeliveryKeys: () => this.#syncDeliveryKeys(),
      attachments: this.attachments,
      receipts: this.#receipts,
      ownCard: (accessKey) => ({
        relayUrl: this.#profile.relayUrl,
        trustRoot: this.#profile.trustRoot,
        address: state.persona.address,
        identityKey: state.persona.identityPublicKey,
        accessKey,
        profileKey: state.persona.profileKey,
        pseudonym: state.persona.pseudonym,
      }),
    });
    const currentProfile = (): ClientProfileData => this.#profile;
    this.requests = new MessageRequests({
      state,
      relayUrl: () => currentProfile().relayUrl,
      trustRoot: profile.trustRoot,
      deliveryKeys: this.#deliveryKeys,
      syncDeliveryKeys: () => this.#syncDeliveryKeys(),
      direct: this.direct,
      receipts: this.#receipts,
      checkOpen: () => {
        this.#checkOpen();
      },
      kickOutbox: () => {
        this.#outboxSender.kick();
      },
    });
    this.#invites = new ContactInvites({
      state,
      trustRoot: profile.trustRoot,
      relayUrl: () => currentProfile().relayUrl,
      deliveryKeys: this.#deliveryKeys,
      lookup: () => this.#anonymous.connection('lookup'),
      checkOpen: () => {
        this.#checkOpen();
      },
      kickOutbox: () => {
        this.#outboxSender.kick();
      },
    });
    this.facilitator = new FacilitatorCredentials({
      state,
      relayId: profile.relayId,
      trustRoot: profile.trustRoot,
      clock: options.credentialClock ?? Date.now,
      challenge: async () => {
        const connection = await this.#open('anonymous');
        connection.close();
        return connection.challenge;
      },
      profileChanged: () => this.groups.credentials.showOwn(),
    });
    this.groups = new GroupSession({
      state,
      credentials: this.facilitator,
      // Read when an invite link is made, so links carry the address the relay moved to.
      get relayUrl() {
        return currentProfile().relayUrl;
      },
      trustRoot: profile.trustRoot,
      membershipKey: async (groupId) =>
        (await this.#deliveryKeys.current(groupKeyScope(groupId))).key,
      retireMembershipKey: (groupId) => this.#deliveryKeys.retire(groupKeyScope(groupId)),
      deliveryKeysChanged: () => {
        this.#deliveryKeys.kick();
      },
      anonymous: (groupId) =>
        this.#anonymous.connection(groupId === undefined ? 'group' : `group:${toHex(groupId)}`),
      // After a restore, no group post or operation goes before the renewal (SessionRenewal.ts).
      authenticated: async () => {
        await this.#renewAfterRestore();
        return this.#postingConnection();
      },
      kickOutbox: () => {
        this.#outboxSender.kick();
      },
      emit: (event, value) => {
        (this.#emit as (name: string, payload: unknown) => void)(event, value);
      },
      reportError: (error) => {
        this.#emit('error', error);
      },
      attachments: this.attachments,
      ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
      ...(options.scheduleClock === undefined ? {} : { scheduleClock: options.scheduleClock }),
    });
    this.#inbound.useGroups(this.groups);
    this.groups.useMemberMessenger(this.requests);
  }

  /**
   * Loads a persona's session from its vault scope; undefined when the persona was never set up
   * for a relay (no client profile), so it cannot run.
   */
  static async load(
    persona: Persona,
    scope: KeyValueStore,
    options: KindredClientOptions,
    emit: EmitTaggedEvent,
  ): Promise<PersonaSession | undefined> {
    const state = new PersonaState(persona, scope, ruleContextOf(options));
    let profile: ClientProfileData;
    let proxy: PersonaProxySetting | undefined;
    try {
      [profile, proxy] = await state.transact(async () => [
        await readClientProfile(state.store),
        await readProxySetting(state.store),
      ]);
    } catch (error) {
      if (CoreError.is(error, CoreErrorCode.PersonaNotFound)) return undefined;
      throw error;
    }
    await backfillSearchIndex(state);
    const session = new PersonaSession(state, profile, options, emit, proxy);
    // At unlock: what ran out while the app was closed leaves before anything can show it.
    await session.sweeper.start();
    return session;
  }

  /**
   * Registers a persona already in the vault with a relay (see registerWithRelay), stores its
   * sender certificate and uploads prekeys. The returned session is not started. On failure the
   * persona's scope may hold partial state: the caller deletes the persona.
   */
  static async register(registration: PersonaRegistration): Promise<PersonaSession> {
    return registerWithRelay(
      registration,
      async ({ state, profile, proxy, authOk, connection }) => {
        const session = new PersonaSession(
          state,
          profile,
          registration.options,
          registration.emit,
          proxy,
        );
        await session.sweeper.start();
        await session.#certificates.storeCertificate(authOk.senderCertificate);
        await session.#preKeys.uploadPreKeys(connection);
        return session;
      },
    );
  }

  get address(): string {
    return this.#state.persona.address;
  }

  /** The relay this persona is registered with, as pinned. */
  get relay(): RelayTarget {
    return {
      url: this.#profile.relayUrl,
      allowInsecureTransport: this.#profile.allowInsecureTransport,
      pin: { trustRoot: this.#profile.trustRoot, relayId: this.#profile.relayId },
    };
  }

  /**
   * Points this persona at a new address of the relay it is registered with (the relay moved):
   * connects to `url` and checks the relay there presents the pinned trust root and relay id
   * (CORE_RELAY_MISMATCH otherwise; CORE_RELAY_UNREACHABLE when nothing answers; either way
   * nothing changes), then stores the new address and reconnects. Plain ws:// is refused for a
   * remote host unless the persona was set up with insecure transport allowed.
   */
  async moveRelay(url: string): Promise<void> {
    this.#checkOpen();
    const moved = await probeRelayMove(this.#profile, url, {
      ...this.#proxyFor('persona'),
      options: this.#options,
    });
    this.#checkOpen();
    const state = this.#state;
    await state.transact(() => writeClientProfile(state.store, moved));
    await state.store.flush();
    this.#profile = moved;
    this.#authenticated?.reconnect();
    this.#anonymous.reconnect();
    this.#outboxSender.kick();
    this.groups.kick();
  }

  /** The SOCKS5 proxy this persona connects through (`socks5://host:port`), if any. */
  get proxyUrl(): string | undefined {
    return this.#proxy?.url;
  }

  /**
   * Connects through a SOCKS5 proxy from now on (`socks5://host:port`), with credentials of this
   * persona's own, made here, so Tor gives it a circuit of its own; `undefined` connects directly
   * again. Stored in the vault, then every connection is opened afresh. CORE_INVALID_INPUT for an
   * address that is not socks5://host:port (nothing changes then).
   */
  async setProxy(url: string | undefined): Promise<void> {
    this.#checkOpen();
    const setting = url === undefined ? undefined : newProxySetting(url);
    const state = this.#state;
    await state.transact(() => writeProxySetting(state.store, setting));
    await state.store.flush();
    this.#proxy = setting;
    this.#authenticated?.reconnect();
    this.#anonymous.reconnect();
    this.#outboxSender.kick();
    this.groups.kick();
  }

  whoami(): ClientIdentity {
    return {
      ...this.#state.persona.info(),
      relayUrl: this.#profile.relayUrl,
      trustRoot: this.#profile.trustRoot,
      profileKey: this.#state.persona.profileKey,
    };
  }

  /**
   * Connects to the relay. With `receive`, authenticates and starts taking this persona's mailbox
   * (reconnecting with backoff after drops); in any case starts sending the outbox. Rejects when
   * the relay cannot be reached the first time.
   */
  async start(options: SessionStartOptions): Promise<void> {
    this.#checkOpen();
    await this.#renewAfterRestore();
    if (options.receive && this.#authenticated === undefined) {
      const link = new RelayLink({
        persistent: true,
        connect: () => this.#openAuthenticated(true),
        ...(this.#options.backoff === undefined ? {} : { backoff: this.#options.backoff }),
        ...(options.reconnectDelayMs === undefined
          ? {}
          : { reconnectDelayMs: options.reconnectDelayMs }),
        ...(this.#options.keepAliveMs === undefined
          ? {}
          : { keepAliveMs: this.#options.keepAliveMs }),
      });
      link.on('connected', () => {
        this.#inbound.touch();
        this.#emit('connection', true);
        this.#outboxSender.kick();
        this.groups.kick();
        this.#deliveryKeys.kick();
      });
      link.on('disconnected', () => {
        if (!this.#stopped) this.#emit('connection', false);
      });
      link.on('fatal', (error) => {
        this.#emit('error', error);
      });
      this.#authenticated = link;
      try {
        await link.connection();
      } catch (error) {
        // The link keeps trying by itself (with backoff) unless the relay refused us for good:
        // only then is it given up, so a later start() makes a new one.
        if (isFatalLinkError(error)) {
          link.stop();
          this.#authenticated = undefined;
        }
        throw error;
      }
    }
    this.#outboxSender.kick();
    this.groups.kick();
    if (options.receive) this.#deliveryKeys.kick();
    if (options.receive)
      this.attachments.resume().catch((error: unknown) => {
        this.#emit('error', toCoreError(error, CoreErrorCode.Internal, 'resuming attachments'));
      });
  }

  /**
   * Resolves once the outbox is empty: each message acknowledged (`sent`) or refused for good
   * (`sendFailed`). Rejects with the last transient failure when `timeoutMs` passes first.
   */
  async flushOutbox(timeoutMs: number, options: FlushOptions = {}): Promise<void> {
    this.#checkOpen();
    const deadline = Date.now() + timeoutMs;
    let keyMissing: CoreError | undefined;
    try {
      // A group key comes over the receiving link, if there is one.
      await this.groups.whenPosted(
        timeoutMs,
        options.waitForGroupKey ?? this.#authenticated !== undefined,
      );
    } catch (error) {
      // Posts waiting for a group key: the 1:1 outbox goes all the same (it may carry the key
      // to others, or sender keys), then the caller hears why the posts did not.
      if (!CoreError.is(error, CoreErrorCode.GroupKeyMissing)) throw error;
      keyMissing = error;
    }
    try {
      // A pass of the delivery keys under way may queue a contact's key grant: it goes too (a
      // command that syncs and exits would otherwise leave the new contact on the link's key).
      await this.#deliveryKeys.settled(Math.max(1, deadline - Date.now()));
      // Posting may have queued sender keys for the 1:1 outbox.
      await this.#outboxSender.whenDrained(Math.max(1, deadline - Date.now()));
    } catch (error) {
      // A wait for the key may have used up the time: the key is what the caller must hear of.
      throw keyMissing ?? error;
    }
    if (keyMissing !== undefined) throw keyMissing;
  }

  /**
   * Resolves once no envelope has arrived for `quietMs` and all received ones are stored, or once
   * `timeoutMs` has passed (a mailbox that never goes quiet must not hold a caller forever).
   */
  async whenInboxQuiet(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.#inbound.whenIdle();
      await this.groups.whenIdle();
      const quietFor = Date.now() - Math.max(this.#inbound.lastActivity, this.groups.lastActivity);
      if (quietFor >= quietMs && this.#inbound.isIdle && this.groups.isIdle) return;
      if (Date.now() >= deadline) return;
      // Sleep until the quiet period would end (a little past it, so the next check passes).
      await delay(Math.min(quietMs - quietFor, Math.max(0, deadline - Date.now())) + 5);
    }
  }

  /** See {@link ContactInvites.createInvite}. */
  async createInvite(options: { maxUses: number; expiresAt: number }): Promise<CreatedInvite> {
    return this.#invites.createInvite(options);
  }

  /** Runs `step` on this persona's journal records as one committed step (docs/journal.md). */
  async journalStep<T>(step: (records: JournalRecords) => Promise<T>): Promise<T> {
    this.#checkOpen();
    return this.#state.transact(() => step(this.#state.journal));
  }

  /** See {@link ContactInvites.revokeInvite}. */
  async revokeInvite(inviteId: Uint8Array): Promise<{ revokedAtRelay: boolean }> {
    return this.#invites.revokeInvite(inviteId);
  }

  /** The contact links this persona made that are still on record, oldest first. */
  async issuedInvites(): Promise<IssuedInvite[]> {
    this.#checkOpen();
    return this.#state.transact(() => this.#state.invites.list());
  }

  /** Where a contact link this persona made stands (its uses are counted in the vault). */
  async contactInviteUse(inviteId: Uint8Array, now = Date.now()): Promise<InviteUse> {
    this.#checkOpen();
    const issued = await this.#state.transact(() => this.#state.invites.get(inviteId));
    return inviteUse(issued, now);
  }

  /** See {@link ContactInvites.addContact}. */
  async addContact(link: string, options: { alias?: string } = {}): Promise<Contact> {
    return this.#invites.addContact(link, options);
  }

  /** See {@link DirectSession.saveAttachment} and {@link GroupMessaging.saveAttachment}. */
  async saveAttachment(ref: AttachmentRef, n: number, outPath: string): Promise<void> {
    return 'group' in ref
      ? this.groups.messaging.saveAttachment(ref.group, ref.messageId, n, outPath)
      : this.direct.saveAttachment(ref.contact, ref.messageId, n, outPath);
  }

  /** This persona's 1:1 and group texts holding every word of `query`: see SearchIndex.search. */
  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    this.#checkOpen();
    const state = this.#state;
    return state.transact(() => state.search.search(query, options));
  }

  /** A pass of the delivery keys now; false when the relay could not be reached. */
  async #syncDeliveryKeys(): Promise<boolean> {
    try {
      await this.#deliveryKeys.sync();
      return true;
    } catch (error) {
      if (isPassingRelayFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Stops this persona's connections and waits for work already running to finish. The vault
   * stays open: it belongs to the client, which locks it once every session has stopped.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.sweeper.stop();
    this.#certificates.stop();
    this.#outboxSender.stop();
    this.#deliveryKeys.stop();
    this.#authenticated?.stop();
    this.#anonymous.stop();
    this.attachments.stop();
    await this.attachments.whenIdle();
    // Let a step already running finish before the vault closes under it.
    await this.#state.transact(() => Promise.resolve());
    await this.#inbound.whenIdle();
    await this.groups.whenIdle();
  }

  #checkOpen(): void {
    if (this.#stopped) throw new CoreError(CoreErrorCode.VaultLocked, 'the client is closed');
  }

  /** A connection as this persona (to authenticate) or as no one (anonymous). */
  async #open(as: 'persona' | 'anonymous'): Promise<RelayConnection> {
    const connection = await RelayConnection.open({
      url: this.#profile.relayUrl,
      allowInsecureTransport: this.#profile.allowInsecureTransport,
      pin: { trustRoot: this.#profile.trustRoot, relayId: this.#profile.relayId },
      ...this.#proxyFor(as),
      ...connectionTimeouts(this.#options),
    });
    // Each connect re-checks the operator key's endorsement; badges are checked with the key kept.
    // Not awaited: a connection may be opened inside a vault step, which this one would wait on.
    void this.facilitator.noteChallenge(connection.challenge).catch((error: unknown) => {
      this.#emit('error', toCoreError(error, CoreErrorCode.Internal, 'operator key'));
    });
    return connection;
  }

  /**
   * The proxy to open a connection through: the persona's own credentials for a connection that
   * authenticates, fresh ones for each anonymous connection, so that at a Tor exit (and so at the
   * relay) an anonymous connection does not share the persona's address.
   */
  #proxyFor(as: 'persona' | 'anonymous'): { proxy?: SocksProxy } {
    const setting = this.#proxy;
    if (setting === undefined) return {};
    return {
      proxy: socksProxyFor(setting, as === 'persona' ? setting : freshCredentials()),
    };
  }

  /**
   * An authenticated connection. With `receive`, deliveries are processed and prekeys topped up;
   * without, it only serves to fetch a sender certificate and deliveries are left for later.
   */
  async #openAuthenticated(receive: boolean): Promise<RelayConnection> {
    const connection = await this.#open('persona');
    if (receive) {
      connection.on('deliver', (delivery) => {
        this.#inbound.enqueue(delivery, connection);
      });
      connection.on('preKeyStatus', (status) => {
        this.#preKeys.onPreKeyStatus(connection, status);
      });
      connection.on('groupDeliver', (deliver) => {
        this.groups.enqueue(deliver, connection);
      });
    }
    let authOk: AuthOk;
    try {
      authOk = await connection.authenticate(this.#state.persona);
    } catch (error) {
      connection.close();
      throw error;
    }
    await this.#certificates.storeCertificate(authOk.senderCertificate);
    if (receive && authOk.preKeyStatus !== undefined) {
      this.#preKeys.onPreKeyStatus(connection, authOk.preKeyStatus);
    }
    return connection;
  }

  /**
   * The connection group posts and operations go on: both need the persona authenticated, so the
   * relay can enforce membership, mute, registration and quotas. The receiving one when it is up, else a short one of its own.
   */
  async #postingConnection(): Promise<LentConnection> {
    // The receiving link, up or on its way up: a short connection of our own would be closed by
    // the relay the moment the link authenticates (one connection per persona).
    const link = this.#authenticated;
    if (link !== undefined) {
      return { connection: await link.connection(), release: () => undefined };
    }
    return this.#shortConnection.borrow();
  }

  /**
   * Once after this persona's vault was restored from a backup: renews its prekeys, sessions and
   * sender keys (see SessionRenewal.ts) before anything is sent. Calls share one run; a failed
   * run is tried again by the next call.
   */
  #renewAfterRestore(): Promise<void> {
    this.#renewal ??= (async () => {
      if (!(await renewalPending(this.#state))) return;
      await renewSessions({
        state: this.#state,
        lookup: () => this.#anonymous.connection('lookup'),
        emit: this.#emit,
        uploadPreKeys: async () => {
          const { connection, release } = await this.#postingConnection();
          try {
            await this.#preKeys.uploadPreKeys(connection, true);
          } finally {
            release();
          }
        },
      });
      this.#outboxSender.kick();
      this.groups.kick();
    })().catch((error: unknown) => {
      this.#renewal = undefined;
      throw error;
    });
    return this.#renewal;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** How `flushOutbox` treats posts that wait for a group key. */
export interface FlushOptions {
  /**
   * Wait for the key until the timeout (default: when a receiving link may bring it), else
   * reject with CORE_GROUP_KEY_MISSING at once.
   */
  readonly waitForGroupKey?: boolean;
}
