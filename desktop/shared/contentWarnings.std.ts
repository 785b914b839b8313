/**
 * Content warnings as the window offers them. The window may not import core, so these mirror
 * core's WARNING_PRESETS, SENSITIVE_IMAGE_LABEL and MAX_WARNING_LENGTH (tests/desktop/contentWarnings.test.ts keeps them
 * equal); core checks every warning again when it is sent.
 */

/** The warnings the composer offers as presets; anything else is the person's own words. */
export const WARNING_PRESETS: readonly string[] = [
  'Graphic medical image',
  'Loss / bereavement',
  'Self-harm',
];

/**
 * Core's cover for an unwarned image in a group that requires warnings on images (core's
 * SENSITIVE_IMAGE_LABEL): it reaches the window as that message's warning.
 */
export const SENSITIVE_IMAGE_LABEL = 'Sensitive image';

/** Longest content warning, in UTF-16 code units. */
export const MAX_WARNING_LENGTH = 100;
