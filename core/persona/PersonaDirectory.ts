import { fromUtf8, utf8 } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';
import { ScopedKeyValueStore } from '../storage/ScopedKeyValueStore.js';
import { Persona } from './Persona.js';
import type { PersonaInfo } from './Persona.js';
import { isPersonaAddress } from './personaAddress.js';

const PERSONAS = 'personas';
const PERSONA_DATA = 'persona-data';
const SELECTED = 'settings/selected-persona';

/**
 * The personas one install holds. Each persona's protocol state lives in its own scope
 * (`dataFor`), so deleting a persona removes everything it knew and nothing else.
 */
export class PersonaDirectory {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  /** Creates a persona; the first one created becomes the selected one. */
  async create(pseudonym: string): Promise<Persona> {
    const persona = Persona.generate(pseudonym);
    const hasSelection = (await this.#store.get(SELECTED)) !== undefined;
    await this.#store.batch([
      { type: 'put', key: `${PERSONAS}/${persona.address}`, value: persona.toRecord() },
      ...(hasSelection
        ? []
        : [{ type: 'put' as const, key: SELECTED, value: utf8(persona.address) }]),
    ]);
    return persona;
  }

  async list(): Promise<PersonaInfo[]> {
    const entries = await this.#store.list(PERSONAS);
    return entries
      .map((entry) => personaInSlot(entry.value, entry.key.slice(PERSONAS.length + 1)).info())
      .sort((a, b) => a.createdAt - b.createdAt || a.address.localeCompare(b.address));
  }

  async get(address: string): Promise<Persona> {
    if (!isPersonaAddress(address)) {
      throw new CoreError(CoreErrorCode.PersonaNotFound, 'no such persona');
    }
    const record = await this.#store.get(`${PERSONAS}/${address}`);
    if (record === undefined) throw new CoreError(CoreErrorCode.PersonaNotFound, 'no such persona');
    return personaInSlot(record, address);
  }

  async select(address: string): Promise<void> {
    await this.get(address);
    await this.#store.put(SELECTED, utf8(address));
  }

  /** The selected persona, or undefined when the vault has none yet. */
  async selected(): Promise<Persona | undefined> {
    const raw = await this.#store.get(SELECTED);
    if (raw === undefined) return undefined;
    return this.get(selectedAddress(raw));
  }

  /** Deletes a persona and all its protocol state. Selects the oldest remaining one, if any. */
  async delete(address: string): Promise<void> {
    await this.get(address);
    await this.#store.deleteTree(`${PERSONA_DATA}/${address}`);
    await this.#store.delete(`${PERSONAS}/${address}`);
    const selected = await this.#store.get(SELECTED);
    if (selected !== undefined && selectedAddress(selected) === address) {
      const next = (await this.list())[0];
      if (next === undefined) await this.#store.delete(SELECTED);
      else await this.#store.put(SELECTED, utf8(next.address));
    }
  }

  /** The storage scope that holds one persona's sessions, keys and (later) messages. */
  dataFor(address: string): KeyValueStore {
    if (!isPersonaAddress(address)) {
      throw new CoreError(CoreErrorCode.PersonaNotFound, 'no such persona');
    }
    return new ScopedKeyValueStore(this.#store, `${PERSONA_DATA}/${address}`);
  }
}

/** Restores a persona and checks it was stored under its own address, not another's. */
function personaInSlot(record: Uint8Array, address: string): Persona {
  const persona = Persona.fromRecord(record);
  if (persona.address !== address) {
    throw new CoreError(
      CoreErrorCode.VaultCorrupt,
      'persona record is stored under another address',
    );
  }
  return persona;
}

/** The selected persona's address as stored; a record that is not text is a corrupt vault. */
function selectedAddress(record: Uint8Array): string {
  try {
    return fromUtf8(record);
  } catch (error) {
    throw new CoreError(CoreErrorCode.VaultCorrupt, 'selected persona record unreadable', {
      cause: error,
    });
  }
}
