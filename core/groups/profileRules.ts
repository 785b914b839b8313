import { ownedBytes } from '../bytes/bytes.js';
import type { GroupSetProfile } from '../protocol/gen/kindred_pb.js';
import type { GroupMemberState, GroupState } from './GroupState.js';
import { withMember } from './groupStateEdits.js';
import { checkSealed, requireActor } from './ruleChecks.js';

/**
 * A sealed profile: a join's is padded to 2400 bytes (it may carry a 500-character introduction);
 * a member's own may carry a facilitator credential.
 */
export const MAX_SEALED_PROFILE_BYTES = 4096;

/**
 * A member replaces its own sealed profile (set_profile), so the members already in the group see
 * a facilitator credential it added or removed (docs/groups.md, "Facilitator badges"). Only a
 * member, only its own profile: the relay and every client apply this rule alike, and neither can
 * read what is sealed inside (each member's client checks the credential it carries).
 */
export function applySetProfile(
  state: GroupState,
  actor: GroupMemberState | undefined,
  setProfile: GroupSetProfile,
): GroupState {
  const member = requireActor(actor);
  checkSealed(setProfile.sealedProfile, MAX_SEALED_PROFILE_BYTES, 'profile');
  return withMember(state, { ...member, sealedProfile: ownedBytes(setProfile.sealedProfile) });
}
