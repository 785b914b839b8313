import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { generatePseudonym } from '../persona/generatedPseudonym.js';
import type { PersonaDirectory } from '../persona/PersonaDirectory.js';
import type { Vault } from '../vault/Vault.js';
import type { EmitTaggedEvent } from './clientEvents.js';
import type { KindredClientOptions } from './PersonaSession.js';
import { PersonaSession } from './PersonaSession.js';

export interface CreatePersonaOptions {
  /**
   * Operator-signed token, base64url decoded, for relays that register by invite. Each persona
   * registers on its own, so each needs its own token there.
   */
  readonly inviteToken?: Uint8Array;
}

/** What adding a persona needs from the client that runs it. */
/**
 * Who creates or joins a group: a fresh persona made for it, the main persona, or another persona
 * of the vault named by its address.
 */
export type GroupPersonaChoice = 'fresh' | 'current' | { readonly address: string };

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
 * Adding personas to a client's vault: on their own (`create`), or for a group (`forGroup`, then
 * `orDiscard` around the group's first step, so a refused join leaves no persona behind). Each
 * registers with the main persona's relay with keys of its own: to the relay it is an unrelated
 * newcomer. `settled` lets a closing or moving client wait for creations under way.
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
    const creation = this.#create(pseudonym, options);
    this.#creating.add(creation);
    try {
      return await creation;
    } finally {
      this.#creating.delete(creation);
    }
  }

  /**
   * The persona a group is created or joined as: a fresh one (the default), the main one, or
   * another persona of this vault by address (CORE_PERSONA_NOT_FOUND when the vault runs none).
   */
  async forGroup(
    persona: GroupPersonaChoice | undefined,
    pseudonym: string | undefined,
  ): Promise<PersonaSession> {
    const main = this.#host.mainSession();
    if (persona === 'current') return main;
    if (typeof persona === 'object') {
      const existing = this.#host.sessions.get(persona.address);
      if (existing === undefined) {
        throw new CoreError(CoreErrorCode.PersonaNotFound, 'no such persona');
      }
      return existing;
    }
    if (pseudonym !== undefined) return this.create(pseudonym);
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
      return await this.create(generated);
    } finally {
      this.#generating.delete(generated);
    }
  }

  /**
   * Runs a group's first step with a persona made for it; when that fails and the persona holds
   * no group, the persona goes too, so a refused join leaves nothing behind in the vault.
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
      if (made && (await session.groups.reading.list()).length === 0) {
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

  async #create(pseudonym: string, options: CreatePersonaOptions): Promise<PersonaSession> {
    const host = this.#host;
    const main = host.mainSession();
    const relay = main.relay;
    const persona = await host.directory.create(pseudonym);
    let session: PersonaSession | undefined;
    try {
      session = await PersonaSession.register({
        persona,
        scope: host.directory.dataFor(persona.address),
        relay,
        ...(options.inviteToken === undefined ? {} : { inviteToken: options.inviteToken }),
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
