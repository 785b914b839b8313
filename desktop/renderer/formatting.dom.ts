/** How times, durations and counts read in the window (the person's own locale). */

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekdayTime = new Intl.DateTimeFormat(undefined, {
  weekday: 'short',
  hour: 'numeric',
  minute: '2-digit',
});
const shortDate = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const fullDateTime = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** A message's time: the hour today, the weekday this week, else the date. */
export function formatMessageTime(ms: number, now: number = Date.now()): string {
  const then = new Date(ms);
  if (then.toDateString() === new Date(now).toDateString()) return timeOfDay.format(then);
  if (now - ms < 6 * DAY_MS) return weekdayTime.format(then);
  return shortDate.format(then);
}

/** The chat list's "last activity": like {@link formatMessageTime}, empty for none. */
export function formatActivity(ms: number, now: number = Date.now()): string {
  return ms <= 0 ? '' : formatMessageTime(ms, now);
}

export function formatFullTime(ms: number): string {
  return fullDateTime.format(new Date(ms));
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** "30 seconds", "5 minutes", "2 hours", "1 day". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return plural(seconds, 'second');
  if (seconds < 3600) return plural(Math.round(seconds / 60), 'minute');
  if (seconds < 86_400) return plural(Math.round(seconds / 3600), 'hour');
  return plural(Math.round(seconds / 86_400), 'day');
}

export function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The first letter (or emoji) of a name, for an avatar; "?" for an empty name. */
export function initialOf(name: string): string {
  for (const { segment } of graphemes.segment(name.trim())) return segment.toUpperCase();
  return '?';
}
