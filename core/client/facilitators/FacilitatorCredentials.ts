import { bytesEqual, fromBase64Url, toBase64Url } from '../../bytes/bytes.js';
import type { CredentialProblem } from '../../directory/facilitatorCredential.js';
import {
  checkFacilitatorCredential,
  openRevocationList,
} from '../../directory/facilitatorCredential.js';
import { operatorKeyEndorsed } from '../../directory/operatorKeyEndorsement.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { Challenge, SignedRevocationList } from '../../protocol/gen/kindred_pb.js';
import type { PersonaState } from '../PersonaState.js';
import type { EndorsedOperatorKey } from './facilitatorRecords.js';
import {
  readOperatorKey,
  readOwnCredentials,
  readRevocations,
  writeOperatorKey,
  writeOwnCredentials,
  writeRevocations,
} from './facilitatorRecords.js';

/**
 * Why a credential shows no badge: one of the contract's problems, or `unverifiable` while this
 * persona has seen no operator key its pinned trust root endorses (a relay that strips or swaps
 * the endorsement gets exactly that: no badge).
 */
export type BadgeProblem = CredentialProblem | 'unverifiable';

/** What a valid credential shows beside a pseudonym. */
export interface FacilitatorBadge {
  readonly roleTitle: string;
  readonly credentialId: string;
  readonly expiresAt: number;
}

export type CredentialCheck =
  | { readonly badge: FacilitatorBadge; readonly problem?: undefined }
  | {
      readonly badge?: undefined;
      readonly problem: BadgeProblem;
      /** The credential's id when it could be read (not for `malformed`, `unverifiable`). */
      readonly credentialId?: string;
    };

/** One of this persona's own credentials, as `kindred facilitator show` lists it. */
export interface OwnCredentialView {
  readonly credentialId: string;
  readonly roleTitle: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** `valid`, or why it shows no badge now (expired, revoked since it was added). */
  readonly standing: 'valid' | BadgeProblem;
  /** Whether the groups this persona is in see this one (the newest valid one). */
  readonly shown: boolean;
  /** The credential as the operator handed it out (base64url). */
  readonly text: string;
}

export interface FacilitatorCredentialsOptions {
  readonly state: PersonaState;
  /** The relay this persona is pinned to: credentials and revocations must be its. */
  readonly relayId: Uint8Array;
  readonly trustRoot: Uint8Array;
  /** Expiry is checked against this clock (KindredClientOptions.credentialClock). */
  readonly clock: () => number;
  /** The Challenge of a fresh connection, to learn the operator key when none is kept yet. */
  readonly challenge: () => Promise<Challenge>;
  /** This persona's own credential changed: its groups are shown the new profile. */
  readonly profileChanged: () => Promise<void>;
}

/**
 * A persona's facilitator credentials (docs/directory.md, "Facilitators"): the operator key its
 * relay's trust root endorsed (taken from every connection's Challenge), the newest revocation
 * list, the credentials it holds and shows in its groups, and the check every badge goes through.
 */
export class FacilitatorCredentials {
  readonly #options: FacilitatorCredentialsOptions;
  /** The kept operator key, once read from the vault (null: none kept). */
  #operatorKey: EndorsedOperatorKey | null | undefined;

  constructor(options: FacilitatorCredentialsOptions) {
    this.#options = options;
  }

  get #state(): PersonaState {
    return this.#options.state;
  }

  /**
   * Every connection's Challenge comes here: an operator key the pinned trust root endorses for
   * our relay is kept (replacing an older one the trust root endorsed). A key without a valid
   * endorsement is ignored, so a relay cannot strip or swap it into use; true when it was endorsed.
   */
  async noteChallenge(challenge: Challenge): Promise<boolean> {
    const { relayId, trustRoot } = this.#options;
    const endorsed =
      bytesEqual(challenge.relayId, relayId) &&
      operatorKeyEndorsed({
        trustRoot,
        relayId,
        operatorKey: challenge.operatorKey,
        endorsement: challenge.operatorKeyEndorsement,
      });
    if (!endorsed) return false;
    const kept = await this.#keptOperatorKey();
    if (kept !== null && bytesEqual(kept.operatorKey, challenge.operatorKey)) return true;
    const key = {
      operatorKey: Uint8Array.from(challenge.operatorKey),
      endorsement: Uint8Array.from(challenge.operatorKeyEndorsement),
    };
    await this.#state.transact(() => writeOperatorKey(this.#state.store, key));
    await this.#state.store.flush();
    this.#operatorKey = key;
    return true;
  }

  /**
   * The operator key to check credentials with; undefined while no Challenge has shown one the
   * trust root endorses. With `ask`, a fresh connection's Challenge is looked at first.
   */
  async operatorKey(options: { readonly ask?: boolean } = {}): Promise<Uint8Array | undefined> {
    let kept = await this.#keptOperatorKey();
    if (kept === null && options.ask === true) {
      await this.noteChallenge(await this.#options.challenge());
      kept = await this.#keptOperatorKey();
    }
    return kept?.operatorKey;
  }

  /**
   * Keeps `signed` when it is our relay's operator's and newer than the list kept (a relay cannot
   * roll a revocation back by serving an older one). CORE_CREDENTIAL_INVALID when it is not the
   * operator's. The directory client hands every list the directory carries here.
   */
  async acceptRevocationList(signed: SignedRevocationList): Promise<boolean> {
    const operatorKey = await this.operatorKey({ ask: true });
    if (operatorKey === undefined) throw noOperatorKey();
    const relay = { relayId: this.#options.relayId, operatorKey };
    const offered = openRevocationList(signed, relay);
    const kept = await this.#state.transact(() => readRevocations(this.#state.store));
    if (kept !== undefined && keptIssuedAt(kept, relay) >= offered.issuedAt) return false;
    await this.#state.transact(() => writeRevocations(this.#state.store, signed));
    await this.#state.store.flush();
    await this.#options.profileChanged();
    return true;
  }

  /** Where `credential`, shown by the persona `address` of our relay, stands now. */
  async check(address: string, credential: Uint8Array): Promise<CredentialCheck> {
    const operatorKey = await this.operatorKey();
    if (operatorKey === undefined) return { problem: 'unverifiable' };
    const standing = checkFacilitatorCredential(credential, {
      operatorKey,
      relayId: this.#options.relayId,
      address,
      now: this.#options.clock(),
      revoked: await this.#revoked(operatorKey),
    });
    if (standing.valid) {
      const { roleTitle, credentialId, expiresAt } = standing.credential;
      return { badge: { roleTitle, credentialId, expiresAt } };
    }
    return {
      problem: standing.problem,
      ...(standing.credential === undefined
        ? {}
        : { credentialId: standing.credential.credentialId }),
    };
  }

  /**
   * Adds a credential the operator issued to this persona (`kindred-server facilitator issue`
   * prints it, base64url) and shows it in this persona's groups. CORE_CREDENTIAL_INVALID when it
   * is not one, is not valid now (forged, another relay's, another persona's, expired, revoked),
   * or when the relay has shown no operator key its trust root endorses.
   */
  async add(text: string): Promise<OwnCredentialView> {
    const credential = fromBase64Url(text.trim());
    if (credential === undefined) {
      throw new CoreError(CoreErrorCode.CredentialInvalid, 'that is not a facilitator credential');
    }
    if ((await this.operatorKey({ ask: true })) === undefined) throw noOperatorKey();
    const check = await this.check(this.#state.persona.address, credential);
    if (check.problem !== undefined) {
      throw new CoreError(CoreErrorCode.CredentialInvalid, REFUSALS[check.problem]);
    }
    await this.#state.transact(async () => {
      const held = await readOwnCredentials(this.#state.store);
      const others = held.filter((bytes) => !bytesEqual(bytes, credential));
      await writeOwnCredentials(this.#state.store, [...others, credential]);
    });
    await this.#state.store.flush();
    await this.#options.profileChanged();
    const view = (await this.show()).find((own) => own.credentialId === check.badge.credentialId);
    if (view === undefined) throw new CoreError(CoreErrorCode.Internal, 'credential not kept');
    return view;
  }

  /**
   * Stops showing a credential (all of them without an id) and forgets it. Resolves with how many
   * were removed; the groups this persona is in are shown its profile without it.
   */
  async remove(credentialId?: string): Promise<number> {
    const views = await this.show();
    const gone = views.filter(
      (view) => credentialId === undefined || view.credentialId === credentialId,
    );
    if (gone.length === 0) return 0;
    const keep = new Set(views.filter((view) => !gone.includes(view)).map((view) => view.text));
    await this.#state.transact(async () => {
      const held = await readOwnCredentials(this.#state.store);
      await writeOwnCredentials(
        this.#state.store,
        held.filter((bytes) => keep.has(toBase64Url(bytes))),
      );
    });
    await this.#state.store.flush();
    await this.#options.profileChanged();
    return gone.length;
  }

  /** This persona's credentials with where each stands now, and which one its groups see. */
  async show(): Promise<OwnCredentialView[]> {
    const held = await this.#state.transact(() => readOwnCredentials(this.#state.store));
    const address = this.#state.persona.address;
    const operatorKey = await this.operatorKey();
    const shown = await this.shownCredential();
    const views: OwnCredentialView[] = [];
    for (const bytes of held) {
      const check = await this.check(address, bytes);
      // Read without the operator's word, only to name what is held (never to show a badge).
      const facts = checkFacilitatorCredential(bytes, {
        operatorKey: operatorKey ?? new Uint8Array(0),
        relayId: this.#options.relayId,
        address,
        now: this.#options.clock(),
        revoked: new Set(),
      });
      const data = facts.credential;
      views.push({
        credentialId: data?.credentialId ?? '',
        roleTitle: data?.roleTitle ?? '',
        issuedAt: data?.issuedAt ?? 0,
        expiresAt: data?.expiresAt ?? 0,
        standing: check.problem ?? 'valid',
        shown: shown !== undefined && bytesEqual(shown, bytes),
        text: toBase64Url(bytes),
      });
    }
    return views;
  }

  /**
   * The credential this persona's profile carries in its groups: the newest one added that is
   * valid now; undefined when none is (so an expired or revoked one stops being shown).
   */
  async shownCredential(): Promise<Uint8Array | undefined> {
    const held = await this.#state.transact(() => readOwnCredentials(this.#state.store));
    const address = this.#state.persona.address;
    for (const bytes of held.reverse()) {
      if ((await this.check(address, bytes)).badge !== undefined) return bytes;
    }
    return undefined;
  }

  async #keptOperatorKey(): Promise<EndorsedOperatorKey | null> {
    if (this.#operatorKey === undefined) {
      const kept = await this.#state.transact(() => readOperatorKey(this.#state.store));
      // Checked again as read: a key in the vault is used only with the trust root's word.
      this.#operatorKey =
        kept !== undefined &&
        operatorKeyEndorsed({
          trustRoot: this.#options.trustRoot,
          relayId: this.#options.relayId,
          ...kept,
        })
          ? kept
          : null;
    }
    return this.#operatorKey;
  }

  /** The credential ids the kept revocation list names (none when it no longer verifies). */
  async #revoked(operatorKey: Uint8Array): Promise<ReadonlySet<string>> {
    const kept = await this.#state.transact(() => readRevocations(this.#state.store));
    if (kept === undefined) return new Set();
    try {
      return openRevocationList(kept, { relayId: this.#options.relayId, operatorKey }).revoked;
    } catch {
      return new Set();
    }
  }
}

function keptIssuedAt(
  kept: SignedRevocationList,
  relay: { readonly relayId: Uint8Array; readonly operatorKey: Uint8Array },
): number {
  try {
    return openRevocationList(kept, relay).issuedAt;
  } catch {
    // Signed by an operator key since replaced: any list of the current key supersedes it.
    return -1;
  }
}

function noOperatorKey(): CoreError {
  return new CoreError(
    CoreErrorCode.CredentialInvalid,
    'the relay has shown no operator key its trust root endorses',
  );
}

/** Why `add` refuses a credential, in words with no user data. */
const REFUSALS: Record<BadgeProblem, string> = {
  malformed: 'that is not a facilitator credential',
  forged: 'the credential is not signed by this relay’s operator',
  'other-relay': 'the credential was issued for another relay',
  'other-persona': 'the credential was issued to another persona',
  expired: 'the credential has expired',
  revoked: 'the operator has revoked the credential',
  unverifiable: 'the relay has shown no operator key its trust root endorses',
};
