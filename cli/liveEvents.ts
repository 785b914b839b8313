import type { KindredClient } from '../core/client/index.js';
import { GroupHandle, RelayRejectedError, toHex } from '../core/client/index.js';
import type { Formatted } from './format.js';
import { contactName, formatEntry, formatIncoming, printable } from './format.js';
import type { LiveGroupContext, NameOf } from './groupFormat.js';
import {
  formatLiveGroupMessage,
  formatLiveOperation,
  formatLiveReport,
  formatLiveWarning,
} from './groupFormat.js';
import type { Output } from './output.js';

/** What one group is called, and its members, as the persona in it knows them. */
interface GroupNames {
  name: string;
  readonly members: Map<string, string>;
  /** Whether `members` holds everyone the log ever named, not just current members. */
  complete: boolean;
}

/**
 * Names for live group events. Most events carry addresses and a group id only (a message names
 * its sender itself), so names are looked up in the vault, once per group, and again after an
 * operation (a join, a new name) or when an address is not known yet. A lookup that fails leaves
 * the address or id in place of a name.
 */
class GroupDirectory {
  readonly #client: KindredClient;
  readonly #groups = new Map<string, GroupNames>();

  constructor(client: KindredClient) {
    this.#client = client;
  }

  forget(persona: string, groupId: string): void {
    this.#groups.delete(`${persona}/${groupId}`);
  }

  async context(persona: string, groupId: string): Promise<LiveGroupContext> {
    return { groupId, persona, groupName: (await this.#names(persona, groupId)).name };
  }

  /** A NameOf for one group that knows every address in `addresses`, as far as the vault does. */
  async nameOf(persona: string, groupId: string, addresses: readonly string[]): Promise<NameOf> {
    const names = await this.#names(persona, groupId);
    if (!names.complete && addresses.some((address) => !names.members.has(address))) {
      // Someone who left, or who was removed since: the log still names them.
      try {
        for (const entry of await this.#handle(persona, groupId).log()) {
          if (entry.actorPseudonym !== '') names.members.set(entry.actor, entry.actorPseudonym);
          if (entry.target !== undefined && entry.targetPseudonym !== undefined) {
            names.members.set(entry.target, entry.targetPseudonym);
          }
        }
        names.complete = true;
      } catch {
        // Addresses stand in for names.
      }
    }
    return (address) => names.members.get(address) ?? '';
  }

  #handle(persona: string, groupId: string): GroupHandle {
    return new GroupHandle(this.#client.session(persona).groups, groupId, persona);
  }

  async #names(persona: string, groupId: string): Promise<GroupNames> {
    const key = `${persona}/${groupId}`;
    const known = this.#groups.get(key);
    if (known !== undefined) return known;
    const names: GroupNames = { name: '', members: new Map(), complete: false };
    try {
      const handle = this.#handle(persona, groupId);
      names.name = (await handle.details()).name;
      for (const member of await handle.members()) {
        if (member.pseudonym !== '') names.members.set(member.address, member.pseudonym);
      }
    } catch {
      // The id and addresses stand in for names.
    }
    this.#groups.set(key, names);
    return names;
  }
}

/**
 * Prints what a running client reports, for `sync` and `listen`: incoming messages and gaps, new
 * contacts, messages the relay refused for good, impersonation attempts, and from groups: messages,
 * operations (the moderation log as it grows), warnings about the relay, and reports to us as a
 * moderator. Lines come out in the order the events came, though naming a group's members takes a
 * lookup in the vault: everything goes through one queue. A message under a content warning is
 * printed covered unless `reveal`.
 */
export class LiveEventPrinter {
  readonly #out: Output;
  readonly #names: GroupDirectory;
  /** Show messages under a content warning uncovered (`--reveal`). */
  readonly #reveal: boolean;
  #queue: Promise<void> = Promise.resolve();
  #received = 0;
  #groupReceived = 0;

  constructor(client: KindredClient, out: Output, options: { reveal?: boolean } = {}) {
    this.#out = out;
    this.#reveal = options.reveal === true;
    this.#names = new GroupDirectory(client);
    this.#subscribeDirect(client);
    this.#subscribeGroups(client);
  }

  /** Messages from contacts so far. */
  get received(): number {
    return this.#received;
  }

  /** Group messages so far. */
  get groupReceived(): number {
    return this.#groupReceived;
  }

  /** Prints a line after everything queued before it. */
  emit(record: Record<string, unknown>, human: string): void {
    this.#print(() => ({ record, human }));
  }

  /** Resolves once every event so far is printed. */
  async printed(): Promise<void> {
    for (let queue = this.#queue; ; queue = this.#queue) {
      await queue;
      if (queue === this.#queue) return;
    }
  }

  #print(make: () => Formatted | Promise<Formatted>): void {
    this.#queue = this.#queue
      .then(make)
      .then((formatted) => {
        this.#out.emit(formatted.record, formatted.human);
      })
      .catch(() => undefined);
  }

  #subscribeDirect(client: KindredClient): void {
    client.on('message', (event) => {
      this.#received++;
      this.#print(() => formatIncoming(event, this.#reveal));
    });
    client.on('gap', ({ contact, gap }) => {
      const formatted = formatEntry(contact, gap);
      this.emit({ event: 'gap', ...formatted.record }, formatted.human);
    });
    client.on('contactAdded', (contact) => {
      this.emit(
        { event: 'contact-added', address: contact.address, pseudonym: contact.pseudonym },
        `${contactName(contact)} (${contact.address}) used your invite and is now a contact`,
      );
    });
    client.on('messageRequest', ({ persona, request }) => {
      // Only that a request came, and from whom: its words wait for `kindred requests`.
      this.emit(
        {
          event: 'message-request',
          persona,
          id: request.id,
          from: request.sender,
          pseudonym: request.card.pseudonym,
          group: request.groupId,
          messages: request.messages.length,
        },
        `${printable(request.card.pseudonym)} sent you a message request (kindred requests)`,
      );
    });
    client.on('sendFailed', ({ recipient, messageId, error }) => {
      const relayCode = RelayRejectedError.isRelayRejection(error) ? error.relayCode : null;
      this.emit(
        {
          event: 'send-failed',
          to: recipient,
          messageId: toHex(messageId),
          code: error.code,
          relayCode,
        },
        `A message to ${recipient} was refused for good (${relayCode ?? error.code})`,
      );
    });
    client.on('identityMismatch', ({ error }) => {
      this.emit(
        { event: 'identity-mismatch', code: error.code },
        `Refused a message whose identity key does not match its sender's address (${error.code}): someone may be impersonating a contact`,
      );
    });
  }

  #subscribeGroups(client: KindredClient): void {
    const names = this.#names;
    client.on('groupMessage', ({ persona, groupId, message, senderPseudonym }) => {
      this.#groupReceived++;
      this.#print(async () =>
        formatLiveGroupMessage(
          await names.context(persona, groupId),
          message,
          senderPseudonym,
          this.#reveal,
        ),
      );
    });
    client.on('groupOperation', ({ persona, groupId, entry }) => {
      this.#print(async () => {
        // A join, a new name, a removal: look names up afresh from here on.
        names.forget(persona, groupId);
        return formatLiveOperation(await names.context(persona, groupId), entry);
      });
    });
    client.on('groupWarning', ({ persona, groupId, warning }) => {
      this.#print(async () => formatLiveWarning(await names.context(persona, groupId), warning));
    });
    client.on('groupReport', ({ persona, groupId, report }) => {
      this.#print(async () => {
        const addresses = [report.reporter, report.author, ...report.context.map((c) => c.author)];
        const nameOf = await names.nameOf(persona, groupId, addresses);
        return formatLiveReport(await names.context(persona, groupId), report, nameOf);
      });
    });
    client.on('groupSendFailed', ({ persona, groupId, messageId, error }) => {
      const relayCode = RelayRejectedError.isRelayRejection(error) ? error.relayCode : null;
      this.emit(
        {
          event: 'group-send-failed',
          group: groupId,
          persona,
          messageId: toHex(messageId),
          code: error.code,
          relayCode,
        },
        `A message to group ${groupId} was refused for good (${relayCode ?? error.code})`,
      );
    });
  }
}
