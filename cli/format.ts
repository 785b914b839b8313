import type { Contact, HistoryEntry, KindredClientEvents } from '../core/index.js';
import { toHex } from '../core/index.js';

/** How results look: a JSON record and a line for a person, for each kind of thing printed. */
export interface Formatted {
  readonly record: Record<string, unknown>;
  readonly human: string;
}

export function contactName(contact: Contact): string {
  return contact.alias ?? contact.pseudonym;
}

export function formatContact(contact: Contact, verified: boolean): Formatted {
  return {
    record: {
      address: contact.address,
      alias: contact.alias ?? null,
      pseudonym: contact.pseudonym,
      addedVia: contact.addedVia,
      addedAt: contact.addedAt,
      verified,
      identityChanged: contact.changedIdentityKey !== undefined,
    },
    human: `${contact.alias === undefined ? '' : `${contact.alias}  `}${contact.pseudonym}  ${contact.address}${verified ? '  (verified)' : ''}${contact.changedIdentityKey === undefined ? '' : '  (IDENTITY CHANGED)'}`,
  };
}

export function formatEntry(contact: Contact, entry: HistoryEntry): Formatted {
  const when = new Date(entry.kind === 'message' ? entry.sentAt : entry.storedAt).toISOString();
  switch (entry.kind) {
    case 'message':
      return {
        record: {
          kind: 'message',
          contact: contact.address,
          direction: entry.direction,
          from: entry.direction === 'in' ? contact.address : 'me',
          text: entry.text,
          status: entry.status,
          sequence: entry.sequence,
          sentAt: entry.sentAt,
          messageId: toHex(entry.messageId),
          ...(entry.late === true ? { late: true } : {}),
        },
        human: `[${when}] ${entry.direction === 'in' ? contactName(contact) : 'me'}: ${entry.text}${entry.direction === 'out' && entry.status !== 'sent' ? `  (${entry.status})` : ''}`,
      };
    case 'gap':
      return {
        record: {
          kind: 'gap',
          contact: contact.address,
          missingFrom: entry.from,
          missingTo: entry.to,
          stillMissing: entry.remaining,
        },
        human: `[${when}] -- ${entry.to - entry.from + 1} message(s) from ${contactName(contact)} missing${entry.remaining === 0 ? ' (all arrived later)' : ''} --`,
      };
    case 'identity-change':
      return {
        record: { kind: 'identity-change', contact: contact.address, at: entry.storedAt },
        human: `[${when}] -- ${contactName(contact)}'s identity key changed; sending is blocked --`,
      };
  }
}

/** The live events `sync` and `listen` print. */
export function formatIncoming(event: KindredClientEvents['message']): Formatted {
  const { contact, message } = event;
  const formatted = formatEntry(contact, message);
  return {
    record: {
      event: 'message',
      from: contact.address,
      alias: contact.alias ?? null,
      pseudonym: contact.pseudonym,
      text: message.text,
      sequence: message.sequence,
      sentAt: message.sentAt,
      messageId: toHex(message.messageId),
    },
    human: formatted.human,
  };
}

/** A safety number as people compare it: 12 groups of 5 digits. */
export function groupDigits(digits: string): string {
  return digits.replace(/(\d{5})(?=\d)/g, '$1 ');
}
