import type { Contact, GroupSummary, KindredClient, SearchHit } from '../core/client/index.js';
import { CoreError, CoreErrorCode, toHex } from '../core/client/index.js';
import type { CommonOptions } from './commandClient.js';
import { withClient } from './commandClient.js';
import { contactName, coveredText, printable } from './format.js';
import type { Formatted } from './format.js';

export interface SearchCommandOptions extends CommonOptions {
  readonly limit: number;
  /** A contact (alias or address) or a group: only that conversation. */
  readonly in?: string;
  /** Show the text of messages under a content warning (else covered, as `messages` does). */
  readonly reveal?: boolean;
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
    const warnings = await warningsOf(client, hits);
    for (const hit of hits) {
      const warning = warnings.get(`${hit.persona} ${hit.conversation} ${hit.messageId}`);
      const formatted = formatHit(hit, contacts, groups, warning, options.reveal === true);
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

/**
 * The content warnings of the hits' messages (keyed `persona conversation messageId`): the index
 * holds words only, so each conversation with a hit is read once from the vault.
 */
async function warningsOf(
  client: KindredClient,
  hits: readonly (SearchHit & { readonly persona: string })[],
): Promise<Map<string, string>> {
  const warnings = new Map<string, string>();
  const read = new Set<string>();
  for (const hit of hits) {
    const where = `${hit.persona} ${hit.conversation}`;
    if (read.has(where)) continue;
    read.add(where);
    const [kind, id] = hit.conversation.split(':', 2);
    if (id === undefined) continue;
    const messages =
      kind === 'direct'
        ? await client.session(hit.persona).direct.messages(id)
        : kind === 'group'
          ? await (await client.group(id)).messages()
          : [];
    for (const message of messages) {
      // 1:1 histories hold gap markers and notices too: only messages carry warnings.
      if (message.kind !== 'message' || message.warning === undefined) continue;
      warnings.set(`${where} ${toHex(message.messageId)}`, message.warning);
    }
  }
  return warnings;
}

function formatHit(
  hit: SearchHit & { readonly persona: string },
  contacts: ReadonlyMap<string, Contact>,
  groups: ReadonlyMap<string, GroupSummary>,
  warning: string | undefined,
  reveal: boolean,
): Formatted {
  const covered = warning !== undefined && !reveal;
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
      // A warned message's words stay covered in JSON too, as in `messages --json`.
      snippet: covered ? null : hit.snippet,
      warning: warning ?? null,
    },
    human: `[${new Date(hit.sentAt).toISOString()}] ${where}: ${coveredText(hit.snippet, warning, reveal)}`,
  };
}
