import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { bytesEqual, ownedBytes } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { Persona, PersonaInfo } from '../persona/Persona.js';
import { PersonaDirectory } from '../persona/PersonaDirectory.js';
import { ACCESS_KEY_BYTES } from '../protocol/frames.js';
import type { AuthOk, PreKeyStatus } from '../protocol/gen/kindred_pb.js';
import { RegistrationPolicy } from '../protocol/gen/kindred_pb.js';
import { RelayErrorCode } from '../protocol/RelayErrorCode.js';
import { accessKeyHash, solveProofOfWork } from '../protocol/relayAuth.js';
import { checkSenderCertificate } from '../sealed/SenderCertificateIssuer.js';
import { toCoreError } from '../signal/signalErrors.js';
import type { SafetyNumber } from '../signal/signalTypes.js';
import type { KdfProfile } from '../vault/KdfParams.js';
import { Vault } from '../vault/Vault.js';
import type { BackoffOptions } from './Backoff.js';
import type { ClientProfileData } from './ClientProfile.js';
import {
  readClientProfile,
  readSenderCertificate,
  writeClientProfile,
  writeSenderCertificate,
} from './ClientProfile.js';
import type { KindredClientEvents } from './clientEvents.js';
import type { Contact } from './ContactBook.js';
import { checkAlias } from './ContactBook.js';
import type { ContactCardData } from './contactCard.js';
import { createContactInviteLink, parseContactInviteLink } from './ContactInviteLink.js';
import { MAX_TEXT_LENGTH, encodeContent, newMessageId } from './contentCodec.js';
import { InboundProcessor } from './InboundProcessor.js';
import type { HistoryEntry, HistoryMessage } from './MessageHistory.js';
import { OutboxSender } from './OutboxSender.js';
import { PersonaState } from './PersonaState.js';
import type { RegistrationInit } from './RelayConnection.js';
import { RelayConnection } from './RelayConnection.js';
import { RelayLink } from './RelayLink.js';
import { RelayRejectedError } from './RelayRejectedError.js';
import { checkRelayUrl } from './relayUrl.js';
import { TypedEmitter } from './TypedEmitter.js';

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
}

export interface KindredInitOptions extends KindredClientOptions {
  /** The vault folder (created; it must be missing or empty). */
  readonly home: string;
  readonly passphrase: string;
  readonly pseudonym: string;
  readonly relayUrl: string;
  /** Operator-signed token, base64url decoded, for relays that register by invite. */
  readonly inviteToken?: Uint8Array;
  readonly kdf?: KdfProfile;
  readonly allowInsecureTransport?: boolean;
}

export interface KindredOpenOptions extends KindredClientOptions {
  readonly home: string;
  readonly passphrase: string;
}

/** Who this client is, for display. */
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

/** A sender certificate is replaced when less than this much of its life is left. */
const CERTIFICATE_MIN_REMAINING_MS = 10 * 60 * 1000;
const DEFAULT_PREKEY_BATCH = 100;

/**
 * The headless Kindred client over one vault (one home folder) and its selected persona: the
 * relay pinned on first use, contacts made through signed invite links, a durable outbox, message
 * history with dedupe and gap markers, safety numbers. All state is in the vault.
 *
 * Two links to the relay: an authenticated one that receives this persona's mailbox and keeps its
 * prekeys and sender certificate fresh, and an anonymous one that fetches contacts' prekey bundles
 * and carries every outgoing sealed envelope, so the relay never links a sender to a recipient.
 */
export class KindredClient extends TypedEmitter<KindredClientEvents> {
  readonly #vault: Vault;
  readonly #state: PersonaState;
  readonly #profile: ClientProfileData;
  readonly #options: KindredClientOptions;
  readonly #anonymous: RelayLink;
  readonly #outboxSender: OutboxSender;
  readonly #inbound: InboundProcessor;
  #authenticated: RelayLink | undefined;
  #certificateRequest: Promise<Uint8Array> | undefined;
  #certificateTimer: NodeJS.Timeout | undefined;
  #refillingPreKeys = false;
  #closed = false;

  private constructor(
    vault: Vault,
    state: PersonaState,
    profile: ClientProfileData,
    options: KindredClientOptions,
  ) {
    super();
    this.#vault = vault;
    this.#state = state;
    this.#profile = profile;
    this.#options = options;
    const emit = this.emit.bind(this);
    this.#anonymous = new RelayLink({
      persistent: false,
      connect: () => this.#open(),
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    });
    this.#inbound = new InboundProcessor(state, profile.trustRoot, emit);
    this.#outboxSender = new OutboxSender({
      state,
      link: this.#anonymous,
      senderCertificate: () => this.#senderCertificate(),
      dropSenderCertificate: () =>
        state.transact(() => state.store.delete('client/sender-certificate')),
      emit,
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    });
  }

  /**
   * Creates the vault and a persona, pins the relay from its first challenge (trust on first
   * use), registers with proof of work or an invite token, and uploads prekeys. All or nothing:
   * on failure the new vault folder is removed again.
   */
  static async init(options: KindredInitOptions): Promise<KindredClient> {
    const allowInsecureTransport = options.allowInsecureTransport ?? false;
    checkRelayUrl(options.relayUrl, { allowInsecureTransport });
    const homeExisted = await folderExists(options.home);
    const vault = await Vault.create(
      options.home,
      options.passphrase,
      options.kdf === undefined ? {} : { kdf: options.kdf },
    );
    let connection: RelayConnection | undefined;
    try {
      const directory = new PersonaDirectory(vault);
      const persona = await directory.create(options.pseudonym);
      const connect = (): Promise<RelayConnection> =>
        RelayConnection.open({
          url: options.relayUrl,
          allowInsecureTransport,
          ...connectionTimeouts(options),
        });
      // The first challenge tells us the relay and its registration policy. Proof of work is
      // bound to the relay and our key, not to a connection, so it is solved with no connection
      // open: solving it may take longer than the relay's handshake deadline.
      const first = await connect();
      const challenge = first.challenge;
      first.close();
      const accessKey = ownedBytes(randomBytes(ACCESS_KEY_BYTES));
      const registration = registrationFor(persona, challenge.registration, {
        relayId: challenge.relayId,
        powDifficulty: challenge.powDifficulty,
        accessKey,
        ...(options.inviteToken === undefined ? {} : { inviteToken: options.inviteToken }),
      });
      connection = await connect();
      if (
        !bytesEqual(connection.challenge.relayId, challenge.relayId) ||
        !bytesEqual(connection.challenge.trustRoot, challenge.trustRoot)
      ) {
        throw new CoreError(CoreErrorCode.RelayMismatch, 'the relay changed identity during init');
      }
      const authOk = await connection.authenticate(persona, registration);
      const profile: ClientProfileData = {
        relayUrl: options.relayUrl,
        trustRoot: ownedBytes(challenge.trustRoot),
        relayId: ownedBytes(challenge.relayId),
        allowInsecureTransport,
        accessKey,
        registeredAt: Date.now(),
      };
      const state = new PersonaState(persona, directory.dataFor(persona.address));
      await state.transact(() => writeClientProfile(state.store, profile));
      const client = new KindredClient(vault, state, profile, options);
      await client.#storeCertificate(authOk.senderCertificate);
      await client.#uploadPreKeys(connection);
      connection.close();
      return client;
    } catch (error) {
      connection?.close();
      await vault.lock();
      await removeVaultFolder(options.home, homeExisted);
      throw error;
    }
  }

  /** Unlocks the vault at `home` and loads its selected persona. */
  static async open(options: KindredOpenOptions): Promise<KindredClient> {
    const vault = await Vault.open(options.home, options.passphrase);
    try {
      const directory = new PersonaDirectory(vault);
      const persona = await directory.selected();
      if (persona === undefined) {
        throw new CoreError(CoreErrorCode.PersonaNotFound, 'the vault holds no persona');
      }
      const state = new PersonaState(persona, directory.dataFor(persona.address));
      const profile = await state.transact(() => readClientProfile(state.store));
      return new KindredClient(vault, state, profile, options);
    } catch (error) {
      await vault.lock();
      throw error;
    }
  }

  get address(): string {
    return this.#state.persona.address;
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
  async start(options: { receive: boolean }): Promise<void> {
    this.#checkOpen();
    if (options.receive && this.#authenticated === undefined) {
      const link = new RelayLink({
        persistent: true,
        connect: () => this.#openAuthenticated(true),
        ...(this.#options.backoff === undefined ? {} : { backoff: this.#options.backoff }),
        ...(this.#options.keepAliveMs === undefined
          ? {}
          : { keepAliveMs: this.#options.keepAliveMs }),
      });
      link.on('connected', () => {
        this.#inbound.touch();
        this.emit('connection', true);
        this.#outboxSender.kick();
      });
      link.on('disconnected', () => {
        if (!this.#closed) this.emit('connection', false);
      });
      link.on('fatal', (error) => {
        this.emit('error', error);
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
  }

  /**
   * Resolves once the outbox is empty: each message acknowledged (`sent`) or refused for good
   * (`sendFailed`). Rejects with the last transient failure when `timeoutMs` passes first.
   */
  flushOutbox(timeoutMs: number): Promise<void> {
    this.#checkOpen();
    return this.#outboxSender.whenDrained(timeoutMs);
  }

  /**
   * Resolves once no envelope has arrived for `quietMs` and all received ones are stored, or once
   * `timeoutMs` has passed (a mailbox that never goes quiet must not hold a caller forever).
   */
  async whenInboxQuiet(quietMs: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.#inbound.whenIdle();
      const quietFor = Date.now() - this.#inbound.lastActivity;
      if (quietFor >= quietMs && this.#inbound.isIdle) return;
      if (Date.now() >= deadline) return;
      // Sleep until the quiet period would end (a little past it, so the next check passes).
      await delay(Math.min(quietMs - quietFor, Math.max(0, deadline - Date.now())) + 5);
    }
  }

  /** A signed invite link to this persona. */
  async createInvite(options: { maxUses: number; expiresAt: number }): Promise<CreatedInvite> {
    this.#checkOpen();
    const state = this.#state;
    const { link, inviteId } = createContactInviteLink(state.persona, {
      card: this.#card(),
      expiresAt: options.expiresAt,
      maxUses: options.maxUses,
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
    const connection = await this.#anonymous.connection();
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
          value: { inviteId: invite.inviteId, card: this.#card() },
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
    this.#checkOpen();
    return this.#state.transact(() => this.#state.contacts.list());
  }

  /** A contact by alias or address (CORE_CONTACT_NOT_FOUND otherwise). */
  async contact(reference: string): Promise<Contact> {
    this.#checkOpen();
    return this.#state.transact(() => this.#state.contacts.resolve(reference));
  }

  /**
   * Writes a text to a contact: stored in history and in the outbox first, then sent in the
   * background until the relay acknowledges it (`sent`) or refuses it for good (`sendFailed`).
   */
  async send(reference: string, text: string): Promise<HistoryMessage> {
    this.#checkOpen();
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TEXT_LENGTH) {
      throw new CoreError(
        CoreErrorCode.InvalidInput,
        `a message has 1 to ${MAX_TEXT_LENGTH} characters`,
      );
    }
    const state = this.#state;
    const message = await state.transact(async () => {
      const contact = await state.contacts.resolve(reference);
      const sentAt = Date.now();
      const messageId = newMessageId();
      const entry = await state.history.appendOutgoing(contact.address, {
        messageId,
        sentAt,
        text,
      });
      const { bytes } = encodeContent({
        messageId,
        sequence: entry.sequence,
        sentAt,
        body: { case: 'text', value: { body: text } },
      });
      await state.outbox.put({
        messageId,
        recipient: contact.address,
        sequence: entry.sequence,
        content: bytes,
        enqueuedAt: sentAt,
        historyIndex: entry.index,
      });
      return entry;
    });
    await state.store.flush();
    this.#outboxSender.kick();
    return message;
  }

  async messages(reference: string): Promise<HistoryEntry[]> {
    this.#checkOpen();
    const state = this.#state;
    return state.transact(async () => {
      const contact = await state.contacts.resolve(reference);
      return state.history.list(contact.address);
    });
  }

  /** Whether the user marked this contact's identity key verified (no safety number computed). */
  async isVerified(reference: string): Promise<boolean> {
    this.#checkOpen();
    const state = this.#state;
    return state.transact(async () => {
      const contact = await state.contacts.resolve(reference);
      return (await state.cipher.remoteIdentity(contact.address))?.verified ?? false;
    });
  }

  async safetyNumber(reference: string): Promise<SafetyNumber & { verified: boolean }> {
    this.#checkOpen();
    const state = this.#state;
    return state.transact(async () => {
      const contact = await state.contacts.resolve(reference);
      const number = await state.cipher.safetyNumber(contact.address);
      const remote = await state.cipher.remoteIdentity(contact.address);
      return { ...number, verified: remote?.verified ?? false };
    });
  }

  /**
   * Marks a contact verified when `number` (spaces ignored) equals the safety number computed
   * here; CORE_SAFETY_NUMBER_MISMATCH otherwise, and nothing changes.
   */
  async verify(reference: string, number: string): Promise<void> {
    this.#checkOpen();
    const state = this.#state;
    await state.transact(async () => {
      const contact = await state.contacts.resolve(reference);
      const computed = await state.cipher.safetyNumber(contact.address);
      if (number.replace(/\s+/g, '') !== computed.digits) {
        throw new CoreError(
          CoreErrorCode.SafetyNumberMismatch,
          'the safety number does not match; do not trust this contact yet',
        );
      }
      await state.cipher.setVerified(contact.address, true);
    });
  }

  /** Stops all connections and locks the vault. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#certificateTimer);
    this.#outboxSender.stop();
    this.#authenticated?.stop();
    this.#anonymous.stop();
    // Let a step already running finish before the vault closes under it.
    await this.#state.transact(() => Promise.resolve());
    await this.#inbound.whenIdle();
    await this.#vault.lock();
    this.removeAll();
  }

  #checkOpen(): void {
    if (this.#closed) throw new CoreError(CoreErrorCode.VaultLocked, 'the client is closed');
  }

  #card(): ContactCardData {
    const persona = this.#state.persona;
    return {
      relayUrl: this.#profile.relayUrl,
      trustRoot: this.#profile.trustRoot,
      address: persona.address,
      identityKey: persona.identityPublicKey,
      accessKey: this.#profile.accessKey,
      profileKey: persona.profileKey,
      pseudonym: persona.pseudonym,
    };
  }

  #open(): Promise<RelayConnection> {
    return RelayConnection.open({
      url: this.#profile.relayUrl,
      allowInsecureTransport: this.#profile.allowInsecureTransport,
      pin: { trustRoot: this.#profile.trustRoot, relayId: this.#profile.relayId },
      ...connectionTimeouts(this.#options),
    });
  }

  /**
   * An authenticated connection. With `receive`, deliveries are processed and prekeys topped up;
   * without, it only serves to fetch a sender certificate and deliveries are left for later.
   */
  async #openAuthenticated(receive: boolean): Promise<RelayConnection> {
    const connection = await this.#open();
    if (receive) {
      connection.on('deliver', (delivery) => {
        this.#inbound.enqueue(delivery, connection);
      });
      connection.on('preKeyStatus', (status) => {
        this.#onPreKeyStatus(connection, status);
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

  #onPreKeyStatus(connection: RelayConnection, status: PreKeyStatus): void {
    if (!status.low || this.#refillingPreKeys || this.#closed) return;
    this.#refillingPreKeys = true;
    this.#uploadPreKeys(connection)
      .catch((error: unknown) => {
        // Retried on the next low signal or reconnect; report only what retrying will not fix
        // (listeners such as `kindred listen` stop on an error).
        if (isPassingRelayFailure(error)) return;
        this.emit('error', toCoreError(error, CoreErrorCode.Internal, 'uploading prekeys'));
      })
      .finally(() => {
        this.#refillingPreKeys = false;
      });
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
    if (this.#authenticated === undefined || this.#closed) return;
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
      // Not receiving: a short authenticated connection just for the certificate. Deliveries it
      // is offered stay unacknowledged and come again on the next receiving connection.
      const connection = await this.#openAuthenticated(false);
      connection.close();
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

async function folderExists(dir: string): Promise<boolean> {
  try {
    await readdir(dir);
    return true;
  } catch {
    return false;
  }
}

/** Undoes a failed init: removes the folder we created, or empties the one that was empty. */
async function removeVaultFolder(dir: string, existed: boolean): Promise<void> {
  try {
    if (!existed) {
      await rm(dir, { recursive: true, force: true });
      return;
    }
    for (const entry of await readdir(dir)) {
      await rm(path.join(dir, entry), { recursive: true, force: true });
    }
    await mkdir(dir, { recursive: true });
  } catch {
    // Best effort: the original error matters more than a leftover folder.
  }
}
