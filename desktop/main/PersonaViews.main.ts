import type { KindredClient, PersonaSession } from '../../core/client/index.js';
import type { PersonaView } from '../shared/api.std.js';

/** The personas.* calls: every persona in the vault, and making a new one. */
export class PersonaViews {
  readonly #client: KindredClient;

  constructor(client: KindredClient) {
    this.#client = client;
  }

  async list(): Promise<PersonaView[]> {
    const groups = await this.#client.groups();
    return this.#client.sessions().map((session) =>
      personaView(
        this.#client,
        session,
        groups
          .filter((group) => group.persona === session.address && isCurrent(group.status))
          .map((group) => group.name),
      ),
    );
  }

  /** A new persona, registered on the main persona's relay as an unrelated newcomer. */
  async create(pseudonym: string): Promise<PersonaView> {
    const session = await this.#client.createPersona(pseudonym);
    return personaView(this.#client, session, []);
  }
}

function isCurrent(status: string): boolean {
  return status === 'active' || status === 'requested';
}

function personaView(
  client: KindredClient,
  session: PersonaSession,
  groups: readonly string[],
): PersonaView {
  return {
    address: session.address,
    pseudonym: session.whoami().pseudonym,
    main: session.address === client.address,
    groups,
  };
}
