import type {
  Contact,
  HistoryEntry,
  KindredClientEvents,
  StoredMessage,
} from '../core/client/index.js';
import { formatAttachments } from './attachmentCommands.js';
import { toHex } from '../core/client/index.js';

/** How results look: a JSON record and a line for a person, for each kind of thing printed. */
export interface Formatted {
  readonly record: Record<string, unknown>;
  readonly human: string;
}

/** Control characters (C0, C1, DEL) and bidirectional overrides; a line break is handled apart. */
const UNPRINTABLE = /\r?\n|[\p{Cc}\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text that came from someone else (a message, a pseudonym), made safe for a terminal. Control
 * characters include the escape sequences that move the cursor, rewrite earlier lines or retitle
 * the window, and bidirectional overrides reorder what is shown: each becomes U+FFFD. A line break
 * stays but the next line is indented, so a message cannot print what looks like another entry.
 * Only human output goes through this; JSON output escapes control characters itself.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (found) => (found.endsWith('\n') ? '\n    ' : '\uFFFD'));
}

export function contactName(contact: Contact): string {
  return printable(contact.alias ?? contact.pseudonym);
}

export function formatContact(contact: Contact, verified: boolean): Formatted {
  const alias = contact.alias === undefined ? '' : `${printable(contact.alias)}  `;
  return {
    record: {
      address: contact.address,
      alias: contact.alias ?? null,
      pseudonym: contact.pseudonym,
      addedVia: contact.addedVia,
      addedAt: contact.addedAt,
      verified,
      blocked: contact.blocked === true,
      refused: contact.refused ?? null,
      readReceipts: contact.readReceipts === true,
    },
    human: `${alias}${printable(contact.pseudonym)}  ${contact.address}${verified ? '  (verified)' : ''}${contact.blocked === true ? '  (blocked)' : ''}${contact.refused === undefined ? '' : '  (not connected: link already used)'}${contact.readReceipts === true ? '  (read receipts on)' : ''}`,
  };
}

/**
 * A message's text as `messages` prints it: under a content warning, covered (the label and how
 * to reveal it) unless `reveal`.
 */
export function coveredText(text: string, warning: string | undefined, reveal: boolean): string {
  if (warning === undefined) return printable(text);
  const label = `[content warning: ${printable(warning)}]`;
  return reveal ? `${label} ${printable(text)}` : `${label} (hidden; --reveal shows it)`;
}

export function formatEntry(contact: Contact, entry: HistoryEntry, reveal = false): Formatted {
  switch (entry.kind) {
    case 'message': {
      const when = new Date(entry.sentAt).toISOString();
      const covered = entry.warning !== undefined && !reveal;
      const from = entry.direction === 'in' ? contactName(contact) : 'me';
      const status =
        entry.direction === 'out' && entry.status !== 'sent'
          ? `  (${entry.status}${entry.failure === undefined ? '' : `: ${entry.failure}; kindred retry`})`
          : '';
      return {
        record: {
          kind: 'message',
          contact: contact.address,
          direction: entry.direction,
          from: entry.direction === 'in' ? contact.address : 'me',
          text: covered ? null : entry.text,
          warning: entry.warning ?? null,
          status: entry.status,
          ...(entry.failure === undefined ? {} : { failure: entry.failure }),
          sequence: entry.sequence,
          sentAt: entry.sentAt,
          messageId: toHex(entry.messageId),
          ...(entry.late === true ? { late: true } : {}),
          ...authorChangeRecord(entry),
          // A covered message hides its files too (their names may say what the warning covers).
          ...(entry.attachments === undefined || covered
            ? {}
            : { attachments: formatAttachments(entry).record }),
        },
        human: `[${when}] ${from}: ${authorChangedText(entry, reveal) ?? coveredText(entry.text, entry.warning, reveal)}${status}${covered ? '' : formatAttachments(entry).human}`,
      };
    }
    case 'notice': {
      const when = new Date(entry.storedAt).toISOString();
      const who =
        entry.direction === 'out'
          ? 'restored from a backup here'
          : `${contactName(contact)} restored from a backup`;
      return {
        record: {
          kind: 'notice',
          contact: contact.address,
          notice: entry.notice,
          direction: entry.direction,
        },
        human: `[${when}] -- secure session renewed (${who}) --`,
      };
    }
    case 'gap': {
      const when = new Date(entry.storedAt).toISOString();
      const allArrived = entry.remaining === 0 ? ' (all arrived later)' : '';
      return {
        record: {
          kind: 'gap',
          contact: contact.address,
          missingFrom: entry.from,
          missingTo: entry.to,
          stillMissing: entry.remaining,
        },
        human: `[${when}] -- ${entry.to - entry.from + 1} message(s) from ${contactName(contact)} missing${allArrived} --`,
      };
    }
  }
}

/**
 * The live events `sync` and `listen` print: under a content warning, covered (text and files)
 * unless `reveal`, as `messages` shows it.
 */
export function formatIncoming(event: KindredClientEvents['message'], reveal = false): Formatted {
  const { contact, message } = event;
  const formatted = formatEntry(contact, message, reveal);
  const covered = message.warning !== undefined && !reveal;
  return {
    record: {
      event: 'message',
      from: contact.address,
      alias: contact.alias ?? null,
      pseudonym: contact.pseudonym,
      text: covered ? null : message.text,
      sequence: message.sequence,
      sentAt: message.sentAt,
      messageId: toHex(message.messageId),
      warning: message.warning ?? null,
      ...(message.attachments === undefined || covered
        ? {}
        : { attachments: formatAttachments(message).record }),
    },
    human: formatted.human,
  };
}

/** What an author's edit or deletion adds to a message's JSON record (nothing when neither). */
export function authorChangeRecord(
  message: Pick<StoredMessage, 'editedAt' | 'deletedByAuthor'>,
): Record<string, unknown> {
  return {
    ...(message.editedAt === undefined ? {} : { editedAt: message.editedAt }),
    ...(message.deletedByAuthor === true ? { deletedByAuthor: true } : {}),
  };
}

/**
 * The human line's text when its author changed the message: "(deleted by its author)", or
 * undefined to print it as usual; an edited one gets "(edited)" after its text.
 */
export function authorChangedText(
  message: Pick<StoredMessage, 'text' | 'warning' | 'editedAt' | 'deletedByAuthor'>,
  reveal = false,
): string | undefined {
  if (message.deletedByAuthor === true) return '(deleted by its author)';
  if (message.editedAt === undefined) return undefined;
  return `${coveredText(message.text, message.warning, reveal)} (edited)`;
}

/** A safety number as people compare it: 12 groups of 5 digits. */
export function groupDigits(digits: string): string {
  return digits.replace(/(\d{5})(?=\d)/g, '$1 ');
}
