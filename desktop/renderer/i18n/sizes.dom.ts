import type { TextOf } from './LanguageProvider.dom.js';

/** A file's size in the person's language: "512 bytes", "24 KiB", "1.5 MiB" ("1,5 MiB"). */
export function formatSize(text: TextOf, bytes: number): string {
  if (bytes < 1024) return text('common.bytes', { count: bytes });
  if (bytes < 1024 * 1024) return text('common.kib', { amount: Math.round(bytes / 1024) });
  return text('common.mib', { amount: Math.round(bytes / ((1024 * 1024) / 10)) / 10 });
}
