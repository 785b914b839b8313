import { toHex } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { parseGroupInviteLink } from '../groups/GroupInviteLink.js';
import { CONTACT_LINK_PREFIX, parseContactInviteLink } from './ContactInviteLink.js';
import type { InviteUse } from './inviteUse.js';
import type { PersonaSession } from './PersonaSession.js';

/**
 * Where an invite link one of `sessions` made stands: live, used up, expired or revoked, with its
 * uses. CORE_INVALID_INPUT for a link none of them made (or a group none of them holds); a
 * malformed link fails as parsing it does.
 */
export async function inviteUseOf(
  sessions: readonly PersonaSession[],
  link: string,
): Promise<InviteUse> {
  const now = Date.now();
  const notOurs = (): CoreError =>
    new CoreError(CoreErrorCode.InvalidInput, 'that invite link was not made on this device');
  if (link.trim().startsWith(CONTACT_LINK_PREFIX)) {
    // Parsed as of time 0: an expired link is still ours to describe.
    const invite = parseContactInviteLink(link, 0);
    const session = sessions.find((each) => each.address === invite.card.address);
    if (session === undefined) throw notOurs();
    return session.contactInviteUse(invite.inviteId, now);
  }
  const invite = parseGroupInviteLink(link, 0);
  const groupId = toHex(invite.groupId);
  // The persona in the group now, if one is: another may have left it with an older copy.
  let holder: PersonaSession | undefined;
  for (const session of sessions) {
    if (!(await session.groups.reading.has(groupId))) continue;
    const { status } = await session.groups.reading.summary(groupId);
    if (status === 'active') {
      holder = session;
      break;
    }
    holder ??= session;
  }
  if (holder === undefined) throw notOurs();
  return holder.groups.reading.inviteUse(groupId, invite.inviteId, now);
}
