/**
 * The longest message the window sends or edits to, in UTF-16 code units: core's MAX_TEXT_LENGTH
 * (the window may not import core; tests/desktop/contentWarnings.test.ts keeps them equal). The
 * composer says when a draft is longer, and never cuts it.
 */
export const MAX_MESSAGE_LENGTH = 64 * 1024;
