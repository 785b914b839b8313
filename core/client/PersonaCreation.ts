import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { generatePseudonym } from '../persona/generatedPseudonym.js';
import type { PersonaDirectory } from '../persona/PersonaDirectory.js';
import type { Vault } from '../vault/Vault.js';
import type { EmitTaggedEvent } from './clientEvents.js';
import type { KindredClientOptions } from './PersonaSession.js';
import { PersonaSession } from './PersonaSession.js';
import type { LinkedRelay } from './personaRelays.js';
import { checkChosenOnRelay, relayForLink, relayForUrl } from './personaRelays.js';
import type { RelayTarget } from './relayRegistration.js';

export interface CreatePersonaOptions {
  /**
   * Operator-signed token, base64url decoded, for relays that register by invite. Each persona
   * registers on its own, so each needs its own token there.
   */
  readonly inviteToken?: Uint8Array;
  /**
   * The relay to register with (ws:// or wss://); default the main persona's. A relay no persona
   * of this vault uses yet is pinned on first use (its trust root and relay id), as init pins the
   * home relay; one a persona uses already keeps its pin.
   */
  readonly relayUrl?: string;
}

/** How a persona for a link is found or made; see {@link PersonaCreation.forGroup}. */
export interface PersonaForLink {
  /** The fresh persona's pseudonym; default a generated one. */
  readonly pseudonym?: string | undefined;
  /** The relay the link leads to; default the main persona's. */
  readonly relay?: LinkedRelay | undefined;
  /** For a fresh persona on a relay that registers by invite. */
  readonly inviteToken?: Uint8Array | undefined;
}

/**
 * Who creates or joins a group: a fresh persona made for it, the main persona, or another persona
 * of the vault named by its address.
 */
export type GroupPersonaChoice = 'fresh' | 'current' | { readonly address: string };

/** What adding a persona needs from the client that runs it. */
export interface PersonaCreationHost {
  readonly vault: Vault;
  readonly directory: PersonaDirectory;
  readonly options: KindredClientOptions;
  /** Every runnable persona's session, by address: a new one joins, a discarded one leaves. */
  readonly sessions: Map<string, PersonaSession>;
  /** Passes a session's events on to the client's listeners. */
  readonly emit: EmitTaggedEvent;
  readonly mainSession: () => PersonaSession;
  /**
   * How the client was started, if it was; a new persona then starts at once (it has just
   * registered, as itself), and `started` is told its address.
   */
  readonly startedAs: () => { receive: boolean } | undefined;
  readonly started: (address: string) => void;
  /** Throws CORE_VAULT_LOCKED once the client is closed. */
  readonly checkOpen: () => void;
}

/**
 * Adding personas to a client's vault: on their own (`create`), or for a group or a contact
 * (`forGroup`, then `orDiscard` around the first step, so a refused join leaves no persona
 * behind). Each registers, with keys of its own, with the main persona's relay or the relay a
 * link leads to: to that relay it is an unrelated newcomer. `settled` lets a closing or moving
 * client wait for creations under way.
 */
export class PersonaCreation {
  readonly #host: PersonaCreationHost;
  /** create calls under way. */
  readonly #creating = new Set<Promise<unknown>>();
  /** Generated pseudonyms of creations under way: two at once never draw the same one. */
  readonly #generating = new Set<string>();

  constructor(host: PersonaCreationHost) {
    this.#host = host;
  }

  /** Resolves once every creation under way has landed whole or been removed. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.#creating]);
  }

  /** See KindredClient.createPersona. */
  async create(pseudonym: string, options: CreatePersonaOptions = {}): Promise<PersonaSession> {
    this.#host.checkOpen();
    const host = this.#host;
    const main = host.mainSession();
    const relay =
      options.relayUrl === undefined
        ? main.relay
        : relayForUrl(host.sessions.values(), main, options.relayUrl);
    return this.#creation(pseudonym, relay, options.inviteToken);
  }

  async #creation(
    pseudonym: string,
    relay: RelayTarget,
    inviteToken: Uint8Array | undefined,
  ): Promise<PersonaSession> {
    const creation = this.#create(pseudonym, relay, inviteToken);
    this.#creating.add(creation);
    try {
      return await creation;
    } finally {
      this.#creating.delete(creation);
    }
  }

  /**
   * The persona a group is created or joined as (or a contact added as): a fresh one (the
   * default), the main one, or another persona of this vault by address (CORE_PERSONA_NOT_FOUND
   * when the vault runs none). For a link of a relay (`link.relay`) a fresh persona registers
   * there; a chosen one must be registered there already (CORE_RELAY_MISMATCH otherwise).
   */
  async forGroup(
    persona: GroupPersonaChoice | undefined,
    link: PersonaForLink = {},
  ): Promise<PersonaSession> {
    const host = this.#host;
    const main = host.mainSession();
    if (persona === 'current' || typeof persona === 'object') {
      const chosen = persona === 'current' ? main : host.sessions.get(persona.address);
      if (chosen === undefined) {
        throw new CoreError(CoreErrorCode.PersonaNotFound, 'no such persona');
      }
      if (link.relay !== undefined) checkChosenOnRelay(chosen, link.relay);
      return chosen;
    }
    host.checkOpen();
    const relay =
      link.relay === undefined
        ? main.relay
        : relayForLink(host.sessions.values(), main, link.relay);
    const { pseudonym, inviteToken } = link;
    if (pseudonym !== undefined) return this.#creation(pseudonym, relay, inviteToken);
    // Never the main persona's name (that would link the two at a glance), nor another's.
    const taken = [
      ...(await this.#host.directory.list()).map((info) => info.pseudonym),
      ...this.#generating,
    ];
    const generated = generatePseudonym(taken);
    if (generated === undefined) {
      throw new CoreError(CoreErrorCode.InvalidPseudonym, 'every generated pseudonym is taken');
    }
    this.#generating.add(generated);
    try {
      return await this.#creation(generated, relay, inviteToken);
    } finally {
      this.#generating.delete(generated);
    }
  }

  /**
   * Runs a group's (or a contact's) first step with a persona made for it; when that fails and
   * the persona holds no group and no contact, the persona goes too, so a refused join leaves
   * nothing behind in the vault.
   */
  async orDiscard<T>(
    session: PersonaSession,
    persona: GroupPersonaChoice | undefined,
    work: () => Promise<T>,
  ): Promise<T> {
    try {
      return await work();
    } catch (error) {
      const made = persona === undefined || persona === 'fresh';
      if (
        made &&
        (await session.groups.reading.list()).length === 0 &&
        (await session.direct.contacts()).length === 0
      ) {
        await this.#discard(session);
      }
      throw error;
    }
  }

  /** Stops a session and removes its persona from the vault (best effort: the cause matters more). */
  async #discard(session: PersonaSession): Promise<void> {
    this.#host.sessions.delete(session.address);
    try {
      await session.stop();
      await this.#host.directory.delete(session.address);
      await this.#host.vault.flush();
    } catch {
      // A leftover persona that has a profile is registered and runs on the next open; one
      // without is ignored.
    }
  }

  async #create(
    pseudonym: string,
    relay: RelayTarget,
    inviteToken: Uint8Array | undefined,
  ): Promise<PersonaSession> {
    const host = this.#host;
    const main = host.mainSession();
    const persona = await host.directory.create(pseudonym);
    let session: PersonaSession | undefined;
    try {
      session = await PersonaSession.register({
        persona,
        scope: host.directory.dataFor(persona.address),
        relay,
        ...(inviteToken === undefined ? {} : { inviteToken }),
        ...(main.proxyUrl === undefined ? {} : { proxyUrl: main.proxyUrl }),
        options: host.options,
        emit: host.emit,
      });
      host.sessions.set(persona.address, session);
      const startedAs = host.startedAs();
      if (startedAs !== undefined) {
        host.started(session.address);
        await session.start(startedAs);
      }
      return session;
    } catch (error) {
      host.sessions.delete(persona.address);
      await session?.stop();
      try {
        await host.directory.delete(persona.address);
      } catch {
        // Best effort: the original error matters more. A leftover persona that has a profile
        // is registered and runs on the next open; one without is ignored.
      }
      throw error;
    }
  }
}
