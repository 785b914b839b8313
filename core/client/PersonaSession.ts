import { randomBytes } from 'node:crypto';
import { bytesEqual, ownedBytes } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { Persona, PersonaInfo } from '../persona/Persona.js';
import { ACCESS_KEY_BYTES } from '../protocol/frames.js';
import type { AuthOk, PreKeyStatus } from '../protocol/gen/kindred_pb.js';
import { RegistrationPolicy } from '../protocol/gen/kindred_pb.js';
import { RelayErrorCode } from '../protocol/RelayErrorCode.js';
import { accessKeyHash, solveProofOfWork } from '../protocol/relayAuth.js';
import { checkSenderCertificate } from '../sealed/SenderCertificateIssuer.js';
import { toCoreError } from '../signal/signalErrors.js';
import type { SafetyNumber } from '../signal/signalTypes.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';
import type { BackoffOptions } from './Backoff.js';
import type { ClientProfileData } from './ClientProfile.js';
import {
  readClientProfile,
  readSenderCertificate,
  writeClientProfile,
  writeSenderCertificate,
} from './ClientProfile.js';
import type { EmitClientEvent, EmitTaggedEvent, PersonaEvents } from './clientEvents.js';
import type { Contact } from './ContactBook.js';
import { checkAlias } from './ContactBook.js';
import type { ContactCardData } from './contactCard.js';
import {
  INVITE_ID_BYTES,
  createContactInviteLink,
  parseContactInviteLink,
} from './ContactInviteLink.js';
import { DeliveryKeyKeeper } from './DeliveryKeyKeeper.js';
import {
  INVITE_KEY_GRACE_MS,
  contactKeyScope,
  groupKeyScope,
  inviteKeyScope,
} from './deliveryKeyScopes.js';
import { encodeContent } from './contentCodec.js';
import { newMessageId } from './messages/messageBodyCodec.js';
import { GroupSession } from './groups/GroupSession.js';
import { DirectInbound } from './direct/DirectInbound.js';
import { DirectSession } from './direct/DirectSession.js';
import type { HistoryEntry, HistoryMessage } from './MessageHistory.js';
import { OutboxSender } from './OutboxSender.js';
import { PersonaState } from './PersonaState.js';
import { renewSessions, renewalPending } from './SessionRenewal.js';
import type { RegistrationInit, RelayPin } from './RelayConnection.js';
import { RelayConnection } from './RelayConnection.js';
import { RelayLink } from './RelayLink.js';
import { RelayRejectedError } from './RelayRejectedError.js';
import { checkRelayUrl } from './relayUrl.js';
import { toHex } from '../bytes/bytes.js';
import { AnonymousLinks } from './AnonymousLinks.js';
import type { ConnectScheduleOptions } from './ConnectSchedule.js';
import type { PersonaProxySetting, SocksProxy } from './SocksProxy.js';
import type { SearchHit, SearchOptions } from './search/SearchIndex.js';
import {
  freshCredentials,
  newProxySetting,
  readProxySetting,
  socksProxyFor,
  writeProxySetting,
} from './SocksProxy.js';

/** Tunables, each with a default suited to a person's client. */
export interface KindredClientOptions {
  /** Time to connect and receive the relay's challenge. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Time a request waits for the relay's answer. Default 15 s. */
  readonly requestTimeoutMs?: number;
  /** Reconnect and resend schedule. Default 250 ms doubling to 30 s, with jitter. */
  readonly backoff?: BackoffOptions;
  /** One-time EC and Kyber prekeys generated per upload. Default 100 of each. */
  readonly preKeyBatchSize?: number;
  /** Keep-alive ping interval on the receiving connection; 0 disables. Default 25 s. */
  readonly keepAliveMs?: number;
  /**
   * How long a used-up contact invite link's delivery key keeps working at the relay, so the
   * last contact can write until its own key reaches it. Default 10 minutes.
   */
  readonly usedInviteKeyGraceMs?: number;
  /**
   * When personas not in view connect, at start and after a drop. Default: 5 s plus an
   * exponential delay of mean 30 s, at most 3 min (see ConnectSchedule).
   */
  readonly connectSchedule?: ConnectScheduleOptions;
  /** An anonymous connection idle this long is closed. Default 5 s. */
  readonly anonymousIdleMs?: number;
}

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

/** A contact invite this client made. */
export interface CreatedInvite {
  readonly link: string;
  readonly inviteId: Uint8Array;
  readonly expiresAt: number;
  readonly maxUses: number;
}

/** The relay a persona registers with, and how to reach it. */
export interface RelayTarget {
  readonly url: string;
  readonly allowInsecureTransport: boolean;
  /** The relay already pinned (by another persona in the vault); absent on first use. */
  readonly pin?: RelayPin;
}

/** What registering a persona takes; see {@link PersonaSession.register}. */
export interface PersonaRegistration {
  /** A persona already in the vault, and the vault scope that holds its data. */
  readonly persona: Persona;
  readonly scope: KeyValueStore;
  readonly relay: RelayTarget;
  /** Operator-signed token, for relays that register by invite. */
  readonly inviteToken?: Uint8Array;
  /** A SOCKS5 proxy (`socks5://host:port`) to register and run through, with own credentials. */
  readonly proxyUrl?: string;
  readonly options: KindredClientOptions;
  readonly emit: EmitTaggedEvent;
}

/** A sender certificate is replaced when less than this much of its life is left. */
const CERTIFICATE_MIN_REMAINING_MS = 10 * 60 * 1000;
const DEFAULT_PREKEY_BATCH = 100;

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
  readonly #inbound: DirectInbound;
  readonly #deliveryKeys: DeliveryKeyKeeper;
  /** This persona's groups. */
  readonly groups: GroupSession;
  /** This persona's 1:1 conversations (PersonaSession's contact methods call it). */
  readonly direct: DirectSession;
  #authenticated: RelayLink | undefined;
  /** The short authenticated connection #postingConnection shares while anyone uses it. */
  #shortConnection: { readonly connection: Promise<RelayConnection>; users: number } | undefined;
  #certificateRequest: Promise<Uint8Array> | undefined;
  #certificateTimer: NodeJS.Timeout | undefined;
  #refillingPreKeys = false;
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
    this.#emit = namingPersona(state.persona.address, emit);
    this.#anonymous = new AnonymousLinks({
      connect: () => this.#open('anonymous'),
      ...(options.anonymousIdleMs === undefined ? {} : { idleCloseMs: options.anonymousIdleMs }),
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
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
        return this.#senderCertificate();
      },
      dropSenderCertificate: () =>
        state.transact(() => state.store.delete('client/sender-certificate')),
      emit: this.#emit,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    });
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
    });
    const currentProfile = (): ClientProfileData => this.#profile;
    this.groups = new GroupSession({
      state,
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
      authenticated: () => this.#postingConnection(),
      kickOutbox: () => {
        this.#outboxSender.kick();
      },
      emit: (event, value) => {
        (this.#emit as (name: string, payload: unknown) => void)(event, value);
      },
      reportError: (error) => {
        this.#emit('error', error);
      },
    });
    this.#inbound.useGroups(this.groups);
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
    const state = new PersonaState(persona, scope);
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
    return new PersonaSession(state, profile, options, emit, proxy);
  }

  /**
   * Registers a persona already in the vault with a relay: reads the relay's challenge (and pins
   * it, on first use), registers with proof of work or an invite token, stores the client profile
   * and sender certificate, and uploads prekeys. The returned session is not started. On failure
   * the persona's scope may hold partial state: the caller deletes the persona.
   */
  static async register(registration: PersonaRegistration): Promise<PersonaSession> {
    const { persona, relay, options } = registration;
    // Checked before anything goes out: a bad proxy address must not fall back to a direct line.
    const proxy =
      registration.proxyUrl === undefined ? undefined : newProxySetting(registration.proxyUrl);
    let connection: RelayConnection | undefined;
    try {
      const connect = (): Promise<RelayConnection> =>
        RelayConnection.open({
          url: relay.url,
          allowInsecureTransport: relay.allowInsecureTransport,
          ...(relay.pin === undefined ? {} : { pin: relay.pin }),
          ...(proxy === undefined ? {} : { proxy: socksProxyFor(proxy) }),
          ...connectionTimeouts(options),
        });
      // The first challenge tells us the relay and its registration policy. Proof of work is
      // bound to the relay and our key, not to a connection, so it is solved with no connection
      // open: solving it may take longer than the relay's handshake deadline.
      const first = await connect();
      const challenge = first.challenge;
      first.close();
      const accessKey = ownedBytes(randomBytes(ACCESS_KEY_BYTES));
      const gate = registrationFor(persona, challenge.registration, {
        relayId: challenge.relayId,
        powDifficulty: challenge.powDifficulty,
        accessKey,
        ...(registration.inviteToken === undefined
          ? {}
          : { inviteToken: registration.inviteToken }),
      });
      connection = await connect();
      if (
        !bytesEqual(connection.challenge.relayId, challenge.relayId) ||
        !bytesEqual(connection.challenge.trustRoot, challenge.trustRoot)
      ) {
        throw new CoreError(
          CoreErrorCode.RelayMismatch,
          'the relay changed identity during registration',
        );
      }
      const authOk = await connection.authenticate(persona, gate);
      const profile: ClientProfileData = {
        relayUrl: relay.url,
        trustRoot: ownedBytes(challenge.trustRoot),
        relayId: ownedBytes(challenge.relayId),
        allowInsecureTransport: relay.allowInsecureTransport,
        accessKey,
        registeredAt: Date.now(),
      };
      const state = new PersonaState(persona, registration.scope);
      await state.transact(async () => {
        await writeClientProfile(state.store, profile);
        await writeProxySetting(state.store, proxy);
      });
      const session = new PersonaSession(state, profile, options, registration.emit, proxy);
      await session.#storeCertificate(authOk.senderCertificate);
      await session.#uploadPreKeys(connection);
      return session;
    } finally {
      connection?.close();
    }
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
    const current = this.#profile;
    checkRelayUrl(url, { allowInsecureTransport: current.allowInsecureTransport });
    const probe = await RelayConnection.open({
      url,
      allowInsecureTransport: current.allowInsecureTransport,
      pin: { trustRoot: current.trustRoot, relayId: current.relayId },
      ...this.#proxyFor('persona'),
      ...connectionTimeouts(this.#options),
    });
    probe.close();
    this.#checkOpen();
    const state = this.#state;
    const moved: ClientProfileData = { ...current, relayUrl: url };
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
        // A link reconnects only after a connection it had drops: one that never connected would
        // sit idle, and a later start() would take it for a live one.
        link.stop();
        this.#authenticated = undefined;
        throw error;
      }
    }
    this.#outboxSender.kick();
    this.groups.kick();
    if (options.receive) this.#deliveryKeys.kick();
  }

  /**
   * Resolves once the outbox is empty: each message acknowledged (`sent`) or refused for good
   * (`sendFailed`). Rejects with the last transient failure when `timeoutMs` passes first.
   */
  async flushOutbox(timeoutMs: number): Promise<void> {
    this.#checkOpen();
    const deadline = Date.now() + timeoutMs;
    await this.groups.whenPosted(timeoutMs);
    // A pass of the delivery keys under way may queue a contact's key grant: it goes too (a
    // command that syncs and exits would otherwise leave the new contact on the link's key).
    await this.#deliveryKeys.settled(Math.max(1, deadline - Date.now()));
    // Posting may have queued sender keys for the 1:1 outbox.
    await this.#outboxSender.whenDrained(Math.max(1, deadline - Date.now()));
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

  /**
   * A signed invite link to this persona. The link carries a delivery key of its own, registered
   * with the relay (so this needs the relay) with the link's expiry: the relay refuses it once the
   * link expires, even while we are offline, and we revoke it once the link is used up.
   */
  async createInvite(options: { maxUses: number; expiresAt: number }): Promise<CreatedInvite> {
    this.#checkOpen();
    const state = this.#state;
    const inviteId = ownedBytes(randomBytes(INVITE_ID_BYTES));
    // Checked before a key is registered for it (createContactInviteLink checks again).
    if (
      !Number.isSafeInteger(options.expiresAt) ||
      options.expiresAt < 0 ||
      (options.expiresAt !== 0 && options.expiresAt <= Date.now())
    ) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'invalid invite expiry');
    }
    if (!Number.isInteger(options.maxUses) || options.maxUses < 0 || options.maxUses > 0xffffffff) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'invalid invite use limit');
    }
    const key = await this.#deliveryKeys.issue(inviteKeyScope(inviteId), {
      expiresAt: options.expiresAt,
    });
    const { link } = createContactInviteLink(state.persona, {
      card: this.#card(key.key),
      expiresAt: options.expiresAt,
      maxUses: options.maxUses,
      inviteId,
    });
    await state.transact(() =>
      state.invites.record({
        inviteId,
        createdAt: Date.now(),
        expiresAt: options.expiresAt,
        maxUses: options.maxUses,
        uses: 0,
      }),
    );
    return { link, inviteId, expiresAt: options.expiresAt, maxUses: options.maxUses };
  }

  /**
   * Adds a contact from their invite link: verifies the link, fetches their prekey bundle
   * anonymously with their access key, refuses (CORE_IDENTITY_MISMATCH) a bundle that is not for
   * the key the link pins, starts the session, and queues an introduction (our card) as the first
   * message. Call `flushOutbox` to wait until the relay has it.
   */
  async addContact(link: string, options: { alias?: string } = {}): Promise<Contact> {
    this.#checkOpen();
    const state = this.#state;
    const invite = parseContactInviteLink(link);
    const card = invite.card;
    if (card.address === state.persona.address) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'that invite link is your own');
    }
    if (!bytesEqual(card.trustRoot, this.#profile.trustRoot)) {
      throw new CoreError(
        CoreErrorCode.RelayMismatch,
        'the contact uses a different relay; for now contacts must share your relay',
      );
    }
    const alias = options.alias === undefined ? undefined : checkAlias(options.alias);
    await state.transact(async () => {
      if ((await state.contacts.get(card.address)) !== undefined) {
        throw new CoreError(CoreErrorCode.ContactExists, 'that persona is already a contact');
      }
    });
    const connection = await this.#anonymous.connection('lookup');
    const bundle = await connection.request(
      { case: 'fetchPreKeyBundle', value: { address: card.address, accessKey: card.accessKey } },
      'preKeyBundle',
    );
    // The relay hands out the bundle; the link (signed by the person) pins the identity key, and
    // the link's address derives from that key. So a relay substituting its own key, or answering
    // with another persona's bundle, is impersonating the contact: caught here, before any session.
    if (bundle.address !== card.address || !bytesEqual(bundle.identityKey, card.identityKey)) {
      throw new CoreError(
        CoreErrorCode.IdentityMismatch,
        'the relay returned a prekey bundle whose identity key does not match the invite link',
      );
    }
    const signedPreKey = bundle.signedPreKey;
    const kyberPreKey = bundle.kyberPreKey;
    if (signedPreKey === undefined || kyberPreKey === undefined) {
      throw new CoreError(CoreErrorCode.InvalidPreKeyBundle, 'prekey bundle incomplete');
    }
    const contact: Contact = {
      ...card,
      ...(alias === undefined ? {} : { alias }),
      addedAt: Date.now(),
      addedVia: 'link',
    };
    // The key they will write to us with: theirs alone, so blocking them revokes exactly it.
    const ourKey = await this.#deliveryKeys.issue(contactKeyScope(card.address));
    await state.transact(async () => {
      await state.contacts.add(contact);
      await state.cipher.startSession({
        address: bundle.address,
        registrationId: bundle.registrationId,
        identityKey: bundle.identityKey,
        signedPreKey,
        kyberPreKey,
        ...(bundle.preKey === undefined ? {} : { preKey: bundle.preKey }),
      });
      const sequence = await state.history.takeOutgoingSequence(card.address);
      const sentAt = Date.now();
      const messageId = newMessageId();
      const { bytes } = encodeContent({
        messageId,
        sequence,
        sentAt,
        body: {
          case: 'introduction',
          value: { inviteId: invite.inviteId, card: this.#card(ourKey.key) },
        },
      });
      await state.outbox.put({
        messageId,
        recipient: card.address,
        sequence,
        content: bytes,
        enqueuedAt: sentAt,
      });
    });
    await state.store.flush();
    this.#outboxSender.kick();
    return contact;
  }

  async contacts(): Promise<Contact[]> {
    return this.direct.contacts();
  }

  /** A contact by alias or address (CORE_CONTACT_NOT_FOUND otherwise). */
  async contact(reference: string): Promise<Contact> {
    return this.direct.contact(reference);
  }

  /** See {@link DirectSession.send}. */
  async send(
    reference: string,
    text: string,
    options: { replyTo?: Uint8Array; warning?: string } = {},
  ): Promise<HistoryMessage> {
    return this.direct.send(reference, text, options);
  }

  /** See {@link DirectSession.react}. */
  async react(reference: string, messageId: Uint8Array, emoji: string): Promise<HistoryMessage> {
    return this.direct.react(reference, messageId, emoji);
  }

  /** This persona's 1:1 and group texts holding every word of `query`: see SearchIndex.search. */
  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    this.#checkOpen();
    const state = this.#state;
    return state.transact(() => state.search.search(query, options));
  }

  async messages(reference: string): Promise<HistoryEntry[]> {
    return this.direct.messages(reference);
  }

  /** Whether the user marked this contact's identity key verified (no safety number computed). */
  async isVerified(reference: string): Promise<boolean> {
    return this.direct.isVerified(reference);
  }

  async safetyNumber(reference: string): Promise<SafetyNumber & { verified: boolean }> {
    return this.direct.safetyNumber(reference);
  }

  /** See {@link DirectSession.verify}. */
  async verify(reference: string, number: string): Promise<void> {
    return this.direct.verify(reference, number);
  }

  /** See {@link DirectSession.block}. */
  async block(reference: string): Promise<{ contact: Contact; revokedAtRelay: boolean }> {
    return this.direct.block(reference);
  }

  /** See {@link DirectSession.unblock}. */
  async unblock(reference: string): Promise<{ contact: Contact; revokedAtRelay: boolean }> {
    return this.direct.unblock(reference);
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
    clearTimeout(this.#certificateTimer);
    this.#outboxSender.stop();
    this.#deliveryKeys.stop();
    this.#authenticated?.stop();
    this.#anonymous.stop();
    // Let a step already running finish before the vault closes under it.
    await this.#state.transact(() => Promise.resolve());
    await this.#inbound.whenIdle();
    await this.groups.whenIdle();
  }

  #checkOpen(): void {
    if (this.#stopped) throw new CoreError(CoreErrorCode.VaultLocked, 'the client is closed');
  }

  /** Our card, with the delivery key its holder is to write to us with. */
  #card(accessKey: Uint8Array): ContactCardData {
    const persona = this.#state.persona;
    return {
      relayUrl: this.#profile.relayUrl,
      trustRoot: this.#profile.trustRoot,
      address: persona.address,
      identityKey: persona.identityPublicKey,
      accessKey,
      profileKey: persona.profileKey,
      pseudonym: persona.pseudonym,
    };
  }

  /** A connection as this persona (to authenticate) or as no one (anonymous). */
  #open(as: 'persona' | 'anonymous'): Promise<RelayConnection> {
    return RelayConnection.open({
      url: this.#profile.relayUrl,
      allowInsecureTransport: this.#profile.allowInsecureTransport,
      pin: { trustRoot: this.#profile.trustRoot, relayId: this.#profile.relayId },
      ...this.#proxyFor(as),
      ...connectionTimeouts(this.#options),
    });
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
        this.#onPreKeyStatus(connection, status);
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
    await this.#storeCertificate(authOk.senderCertificate);
    if (receive && authOk.preKeyStatus !== undefined) {
      this.#onPreKeyStatus(connection, authOk.preKeyStatus);
    }
    return connection;
  }

  /**
   * The connection group posts and operations go on: both need the persona authenticated, so the
   * relay can enforce membership, mute, registration and quotas. The receiving one when it is up, else a short one of its own.
   */
  async #postingConnection(): Promise<{ connection: RelayConnection; release: () => void }> {
    // The receiving link, up or on its way up: a short connection of our own would be closed by
    // the relay the moment the link authenticates (one connection per persona).
    const link = this.#authenticated;
    if (link !== undefined) {
      return { connection: await link.connection(), release: () => undefined };
    }
    // One short connection shared by whoever needs it at the same time: the relay keeps one
    // authenticated connection per persona and closes the older when another authenticates, so
    // two of our own (a submit and a certificate fetch, say) would cut each other off.
    let shared = this.#shortConnection;
    if (shared === undefined) {
      const opening = this.#openAuthenticated(false);
      shared = { connection: opening, users: 0 };
      this.#shortConnection = shared;
      opening.catch(() => {
        if (this.#shortConnection === shared) this.#shortConnection = undefined;
      });
    }
    const entry = shared;
    entry.users += 1;
    let connection: RelayConnection;
    try {
      connection = await entry.connection;
    } catch (error) {
      entry.users -= 1;
      throw error;
    }
    let released = false;
    return {
      connection,
      release: () => {
        if (released) return;
        released = true;
        entry.users -= 1;
        if (entry.users > 0) return;
        if (this.#shortConnection === entry) this.#shortConnection = undefined;
        connection.close();
      },
    };
  }

  #onPreKeyStatus(connection: RelayConnection, status: PreKeyStatus): void {
    if (!status.low || this.#refillingPreKeys || this.#stopped) return;
    this.#refillingPreKeys = true;
    this.#uploadPreKeys(connection)
      .catch((error: unknown) => {
        // Retried on the next low signal or reconnect; report only what retrying will not fix
        // (listeners such as `kindred listen` stop on an error).
        if (isPassingRelayFailure(error)) return;
        this.#emit('error', toCoreError(error, CoreErrorCode.Internal, 'uploading prekeys'));
      })
      .finally(() => {
        this.#refillingPreKeys = false;
      });
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
        uploadPreKeys: async () => {
          const { connection, release } = await this.#postingConnection();
          try {
            await this.#uploadPreKeys(connection);
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

  /** Generates a signed prekey, a last-resort Kyber key and one-time keys, and uploads them. */
  async #uploadPreKeys(connection: RelayConnection): Promise<void> {
    const count = this.#options.preKeyBatchSize ?? DEFAULT_PREKEY_BATCH;
    const state = this.#state;
    const upload = await state.transact(() =>
      state.cipher.generatePreKeys({ oneTimePreKeys: count, oneTimeKyberPreKeys: count }),
    );
    await connection.request(
      {
        case: 'uploadPreKeys',
        value: {
          signedPreKey: upload.signedPreKey,
          lastResortKyberPreKey: upload.lastResortKyberPreKey,
          oneTimePreKeys: [...upload.oneTimePreKeys],
          oneTimeKyberPreKeys: [...upload.oneTimeKyberPreKeys],
        },
      },
      'ok',
    );
  }

  /** Checks a certificate from the relay against the pinned trust root, stores it, and plans its
   * refresh. */
  async #storeCertificate(certificate: Uint8Array): Promise<Uint8Array> {
    const now = Date.now();
    const facts = checkSenderCertificate(certificate, this.#profile.trustRoot, now);
    if (facts.address !== this.address) {
      throw new CoreError(
        CoreErrorCode.InvalidSenderCertificate,
        'the relay issued a certificate for another address',
      );
    }
    const state = this.#state;
    await state.transact(() =>
      writeSenderCertificate(state.store, { certificate, expiresAt: facts.expiresAt }),
    );
    this.#planCertificateRefresh(facts.expiresAt - now);
    return certificate;
  }

  #planCertificateRefresh(lifetimeMs: number): void {
    clearTimeout(this.#certificateTimer);
    if (this.#authenticated === undefined || this.#stopped) return;
    const delayMs = Math.max(
      1000,
      Math.min(lifetimeMs / 2, lifetimeMs - CERTIFICATE_MIN_REMAINING_MS),
    );
    this.#certificateTimer = setTimeout(
      () => {
        // Only an early refresh: if it fails, the next send fetches a certificate on demand.
        this.#fetchCertificate().catch(() => undefined);
      },
      // setTimeout fires at once for a delay above 2^31 - 1 ms (about 25 days): cap it instead.
      Math.min(delayMs, 2 ** 31 - 1),
    );
    this.#certificateTimer.unref();
  }

  /** A sender certificate valid for a while yet: the cached one, or a fresh one. */
  async #senderCertificate(): Promise<Uint8Array> {
    const state = this.#state;
    const cached = await state.transact(() => readSenderCertificate(state.store));
    if (cached !== undefined && cached.expiresAt - Date.now() > CERTIFICATE_MIN_REMAINING_MS) {
      return cached.certificate;
    }
    return this.#fetchCertificate();
  }

  #fetchCertificate(): Promise<Uint8Array> {
    this.#certificateRequest ??= (async () => {
      const link = this.#authenticated;
      if (link?.isConnected === true) {
        const connection = await link.connection();
        const answer = await connection.request(
          { case: 'getSenderCertificate', value: {} },
          'senderCertificate',
        );
        return this.#storeCertificate(answer.certificate);
      }
      // Not receiving: the short authenticated connection (its handshake stores a certificate).
      // Deliveries it is offered stay unacknowledged and come again on the next receiving one.
      const { release } = await this.#postingConnection();
      release();
      const cached = await this.#state.transact(() => readSenderCertificate(this.#state.store));
      if (cached === undefined) {
        throw new CoreError(CoreErrorCode.InvalidSenderCertificate, 'no sender certificate');
      }
      return cached.certificate;
    })().finally(() => {
      this.#certificateRequest = undefined;
    });
    return this.#certificateRequest;
  }
}

function registrationFor(
  persona: Persona,
  policy: RegistrationPolicy,
  options: {
    relayId: Uint8Array;
    powDifficulty: number;
    accessKey: Uint8Array;
    inviteToken?: Uint8Array;
  },
): RegistrationInit {
  const base = {
    registrationId: persona.registrationId,
    accessKeyHash: accessKeyHash(options.accessKey),
  };
  switch (policy) {
    case RegistrationPolicy.INVITE:
      if (options.inviteToken === undefined) {
        throw new CoreError(
          CoreErrorCode.InvalidInput,
          'this relay admits new personas only with an invite token',
        );
      }
      return { ...base, gate: { case: 'inviteToken', value: options.inviteToken } };
    case RegistrationPolicy.POW:
      return {
        ...base,
        gate: {
          case: 'powNonce',
          value: solveProofOfWork(
            options.relayId,
            persona.identityPublicKey,
            options.powDifficulty,
          ),
        },
      };
    case RegistrationPolicy.OPEN:
    case RegistrationPolicy.UNSPECIFIED:
      return options.inviteToken === undefined
        ? base
        : { ...base, gate: { case: 'inviteToken', value: options.inviteToken } };
    default:
      // Protobuf enums are open: a newer relay may ask for a kind of registration we do not know.
      throw new CoreError(
        CoreErrorCode.BadFrame,
        'the relay asks for a kind of registration this client does not know',
      );
  }
}

/** A lost or busy relay: it goes away by itself, so it is retried, not reported. */
function isPassingRelayFailure(error: unknown): boolean {
  if (RelayRejectedError.isRelayRejection(error)) {
    return (
      error.relayCode === RelayErrorCode.RateLimited ||
      error.relayCode === RelayErrorCode.Unavailable
    );
  }
  return (
    CoreError.is(error, CoreErrorCode.RelayUnreachable) ||
    CoreError.is(error, CoreErrorCode.RelayTimeout)
  );
}

function connectionTimeouts(options: KindredClientOptions): {
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
} {
  return {
    ...(options.connectTimeoutMs === undefined
      ? {}
      : { connectTimeoutMs: options.connectTimeoutMs }),
    ...(options.requestTimeoutMs === undefined
      ? {}
      : { requestTimeoutMs: options.requestTimeoutMs }),
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Names the persona in each event its parts report, and passes it on to the client. */
function namingPersona(persona: string, emit: EmitTaggedEvent): EmitClientEvent {
  const forward: { [K in keyof PersonaEvents]: (value: PersonaEvents[K]) => void } = {
    message: (value) => {
      emit('message', { ...value, persona });
    },
    gap: (value) => {
      emit('gap', { ...value, persona });
    },
    contactAdded: (value) => {
      emit('contactAdded', { ...value, persona });
    },
    sent: (value) => {
      emit('sent', { ...value, persona });
    },
    sendFailed: (value) => {
      emit('sendFailed', { ...value, persona });
    },
    reaction: (value) => {
      emit('reaction', { ...value, persona });
    },
    identityMismatch: (value) => {
      emit('identityMismatch', { ...value, persona });
    },
    dropped: (value) => {
      emit('dropped', { ...value, persona });
    },
    connection: (connected) => {
      emit('personaConnection', { persona, connected });
    },
    error: (error) => {
      emit('error', error);
    },
    groupMessage: (value) => {
      emit('groupMessage', { ...value, persona });
    },
    groupReaction: (value) => {
      emit('groupReaction', { ...value, persona });
    },
    groupOperation: (value) => {
      emit('groupOperation', { ...value, persona });
    },
    groupWarning: (value) => {
      emit('groupWarning', { ...value, persona });
    },
    groupReport: (value) => {
      emit('groupReport', { ...value, persona });
    },
    groupSent: (value) => {
      emit('groupSent', { ...value, persona });
    },
    groupSendFailed: (value) => {
      emit('groupSendFailed', { ...value, persona });
    },
    groupKey: (value) => {
      emit('groupKey', { ...value, persona });
    },
  };
  return (event, value) => {
    forward[event](value);
  };
}
