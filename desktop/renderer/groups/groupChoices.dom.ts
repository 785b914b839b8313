import type { MessageId } from '../../shared/i18n/messages.std.js';
import { formatDuration } from '../formatting.dom.js';

/** Slow mode choices, in seconds (0: off). */
export const SLOW_MODE_CHOICES: readonly number[] = [0, 10, 30, 60, 300, 900, 3600];

export function slowModeLabel(seconds: number): string {
  return seconds === 0 ? 'Off' : `One post every ${formatDuration(seconds)}`;
}

/** Mute lengths a moderator picks from. */
export const MUTE_CHOICES: readonly { readonly label: string; readonly ms: number }[] = [
  { label: '1 hour', ms: 3_600_000 },
  { label: '8 hours', ms: 8 * 3_600_000 },
  { label: '1 day', ms: 24 * 3_600_000 },
  { label: '3 days', ms: 3 * 24 * 3_600_000 },
  { label: '1 week', ms: 7 * 24 * 3_600_000 },
  { label: '30 days', ms: 30 * 24 * 3_600_000 },
];

export function roleLabel(role: 'owner' | 'moderator' | 'member'): string {
  switch (role) {
    case 'owner':
      return 'Owner';
    case 'moderator':
      return 'Moderator';
    case 'member':
      return 'Member';
  }
}

/** A role's name in the catalogue: `text(roleId(role))` (roleLabel is its English until every caller moves). */
export function roleId(role: 'owner' | 'moderator' | 'member'): MessageId {
  switch (role) {
    case 'owner':
      return 'groups.role.owner';
    case 'moderator':
      return 'groups.role.moderator';
    case 'member':
      return 'groups.role.member';
  }
}

export const ROLE_RANK = { owner: 3, moderator: 2, member: 1 } as const;
