import { SENSITIVE_IMAGE_LABEL, WARNING_PRESETS } from '../contentWarnings.std.js';
import type { MessageId } from './messages.std.js';
import type { Words } from './notificationWords.std.js';

/**
 * The content warnings everyone's window knows, by the words they travel in (English, core's):
 * the composer's presets, and core's cover for an unwarned image in a group that requires
 * warnings. Each reader sees them in their own language; anything else is the author's own
 * words, shown as written.
 */
const KNOWN_WARNINGS: ReadonlyMap<string, MessageId> = new Map<string, MessageId>([
  [WARNING_PRESETS[0] ?? '', 'warnings.presetMedicalImage'],
  [WARNING_PRESETS[1] ?? '', 'warnings.presetLoss'],
  [WARNING_PRESETS[2] ?? '', 'warnings.presetSelfHarm'],
  [SENSITIVE_IMAGE_LABEL, 'warnings.sensitiveImage'],
]);

/** A content warning as a reader sees it, in `words`' language when it is a known one. */
export function warningWords(words: Words, warning: string): string {
  const id = KNOWN_WARNINGS.get(warning);
  return id === undefined ? warning : words(id);
}

/**
 * The words a warning travels in: a known warning chosen in the author's language goes as its
 * English (so each reader sees it in theirs); the author's own words go as written.
 */
export function warningToSend(words: Words, warning: string): string {
  for (const [sent, id] of KNOWN_WARNINGS) {
    if (words(id) === warning) return sent;
  }
  return warning;
}
