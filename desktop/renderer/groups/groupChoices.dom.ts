import type { MessageId } from '../../shared/i18n/messages.std.js';
import { formatDuration } from '../formatting.dom.js';
import type { TextOf } from '../i18n/LanguageProvider.dom.js';

/** Slow mode choices, in seconds (0: off). */
export const SLOW_MODE_CHOICES: readonly number[] = [0, 10, 30, 60, 300, 900, 3600];

/**
 * A slow mode setting in words: "Off", "One post every 30 seconds"; `inline` for the middle of a
 * sentence ("Slow mode: off.").
 */
export function slowModeLabel(text: TextOf, seconds: number, inline = false): string {
  if (seconds === 0) return text(inline ? 'groupForm.slowModeOffInline' : 'groupForm.slowModeOff');
  return text(inline ? 'groupForm.slowModeEveryInline' : 'groupForm.slowModeEvery', {
    duration: formatDuration(seconds),
  });
}

/** A mute length: how many of which unit. */
export interface MuteChoice {
  readonly count: number;
  readonly unit: 'hour' | 'day' | 'week';
  readonly ms: number;
}

const HOUR_MS = 3_600_000;

/** Mute lengths a moderator picks from. */
export const MUTE_CHOICES: readonly MuteChoice[] = [
  { count: 1, unit: 'hour', ms: HOUR_MS },
  { count: 8, unit: 'hour', ms: 8 * HOUR_MS },
  { count: 1, unit: 'day', ms: 24 * HOUR_MS },
  { count: 3, unit: 'day', ms: 3 * 24 * HOUR_MS },
  { count: 1, unit: 'week', ms: 7 * 24 * HOUR_MS },
  { count: 30, unit: 'day', ms: 30 * 24 * HOUR_MS },
];

/** A mute length in words: "8 hours", "1 week". */
export function muteLabel(text: TextOf, choice: MuteChoice): string {
  const id: MessageId =
    choice.unit === 'hour'
      ? 'groupMembers.muteHours'
      : choice.unit === 'day'
        ? 'groupMembers.muteDays'
        : 'groupMembers.muteWeeks';
  return text(id, { count: choice.count });
}

/** A role's name in the catalogue: `text(roleId(role))`. */
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
