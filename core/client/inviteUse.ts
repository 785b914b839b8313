/**
 * Where an invite link stands for the person who made it, so the window never shows a dead link
 * as one to share: contact links count their uses in the vault (IssuedInvites), group links in
 * the group's log (uses, expiry, and revocation when a moderator resets links, or removes or bans
 * the member who came with it, or when its maker stops being a moderator).
 */
export type InviteStanding = 'live' | 'used-up' | 'expired' | 'revoked';

export interface InviteUse {
  readonly standing: InviteStanding;
  readonly uses: number;
  /** 0: no limit. */
  readonly maxUses: number;
  /** 0: never. */
  readonly expiresAt: number;
}

/** An invite's counts, as the vault (contacts) or the group log (groups) keeps them. */
export interface InviteCounts {
  readonly uses: number;
  readonly maxUses: number;
  readonly expiresAt: number;
}

/**
 * `counts` undefined: the invite is no longer known where it was kept (revoked). Used up is said
 * before expired: it is the more useful reason ("make a new one" either way).
 */
export function inviteUse(counts: InviteCounts | undefined, now: number): InviteUse {
  if (counts === undefined) return { standing: 'revoked', uses: 0, maxUses: 0, expiresAt: 0 };
  const { uses, maxUses, expiresAt } = counts;
  const standing: InviteStanding =
    maxUses !== 0 && uses >= maxUses
      ? 'used-up'
      : expiresAt !== 0 && expiresAt <= now
        ? 'expired'
        : 'live';
  return { standing, uses, maxUses, expiresAt };
}
