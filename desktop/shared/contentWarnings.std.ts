/**
 * Content warnings as the window offers them. The window may not import core, so these mirror
 * core's WARNING_PRESETS and MAX_WARNING_LENGTH (tests/desktop/contentWarnings.test.ts keeps them
 * equal); core checks every warning again when it is sent.
 */

/** The warnings the composer offers as presets; anything else is the person's own words. */
export const WARNING_PRESETS: readonly string[] = [
  'Graphic medical image',
  'Loss / bereavement',
  'Self-harm',
];

/** Longest content warning, in UTF-16 code units. */
export const MAX_WARNING_LENGTH = 100;
