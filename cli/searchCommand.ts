import type { Contact, GroupSummary, SearchHit } from '../core/client/index.js';
import { CoreError, CoreErrorCode } from '../core/client/index.js';
import type { CommonOptions } from './commandClient.js';
import { withClient } from './commandClient.js';
import { contactName, printable } from './format.js';
import type { Formatted } from './format.js';

export interface SearchCommandOptions extends CommonOptions {
  readonly limit: number;
  /** A contact (alias or address) or a group: only that conversation. */
  readonly in?: string;
}

/**
 * `kindred search WORDS`: the main persona's 1:1 and group texts holding every word (the last one
 * also as a prefix), newest first, from the index sealed in the vault. Offline: nothing is sent.
 */
export function searchCommand(query: string, options: SearchCommandOptions): Promise<void> {
  return withClient(options, async (client, out) => {
    const contacts = new Map<string, Contact>();
    for (const contact of await client.contacts())
      contacts.set(`direct:${contact.address}`, contact);
    const groups = new Map<string, GroupSummary>();
    for (const group of await client.groups()) groups.set(`group:${group.groupId}`, group);
    let conversation: string | undefined;
    if (options.in !== undefined) {
      conversation = await conversationOf(options.in, contacts, groups);
    }
    const hits = await client.search(query, {
      limit: options.limit,
      ...(conversation === undefined ? {} : { conversation }),
    });
    for (const hit of hits) {
      const formatted = formatHit(hit, contacts, groups);
      out.emit(formatted.record, formatted.human);
    }
  });
}

async function conversationOf(
  reference: string,
  contacts: ReadonlyMap<string, Contact>,
  groups: ReadonlyMap<string, GroupSummary>,
): Promise<string> {
  for (const [conversation, contact] of contacts) {
    if (contact.address === reference || contact.alias === reference) return conversation;
  }
  for (const [conversation, group] of groups) {
    if (group.groupId === reference || group.name === reference) return conversation;
  }
  return Promise.reject(
    new CoreError(CoreErrorCode.ContactNotFound, 'no contact or group by that name'),
  );
}

function formatHit(
  hit: SearchHit & { readonly persona: string },
  contacts: ReadonlyMap<string, Contact>,
  groups: ReadonlyMap<string, GroupSummary>,
): Formatted {
  const contact = contacts.get(hit.conversation);
  const group = groups.get(hit.conversation);
  const where =
    contact !== undefined
      ? contactName(contact)
      : group !== undefined
        ? `group ${printable(group.name)}`
        : hit.conversation;
  return {
    record: {
      kind: 'searchHit',
      persona: hit.persona,
      conversation: hit.conversation,
      ...(contact === undefined ? {} : { contact: contact.address }),
      ...(group === undefined ? {} : { group: group.groupId }),
      messageId: hit.messageId,
      sentAt: hit.sentAt,
      snippet: hit.snippet,
    },
    human: `[${new Date(hit.sentAt).toISOString()}] ${where}: ${printable(hit.snippet)}`,
  };
}
