import { bytesEqual } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { GroupHandle } from './groups/GroupHandle.js';
import type { GroupSummary } from './groups/GroupReading.js';
import { VaultFacilitators } from './facilitators/VaultFacilitators.js';
import type { GroupCreateOptions } from './groups/GroupSession.js';
import type { GroupPreview } from './groups/GroupPreview.js';
import { findGroup } from './groups/findGroup.js';
import { PersonaDirectory } from '../persona/PersonaDirectory.js';
import type { SafetyNumber } from '../signal/signalTypes.js';
import type { KdfProfile } from '../vault/KdfParams.js';
import { Vault } from '../vault/Vault.js';
import type { BackupProgress, BackupProtection, BackupResult } from '../backup/VaultBackup.js';
import { writeVaultBackup } from '../backup/VaultBackup.js';
import type { EmitTaggedEvent, KindredClientEmits } from './clientEvents.js';
import type { Contact } from './ContactBook.js';
import type { LocalData } from './LocalData.js';
import { VaultLocalData } from './LocalData.js';
import type { HistoryEntry, HistoryMessage } from './direct/MessageHistory.js';
import type { SearchHit, SearchOptions } from './search/SearchIndex.js';
import { SEARCH_LIMIT_DEFAULTS } from './search/SearchIndex.js';
import type {
  ClientIdentity,
  CreatedInvite,
  FlushOptions,
  KindredClientOptions,
} from './PersonaSession.js';
import { PersonaSession } from './PersonaSession.js';
import type { CreatePersonaOptions, GroupPersonaChoice } from './PersonaCreation.js';
import { PersonaCreation } from './PersonaCreation.js';
import { checkRelayUrl } from './relayUrl.js';
import type { InviteUse } from './inviteUse.js';
import { inviteUseOf } from './inviteUseOf.js';
import { ConnectSchedule } from './ConnectSchedule.js';
import { parseProxyUrl } from './SocksProxy.js';
import { TypedEmitter } from './TypedEmitter.js';
import { tunables } from './clientOptions.js';
import { folderExists, removeVaultFolder } from './vaultFolder.js';
import type { AttachmentRef } from './attachments/AttachmentTransfers.js';
import type { DirectSendOptions } from './direct/DirectSession.js';
import { sweepAttachmentLeftovers } from './attachments/attachmentLeftovers.js';
import { Journals } from './journal/Journals.js';
import { OtherRelayLinks } from './OtherRelayLinks.js';
import type { LinkedRelay } from './personaRelays.js';
import type { AddContactOptions, JoinGroupOptions, LinkPersonasHost } from './linkPersonas.js';
import { addContactFromLink, joinGroupFromLink, previewGroupLink } from './linkPersonas.js';
import { Directory } from './directory/Directory.js';
import { ScopedKeyValueStore } from '../storage/ScopedKeyValueStore.js';

export type { CreatePersonaOptions, GroupPersonaChoice } from './PersonaCreation.js';
export type { AddContactOptions, JoinGroupOptions } from './linkPersonas.js';
export type { InviteStanding, InviteUse } from './inviteUse.js';

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
  /**
   * A SOCKS5 proxy, `socks5://host:port` (Tor, say), for every connection from registration on;
   * stored in the vault, and each persona presents credentials of its own (see setProxy).
   */
  readonly proxy?: string;
}

export interface KindredOpenOptions extends KindredClientOptions {
  readonly home: string;
  readonly passphrase: string;
}

/** How the client starts; see {@link KindredClient.start}. */
export interface ClientStartOptions {
  /** Authenticate and take each persona's mailbox; without, only send what waits. */
  readonly receive: boolean;
  /**
   * The persona the user looks at or acts as (an address): it connects at once. Default: the
   * main (selected) persona.
   */
  readonly focus?: string;
  /**
   * Whether the other personas start too, each after its own random delay (see ConnectSchedule).
   * A one-shot command acting as one persona says false: the others then stay offline. Default
   * true.
   */
  readonly others?: boolean;
}

/**
 * The headless Kindred client over one vault (one home folder). It runs one PersonaSession per
 * persona in the vault that is registered with a relay, each with its own keys, its own
 * connections and its own connect schedule (see `start`). The selected persona is the *main*
 * session: the 1:1 API here (`send`, `addContact`, ...) acts as it, so a client with one persona
 * works as it always did. Further personas (`createPersona`) let a person appear as someone else,
 * say in a group, without the relay being able to link the two by keys, persona addresses or a
 * lockstep start. By IP address it can, unless a SOCKS5 proxy such as Tor is set (`setProxy`).
 *
 * Events from every session reach this client's listeners, each naming its persona; see
 * {@link KindredClientEmits}.
 */
export class KindredClient extends TypedEmitter<KindredClientEmits> {
  readonly #vault: Vault;
  readonly #options: KindredClientOptions;
  readonly #mainAddress: string;
  /** Every runnable persona's session, by address, the main one first. */
  readonly #sessions = new Map<string, PersonaSession>();
  /** Adds personas; close() lets creations under way finish before it stops the sessions. */
  readonly #personas: PersonaCreation;
  /** How the client was started (and how a session created later starts), if it was. */
  #started: { receive: boolean } | undefined;
  /** Sessions started, or waiting for their scheduled start (by address). */
  readonly #startedSessions = new Set<string>();
  /** Sessions waiting for their start: close() ends each wait (and the session stays stopped). */
  readonly #startWaits = new Set<() => void>();
  readonly #schedule: ConnectSchedule;
  #closed = false;
  readonly #localData: LocalData;
  /** Anonymous connections to relays no persona here is registered with (previews). */
  readonly #otherRelays: OtherRelayLinks;
  /** What acting on a group or contact link needs (see linkPersonas.ts). */
  readonly #linkHost: LinkPersonasHost;
  #directory: Directory | undefined;

  /** Passes a session's event on to listeners; the main persona's link also as `connection`. */
  readonly #fromSessions: EmitTaggedEvent = (event, value) => {
    this.emit(event, value);
    if (event === 'personaConnection') {
      // `event` narrows, but TypeScript does not narrow `value` with it.
      const { persona, connected } = value as KindredClientEmits['personaConnection'];
      if (persona === this.#mainAddress) this.emit('connection', connected);
    }
  };

  private constructor(
    vault: Vault,
    directory: PersonaDirectory,
    mainAddress: string,
    options: KindredClientOptions,
  ) {
    super();
    this.#vault = vault;
    this.#mainAddress = mainAddress;
    this.#options = options;
    this.#schedule = new ConnectSchedule(options.connectSchedule);
    this.#localData = new VaultLocalData(vault, () => {
      this.#checkOpen();
    });
    this.#personas = new PersonaCreation({
      vault,
      directory,
      options,
      sessions: this.#sessions,
      emit: this.#fromSessions,
      mainSession: () => this.mainSession,
      startedAs: () => this.#started,
      started: (address) => this.#startedSessions.add(address),
      checkOpen: () => {
        this.#checkOpen();
      },
    });
    this.#otherRelays = new OtherRelayLinks({
      allowInsecureTransport: () => this.mainSession.relay.allowInsecureTransport,
      proxyUrl: () => this.mainSession.proxyUrl,
      options,
      ...(options.anonymousIdleMs === undefined ? {} : { idleCloseMs: options.anonymousIdleMs }),
      ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    });
    this.#linkHost = {
      personas: this.#personas,
      sessions: () => this.sessions(),
      main: () => this.mainSession,
      otherRelays: this.#otherRelays,
    };
  }

  /**
   * Creates the vault and a persona, pins the relay from its first challenge (trust on first
   * use), registers with proof of work or an invite token, and uploads prekeys. All or nothing:
   * on failure the new vault folder is removed again.
   */
  static async init(options: KindredInitOptions): Promise<KindredClient> {
    const allowInsecureTransport = options.allowInsecureTransport ?? false;
    checkRelayUrl(options.relayUrl, { allowInsecureTransport });
    if (options.proxy !== undefined) parseProxyUrl(options.proxy);
    new ConnectSchedule(options.connectSchedule);
    const homeExisted = await folderExists(options.home);
    const vault = await Vault.create(
      options.home,
      options.passphrase,
      options.kdf === undefined ? {} : { kdf: options.kdf },
    );
    try {
      const directory = new PersonaDirectory(vault);
      const persona = await directory.create(options.pseudonym);
      const client = new KindredClient(vault, directory, persona.address, {
        ...tunables(options),
        vaultFolder: options.home,
      });
      const session = await PersonaSession.register({
        persona,
        scope: directory.dataFor(persona.address),
        relay: { url: options.relayUrl, allowInsecureTransport },
        ...(options.inviteToken === undefined ? {} : { inviteToken: options.inviteToken }),
        ...(options.proxy === undefined ? {} : { proxyUrl: options.proxy }),
        options: client.#options,
        emit: client.#fromSessions,
      });
      client.#sessions.set(persona.address, session);
      return client;
    } catch (error) {
      await vault.lock();
      await removeVaultFolder(options.home, homeExisted);
      throw error;
    }
  }

  /**
   * Unlocks the vault at `home` and loads a session for each of its personas registered with a
   * relay; the selected persona is the main one. A persona never set up for a relay (a vault from
   * before there were several) is left out, unless it is the selected one:
   * CORE_PERSONA_NOT_FOUND then.
   */
  static async open(options: KindredOpenOptions): Promise<KindredClient> {
    const vault = await Vault.open(options.home, options.passphrase);
    try {
      // A crashed upload's cleaned plaintext copy goes before anything else runs.
      await sweepAttachmentLeftovers(options.home);
      const directory = new PersonaDirectory(vault);
      const main = await directory.selected();
      if (main === undefined) {
        throw new CoreError(CoreErrorCode.PersonaNotFound, 'the vault holds no persona');
      }
      const client = new KindredClient(vault, directory, main.address, {
        ...tunables(options),
        vaultFolder: options.home,
      });
      const personas = [main];
      for (const info of await directory.list()) {
        if (info.address !== main.address) personas.push(await directory.get(info.address));
      }
      for (const persona of personas) {
        const session = await PersonaSession.load(
          persona,
          directory.dataFor(persona.address),
          client.#options,
          client.#fromSessions,
        );
        if (session !== undefined) {
          client.#sessions.set(persona.address, session);
        } else if (persona === main) {
          throw new CoreError(
            CoreErrorCode.PersonaNotFound,
            'this persona is not set up for a relay',
          );
        }
      }
      return client;
    } catch (error) {
      await vault.lock();
      throw error;
    }
  }

  /** The main persona's address. */
  get address(): string {
    return this.#mainAddress;
  }

  /** The main persona, for display. */
  whoami(): ClientIdentity {
    return this.mainSession.whoami();
  }

  /** The selected persona's session: the one the 1:1 API of this class acts as. */
  get mainSession(): PersonaSession {
    return this.session(this.#mainAddress);
  }

  /** The session of the persona at `address` (CORE_PERSONA_NOT_FOUND if this client runs none). */
  session(address: string): PersonaSession {
    const found = this.#sessions.get(address);
    if (found === undefined) throw new CoreError(CoreErrorCode.PersonaNotFound, 'no such persona');
    return found;
  }

  /** Every persona session this client runs, the main one first, then oldest first. */
  sessions(): PersonaSession[] {
    return [...this.#sessions.values()];
  }

  /**
   * Adds a persona to the vault and registers it with the main persona's relay (its pinned trust
   * root and relay id), or with `relayUrl` (pinned on first use; see CreatePersonaOptions), by
   * proof of work or, on a relay that registers by invite, `inviteToken`, with
   * keys, access key and prekeys of its own: to the relay it is an unrelated newcomer. Starts it
   * when the client is started. All or nothing: on failure the persona is deleted from the vault
   * again (a relay that had registered it keeps an unused registration).
   *
   * Without a token on an invite-only relay: CORE_INVALID_INPUT, and nothing is left behind.
   */
  async createPersona(
    pseudonym: string,
    options: CreatePersonaOptions = {},
  ): Promise<PersonaSession> {
    return this.#personas.create(pseudonym, options);
  }

  /**
   * Starts the sessions (see {@link PersonaSession.start}), each on its own schedule so the relay
   * does not see a person's personas connect together: the persona in focus (default: the main one) at
   * once, every other one (unless `others` is false) after a random delay of its own drawn from
   * the connect schedule, at least its minimum (5 s by default) after the one in focus. Personas
   * other than the one in focus also wait a fresh random delay before each reconnect after a drop.
   * A persona created later starts at once: it has just registered, as itself.
   *
   * Resolves once every session has had its attempt, the delayed ones included; rejects at once
   * when the persona in focus cannot reach the relay (the others keep their schedule), else with
   * the first failure of another. Calling it again starts what is not running yet (each persona
   * not in focus after a new delay of its own).
   */
  async start(options: ClientStartOptions): Promise<void> {
    this.#checkOpen();
    const focus = this.session(options.focus ?? this.#mainAddress);
    this.#started = { receive: options.receive || (this.#started?.receive ?? false) };
    const receive = options.receive;
    this.#startedSessions.add(focus.address);
    const first = focus.start({ receive });
    const later: Promise<void>[] = [];
    if (options.others !== false) {
      for (const session of this.sessions()) {
        if (session === focus) continue;
        this.#startedSessions.add(session.address);
        later.push(this.#startLater(session, receive));
      }
    }
    // Taken care of now, so a failure of one of them while we wait for the first is not lost.
    const laterSettled = Promise.allSettled(later);
    await first;
    for (const result of await laterSettled) {
      if (result.status === 'rejected') throw result.reason;
    }
  }

  /** Starts a session not in focus after its own random delay. */
  async #startLater(session: PersonaSession, receive: boolean): Promise<void> {
    const schedule = this.#schedule;
    if (!schedule.isImmediate) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.#startWaits.delete(done);
          resolve();
        };
        const timer = setTimeout(done, schedule.nextDelayMs());
        this.#startWaits.add(done);
      });
    }
    if (this.#closed || !this.#sessions.has(session.address)) return;
    await session.start({
      receive,
      ...(schedule.isImmediate ? {} : { reconnectDelayMs: () => schedule.nextDelayMs() }),
    });
  }

  /**
   * Resolves once the outbox of every started session is empty (every session's, when the client
   * was never started): each message acknowledged (`sent`) or refused for good (`sendFailed`). A
   * session the client has not started sends nothing here, so a one-shot command acting as one
   * persona does not bring the others online. Rejects with a transient failure when `timeoutMs`
   * passes first.
   */
  async flushOutbox(timeoutMs: number, options: FlushOptions = {}): Promise<void> {
    this.#checkOpen();
    const sessions =
      this.#started === undefined
        ? this.sessions()
        : this.sessions().filter((session) => this.#startedSessions.has(session.address));
    await settleAll(sessions.map((session) => session.flushOutbox(timeoutMs, options)));
  }

  /** The SOCKS5 proxy the main persona connects through (`socks5://host:port`), if any. */
  get proxyUrl(): string | undefined {
    return this.mainSession.proxyUrl;
  }

  /**
   * Sets (or, with `undefined`, clears) the SOCKS5 proxy of every persona in this vault, and of
   * each created later: `socks5://host:port`. Each persona gets credentials of its own, so Tor
   * (IsolateSOCKSAuth, on by default) gives each its own circuit and exit address; anonymous
   * connections present fresh credentials each. Stored in the vault; connections are opened
   * afresh. CORE_INVALID_INPUT for another kind of address (nothing changes then).
   */
  async setProxy(url: string | undefined): Promise<void> {
    this.#checkOpen();
    if (url !== undefined) parseProxyUrl(url);
    for (const session of this.sessions()) await session.setProxy(url);
  }

  /**
   * Resolves once no session has received an envelope for `quietMs` and all received ones are
   * stored, or once `timeoutMs` has passed.
   */
  async whenInboxQuiet(quietMs: number, timeoutMs: number): Promise<void> {
    await Promise.all(this.sessions().map((session) => session.whenInboxQuiet(quietMs, timeoutMs)));
  }

  /** A signed invite link to the main persona. */
  createInvite(options: { maxUses: number; expiresAt: number }): Promise<CreatedInvite> {
    return this.mainSession.createInvite(options);
  }

  /** Where an invite link one of this vault's personas made stands: see inviteUseOf. */
  inviteUse(link: string): Promise<InviteUse> {
    this.#checkOpen();
    return inviteUseOf(this.sessions(), link);
  }

  /**
   * Adds a contact from their contact link (see {@link PersonaSession.addContact}): to the main
   * persona when the link is of its relay, else to a fresh persona registered with the link's
   * relay (named `pseudonym`, else generated; `inviteToken` where that relay registers by
   * invite), so sealed sender runs under that relay's trust root. `persona` chooses instead: the
   * main one or one of the vault's by address, which must be registered with the link's relay
   * (CORE_RELAY_MISMATCH otherwise). The contact names the persona that holds it; a fresh persona
   * whose contact was refused is removed again.
   */
  async addContact(
    link: string,
    options: AddContactOptions = {},
  ): Promise<Contact & { readonly persona: string }> {
    this.#checkOpen();
    return addContactFromLink(this.#linkHost, link, options);
  }

  /** The main persona's contacts. */
  contacts(): Promise<Contact[]> {
    return this.mainSession.direct.contacts();
  }

  /** A contact of the main persona by alias or address (CORE_CONTACT_NOT_FOUND otherwise). */
  contact(reference: string): Promise<Contact> {
    return this.mainSession.direct.contact(reference);
  }

  /** Writes a text (or a reply) to a contact as the main persona: see {@link PersonaSession.send}. */
  send(reference: string, text: string, options: DirectSendOptions = {}): Promise<HistoryMessage> {
    return this.mainSession.direct.send(reference, text, options);
  }

  /** Saves a decrypted attachment of the main persona: see {@link PersonaSession.saveAttachment}. */
  saveAttachment(ref: AttachmentRef, n: number, outPath: string): Promise<void> {
    return this.mainSession.saveAttachment(ref, n, outPath);
  }

  /** Reacts to a message as the main persona: see {@link PersonaSession.react}. */
  react(reference: string, messageId: Uint8Array, emoji: string): Promise<HistoryMessage> {
    return this.mainSession.direct.react(reference, messageId, emoji);
  }

  /** Edits one of the main persona's messages: see {@link PersonaSession.edit}. */
  edit(
    reference: string,
    messageId: Uint8Array,
    text: string,
    options: { readonly warning?: string } = {},
  ): Promise<HistoryMessage> {
    return this.mainSession.direct.edit(reference, messageId, text, options);
  }

  /** Deletes one of the main persona's messages for everyone: see {@link PersonaSession.deleteForEveryone}. */
  deleteForEveryone(reference: string, messageId: Uint8Array): Promise<HistoryMessage> {
    return this.mainSession.direct.deleteForEveryone(reference, messageId);
  }

  /** Sets a contact's disappearing timer (main persona): see {@link DirectSession.setTimer}. */
  setTimer(reference: string, seconds: number): Promise<HistoryMessage> {
    return this.mainSession.direct.setTimer(reference, seconds);
  }

  /** A contact's disappearing timer in seconds (0 off), for the main persona. */
  timer(reference: string): Promise<number> {
    return this.mainSession.direct.timer(reference);
  }

  /** Main persona: see {@link PersonaSession.markRead}. */
  markRead(reference: string): Promise<number> {
    return this.mainSession.direct.markRead(reference);
  }

  /** Main persona: see {@link PersonaSession.setReadReceipts}. */
  setReadReceipts(reference: string, on: boolean): Promise<Contact> {
    return this.mainSession.direct.setReadReceipts(reference, on);
  }

  /** Main persona: see {@link PersonaSession.retry}. */
  retry(reference: string, messageId: Uint8Array): Promise<HistoryMessage> {
    return this.mainSession.direct.retry(reference, messageId);
  }

  /** Blocks a contact of the main persona: see {@link PersonaSession.block}. */
  block(reference: string): Promise<{ contact: Contact; revokedAtRelay: boolean }> {
    return this.mainSession.direct.block(reference);
  }

  /** Removes a contact of the main persona and its conversation: see {@link PersonaSession.removeContact}. */
  removeContact(
    reference: string,
  ): Promise<{ contact: Contact; messages: number; revokedAtRelay: boolean }> {
    return this.mainSession.direct.removeContact(reference);
  }

  /** Unblocks a contact of the main persona: see {@link PersonaSession.unblock}. */
  unblock(reference: string): Promise<{ contact: Contact; revokedAtRelay: boolean }> {
    return this.mainSession.direct.unblock(reference);
  }

  /**
   * Searches the texts of every persona on this device (1:1 and groups: a group usually has a
   * persona of its own), newest first: see SearchIndex.search. Each hit names its persona.
   */
  async search(
    query: string,
    options: SearchOptions = {},
  ): Promise<(SearchHit & { readonly persona: string })[]> {
    const found = await Promise.all(
      this.sessions().map(async (session) =>
        (await session.search(query, options)).map((hit) => ({ ...hit, persona: session.address })),
      ),
    );
    return found
      .flat()
      .sort((a, b) => b.sentAt - a.sentAt)
      .slice(0, options.limit ?? SEARCH_LIMIT_DEFAULTS.defaultResults);
  }

  /** The main persona's history with a contact. */
  messages(reference: string): Promise<HistoryEntry[]> {
    return this.mainSession.direct.messages(reference);
  }

  /** Whether the user marked this contact of the main persona verified. */
  isVerified(reference: string): Promise<boolean> {
    return this.mainSession.direct.isVerified(reference);
  }

  /** The safety number between the main persona and a contact. */
  safetyNumber(reference: string): Promise<SafetyNumber & { verified: boolean }> {
    return this.mainSession.direct.safetyNumber(reference);
  }

  /** Marks a contact of the main persona verified: see {@link PersonaSession.verify}. */
  verify(reference: string, number: string): Promise<void> {
    return this.mainSession.direct.verify(reference, number);
  }

  // ---------------------------------------------------------------------------------------------
  // The vault and the relay

  /**
   * Changes the vault's passphrase: the data key is re-wrapped under `next` (Argon2id with the
   * vault's own limits), no record is re-encrypted, and sessions keep running. Crash-safe: until
   * the new header is durably in place `current` opens the vault, afterwards `next` does.
   * CORE_VAULT_WRONG_PASSPHRASE when `current` is wrong, CORE_VAULT_WEAK_PASSPHRASE when `next`
   * is too short; nothing changes then.
   */
  async changePassphrase(current: string, next: string): Promise<void> {
    this.#checkOpen();
    await this.#vault.changePassphrase(current, next);
  }

  /**
   * Backs the whole vault up to one encrypted file (see core/backup/VaultBackup.ts): locked by a
   * fresh recovery key, returned to be shown once, or by the vault passphrase. `passphrase` must
   * be the vault's. Sessions keep running; the file holds the vault as it was when this began.
   */
  async backup(
    file: string,
    options: {
      passphrase: string;
      protection: BackupProtection;
      onProgress?: (progress: BackupProgress) => void;
    },
  ): Promise<BackupResult> {
    this.#checkOpen();
    // The attachment files go too: the records alone would name files the restore lacks.
    return writeVaultBackup(this.#vault, file, { ...options, home: this.#options.vaultFolder });
  }

  /**
   * Small JSON values the app keeps in the vault (read markers, settings): sealed like the rest,
   * under a prefix of their own, each write on disk before it resolves. See {@link LocalData}.
   */
  get localData(): LocalData {
    return this.#localData;
  }

  /**
   * Follows the relay to a new address (an operator moved it): connects to `url` and checks the
   * relay there presents the trust root and relay id this vault pinned (CORE_RELAY_MISMATCH
   * otherwise, CORE_RELAY_UNREACHABLE when nothing answers; nothing changes then), then stores
   * the new address for every persona registered with that relay and reconnects each running
   * session there. `whoami().relayUrl` and new invite links show it at once.
   *
   * Each persona's record is replaced on its own: if the app dies half-way, calling this again
   * finishes the move (personas already moved are simply checked again).
   */
  async moveRelay(url: string): Promise<void> {
    this.#checkOpen();
    // A persona being created registers at the old address; it is moved with the others.
    await this.#personas.settled();
    const main = this.mainSession;
    const pin = main.relay.pin;
    // The main persona goes first: it alone decides whether the relay there is ours.
    await main.moveRelay(url);
    for (const session of this.sessions()) {
      const theirs = session.relay.pin;
      if (
        session === main ||
        pin === undefined ||
        theirs === undefined ||
        !bytesEqual(theirs.trustRoot, pin.trustRoot) ||
        !bytesEqual(theirs.relayId, pin.relayId)
      ) {
        continue;
      }
      await session.moveRelay(url);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Groups

  /**
   * Creates a group. By default under a fresh persona, registered on the same relay, so the relay
   * cannot link this group to the person's other groups or contacts by keys (by IP address it
   * can, unless a proxy is set: see `setProxy`); `persona: 'current'` uses
   * the main persona instead, and `persona: { address }` another persona of the vault (explicit
   * choices). The fresh persona takes `pseudonym`, which only members see;
   * without one it gets a generated name (`generatePseudonym`: two random words, never the name of
   * another persona of this vault).
   */
  async createGroup(
    options: GroupCreateOptions & { persona?: GroupPersonaChoice; pseudonym?: string },
  ): Promise<GroupHandle> {
    this.#checkOpen();
    const session = await this.#personas.forGroup(options.persona, {
      pseudonym: options.pseudonym,
    });
    const summary = await this.#personas.orDiscard(session, options.persona, () =>
      session.groups.create(options),
    );
    return new GroupHandle(session.groups, summary.groupId, session.address);
  }

  /**
   * Joins a group from its invite link, by default as a fresh persona (see createGroup). With
   * approval on, the join is a request until a moderator approves it (`status: 'requested'`).
   * A link of another relay than the main persona's: the fresh persona registers with that relay
   * (pinned on first use; proof of work, or `inviteToken` where it registers by invite); a chosen
   * persona must be registered there (CORE_RELAY_MISMATCH otherwise, `persona: 'current'`
   * included). CORE_RELAY_UNREACHABLE when that relay does not answer: no persona is left behind.
   */
  async joinGroup(link: string, options: JoinGroupOptions = {}): Promise<GroupHandle> {
    this.#checkOpen();
    return joinGroupFromLink(this.#linkHost, link, options);
  }

  /**
   * What a group invite link shows before joining: the group's name, description and rules, and
   * whether a moderator must approve (see GroupPreview). Read on an anonymous connection for that
   * group, so nothing of it reaches the relay under any persona's name: a persona's on the link's
   * relay (the main one first), else one to that relay alone (see OtherRelayLinks).
   */
  async previewGroup(link: string): Promise<GroupPreview> {
    this.#checkOpen();
    return previewGroupLink(this.#linkHost, link);
  }

  /** Every group of every persona in this vault. */
  /** The vault's facilitator credentials, each held by the persona it names. */
  get facilitator(): VaultFacilitators {
    return new VaultFacilitators(() => this.sessions());
  }

  async groups(): Promise<GroupSummary[]> {
    this.#checkOpen();
    const all: GroupSummary[] = [];
    for (const session of this.sessions()) all.push(...(await session.groups.reading.list()));
    return all;
  }

  /**
   * A group by its id (32 hex characters) or by its name when only one group has it;
   * CORE_GROUP_NOT_FOUND otherwise: see findGroup.
   */
  async group(reference: string): Promise<GroupHandle> {
    this.#checkOpen();
    return findGroup(this.sessions(), reference);
  }

  /**
   * The directories of listed groups this vault follows, kept and searched on this device:
   * docs/directory.md, "The client's side".
   */
  get directory(): Directory {
    this.#checkOpen();
    this.#directory ??= new Directory({
      store: new ScopedKeyValueStore(this.#vault, 'directory'),
      main: () => this.mainSession,
      sessions: () => this.sessions(),
      options: this.#options,
      joinGroup: (link, options) => this.joinGroup(link, options),
    });
    return this.#directory;
  }

  // ---------------------------------------------------------------------------------------------
  // Journals

  /** A journal of this vault's, its followers, and the journals followed: docs/journal.md. */
  get journals(): Journals {
    this.#checkOpen();
    return new Journals({
      sessions: () => this.sessions(),
      freshPersona: (pseudonym, work, relay) => this.#withFreshPersona(pseudonym, work, relay),
    });
  }

  /**
   * Runs `work` with a fresh persona (named `pseudonym`, else a generated name; on `relay`, else
   * the main persona's), which is removed again when `work` fails and the persona holds no group
   * and no contact: as for a group's.
   */
  async #withFreshPersona<T>(
    pseudonym: string | undefined,
    work: (session: PersonaSession) => Promise<T>,
    relay?: LinkedRelay,
  ): Promise<T> {
    this.#checkOpen();
    const session = await this.#personas.forGroup(undefined, { pseudonym, relay });
    return this.#personas.orDiscard(session, undefined, () => work(session));
  }

  /** Stops every session, then locks the vault. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // A persona being created lands whole (or is removed) before the vault locks under it.
    await this.#personas.settled();
    for (const done of [...this.#startWaits]) done();
    this.#otherRelays.stop();
    await Promise.all(this.sessions().map((session) => session.stop()));
    await this.#vault.lock();
    this.removeAll();
  }

  #checkOpen(): void {
    if (this.#closed) throw new CoreError(CoreErrorCode.VaultLocked, 'the client is closed');
  }
}

/** Waits for every promise to settle, then rejects with the first failure, if any. */
async function settleAll(promises: readonly Promise<unknown>[]): Promise<void> {
  for (const result of await Promise.allSettled(promises)) {
    if (result.status === 'rejected') throw result.reason;
  }
}
