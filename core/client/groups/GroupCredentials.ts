import { bytesEqual, toHex } from '../../bytes/bytes.js';
import { CoreErrorCode } from '../../errors/CoreError.js';
import { ROLE_RANK } from '../../groups/GroupState.js';
import { toCoreError } from '../../signal/signalErrors.js';
import type { CredentialCheck, FacilitatorBadge } from '../facilitators/FacilitatorCredentials.js';
import type { PersonaState } from '../PersonaState.js';
import { currentSecret } from './groupAccess.js';
import { sealMemberProfile } from './groupCodec.js';
import type { MemberProfileData } from './groupCodec.js';
import type { GroupSessionOptions } from './groupContext.js';
import type { GroupLog } from './GroupLog.js';

/** What the groups need of the persona's facilitator credentials (FacilitatorCredentials). */
export interface MemberCredentialChecks {
  /** Where a credential shown by the member `address` stands now. */
  check(address: string, credential: Uint8Array): Promise<CredentialCheck>;
  /** The credential our own profile carries; undefined when none is valid. */
  shownCredential(): Promise<Uint8Array | undefined>;
}

/**
 * Facilitator credentials inside groups (docs/groups.md, "Facilitator badges"): the badge beside
 * each member who shows a valid one, a warning in the group's warnings for each credential that
 * is not (once per member, credential and problem), and our own profile shown again in every
 * group when our credential changes (a set_profile operation).
 */
export class GroupCredentials {
  readonly #options: GroupSessionOptions;
  readonly #log: GroupLog;

  constructor(options: GroupSessionOptions, log: GroupLog) {
    this.#options = options;
    this.#log = log;
  }

  get #state(): PersonaState {
    return this.#options.state;
  }

  /**
   * The badge of each of `addresses` that shows a valid credential in the group. Checked at each
   * call, so a credential that expired or was revoked since loses its badge at once.
   */
  async badges(
    groupId: Uint8Array,
    addresses: Iterable<string>,
  ): Promise<Map<string, FacilitatorBadge>> {
    const badges = new Map<string, FacilitatorBadge>();
    for (const [address, check] of await this.#checks(groupId, addresses)) {
      if (check.badge !== undefined) badges.set(address, check.badge);
    }
    return badges;
  }

  /**
   * Adds a warning for each current member whose credential shows no badge, once per member,
   * credential and problem: an expired credential warns when it expires, a revoked one when the
   * revocation list arrives.
   */
  async review(groupId: Uint8Array): Promise<void> {
    const state = await this.#state.transact(() => this.#state.groups.state(groupId));
    if (state === undefined) return;
    const checks = await this.#checks(groupId, state.members.keys());
    const problems = [...checks].filter(([, check]) => check.problem !== undefined);
    if (problems.length === 0) return;
    await this.#state.transact(async () => {
      for (const [address, check] of problems) {
        if (check.problem === undefined) continue;
        const key = `${address}/${check.credentialId ?? '-'}/${check.problem}`;
        if (await this.#state.groups.credentialWarned(groupId, key)) continue;
        await this.#state.groups.putCredentialWarned(groupId, key);
        await this.#log.warnInTransaction(
          groupId,
          'facilitator-credential',
          check.problem,
          address,
        );
      }
    });
    await this.#state.store.flush();
    this.#log.flushEvents();
  }

  /**
   * Shows our profile again in every group we are a member of whose copy of it carries another
   * credential than the one we show now (added, removed, expired, revoked). A group that refuses
   * now (a rotation due, the relay unreachable) is tried again at the next call.
   */
  async showOwn(): Promise<void> {
    const credential = await this.#options.credentials?.shownCredential();
    const me = this.#state.persona.address;
    const records = await this.#state.transact(() => this.#state.groups.list());
    for (const record of records) {
      if (record.status !== 'active') continue;
      const groupId = record.groupId;
      const mine = await this.#state.transact(() => this.#state.groups.peer(groupId, me));
      if (mine === undefined || sameCredential(mine.facilitatorCredential, credential)) continue;
      const profile: MemberProfileData = {
        pseudonym: mine.pseudonym,
        accessKey: mine.accessKey,
        profileKey: mine.profileKey,
        ...(credential === undefined ? {} : { facilitatorCredential: credential }),
      };
      try {
        await this.#log.submit(groupId, async (state) => {
          const secret = await currentSecret(this.#state, this.#log.keys, groupId, state);
          const sealedProfile = await sealMemberProfile(
            secret,
            groupId,
            this.#state.persona.identityPublicKey,
            profile,
          );
          return { case: 'setProfile', value: { sealedProfile } };
        });
      } catch (error) {
        this.#options.reportError(
          toCoreError(error, CoreErrorCode.Internal, `showing our profile in ${toHex(groupId)}`),
        );
      }
    }
  }

  /** The valid credentials the owner and moderators show (for the group's directory listing). */
  async ofModerators(groupId: Uint8Array): Promise<Uint8Array[]> {
    const state = await this.#state.transact(() => this.#state.groups.requireState(groupId));
    const moderators = [...state.members.values()]
      .filter((member) => ROLE_RANK[member.role] >= ROLE_RANK.moderator)
      .map((member) => member.address);
    const valid = [...(await this.#checks(groupId, moderators))]
      .filter(([, check]) => check.badge !== undefined)
      .map(([address]) => address);
    return this.#state.transact(async () => {
      const credentials: Uint8Array[] = [];
      for (const address of valid) {
        const credential = (await this.#state.groups.peer(groupId, address))?.facilitatorCredential;
        if (credential !== undefined) credentials.push(credential);
      }
      return credentials;
    });
  }

  /** Each of `addresses` whose profile in the group carries a credential, with its check. */
  async #checks(
    groupId: Uint8Array,
    addresses: Iterable<string>,
  ): Promise<Map<string, CredentialCheck>> {
    const checks = new Map<string, CredentialCheck>();
    const credentials = this.#options.credentials;
    if (credentials === undefined) return checks;
    const wanted = [...addresses];
    // Read in one step, checked outside it: a check reads the vault in steps of its own.
    const shown = await this.#state.transact(async () => {
      const found: [string, Uint8Array][] = [];
      for (const address of wanted) {
        const credential = (await this.#state.groups.peer(groupId, address))?.facilitatorCredential;
        if (credential !== undefined) found.push([address, credential]);
      }
      return found;
    });
    for (const [address, credential] of shown) {
      checks.set(address, await credentials.check(address, credential));
    }
    return checks;
  }
}

function sameCredential(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a === undefined || b === undefined ? a === b : bytesEqual(a, b);
}
