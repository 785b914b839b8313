import { fromBase64Url } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { PersonaSession } from '../PersonaSession.js';
import type { OwnCredentialView } from './FacilitatorCredentials.js';
import { claimedAddress } from './listingFacilitators.js';

/** One of a vault's credentials, with the persona that holds it. */
export interface HeldCredentialView extends OwnCredentialView {
  readonly persona: string;
}

/**
 * The facilitator credentials of every persona of a vault (`kindred facilitator …`). A credential
 * names one persona (the one the facilitator is in its groups as, often a fresh persona of its
 * own): `add` hands it to that persona, which checks it and shows it in its groups.
 */
export class VaultFacilitators {
  readonly #sessions: () => readonly PersonaSession[];

  constructor(sessions: () => readonly PersonaSession[]) {
    this.#sessions = sessions;
  }

  /**
   * Adds a credential to the persona of this vault it was issued to (see
   * FacilitatorCredentials.add). CORE_CREDENTIAL_INVALID when it is not a credential, names no
   * persona of this vault, or is not valid now.
   */
  async add(text: string): Promise<HeldCredentialView> {
    const bytes = fromBase64Url(text.trim());
    const address = bytes === undefined ? '' : claimedAddress(bytes);
    if (address === '') {
      throw new CoreError(CoreErrorCode.CredentialInvalid, 'that is not a facilitator credential');
    }
    const session = this.#sessions().find((candidate) => candidate.address === address);
    if (session === undefined) {
      throw new CoreError(
        CoreErrorCode.CredentialInvalid,
        'the credential was issued to a persona this vault does not hold',
      );
    }
    return { persona: address, ...(await session.facilitator.add(text)) };
  }

  /** Stops showing a credential (every one without an id); how many were removed. */
  async remove(credentialId?: string): Promise<number> {
    let removed = 0;
    for (const session of this.#sessions()) {
      removed += await session.facilitator.remove(credentialId);
    }
    return removed;
  }

  /** Every persona's credentials, with where each stands now. */
  async show(): Promise<HeldCredentialView[]> {
    const views: HeldCredentialView[] = [];
    for (const session of this.#sessions()) {
      for (const view of await session.facilitator.show()) {
        views.push({ persona: session.address, ...view });
      }
    }
    return views;
  }
}
