import type { TextOf } from './LanguageProvider.dom.js';

/**
 * A disappearing-message timer as the `timers` area's messages take it: its largest whole unit and
 * how many, like core's timerWords, so English reads "90 minutes", "1 week" as it always did. One
 * place for every timer the window words: the header's control and the timeline's notices.
 */
export function timerParts(seconds: number): { unit: string; count: number } {
  for (const [unit, size] of [
    ['week', 7 * 86_400],
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
  ] as const) {
    if (seconds % size === 0) return { unit, count: seconds / size };
  }
  return { unit: 'second', count: seconds };
}

/** "Off", "5 minutes", "1 day": a timer in words, in the window's language. */
export function timerWords(text: TextOf, seconds: number): string {
  return seconds === 0 ? text('timers.off') : text('timers.duration', timerParts(seconds));
}
