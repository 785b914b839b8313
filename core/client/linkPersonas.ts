import { toHex } from '../bytes/bytes.js';
import { parseGroupInviteLink } from '../groups/GroupInviteLink.js';
import type { Contact } from './ContactBook.js';
import { parseContactInviteLink } from './ContactInviteLink.js';
import { GroupHandle } from './groups/GroupHandle.js';
import type { GroupPreview } from './groups/GroupPreview.js';
import { checkNotInGroup } from './groups/findGroup.js';
import type { OtherRelayLinks } from './OtherRelayLinks.js';
import type { GroupPersonaChoice, PersonaCreation } from './PersonaCreation.js';
import { isOnRelay, sessionOnRelay } from './personaRelays.js';
import type { PersonaSession } from './PersonaSession.js';

/**
 * Acting on a group or contact link, whichever relay it leads to: which persona joins or adds
 * (a fresh one registered with the link's relay by default; a chosen one must be on it), and
 * which connection a preview reads on. What KindredClient's joinGroup, previewGroup and
 * addContact share; see docs/groups.md, "Groups and contacts on other relays".
 */

/** What acting on a link needs from the client. */
export interface LinkPersonasHost {
  readonly personas: PersonaCreation;
  /** Every persona session, the main one first. */
  readonly sessions: () => PersonaSession[];
  readonly main: () => PersonaSession;
  readonly otherRelays: OtherRelayLinks;
}

/** Who takes part, for a link: see KindredClient.joinGroup and addContact. */
export interface LinkPersonaOptions {
  readonly persona?: GroupPersonaChoice;
  /** The fresh persona's pseudonym (default: generated). */
  readonly pseudonym?: string;
  /** For a fresh persona on a relay that registers by invite. */
  readonly inviteToken?: Uint8Array;
}

export interface JoinGroupOptions extends LinkPersonaOptions {
  readonly introduction?: string;
}

export interface AddContactOptions extends LinkPersonaOptions {
  readonly alias?: string;
}

/** See KindredClient.joinGroup. */
export async function joinGroupFromLink(
  host: LinkPersonasHost,
  link: string,
  options: JoinGroupOptions,
): Promise<GroupHandle> {
  const invite = parseGroupInviteLink(link);
  const groupId = toHex(invite.groupId);
  await checkNotInGroup(host.sessions(), groupId);
  const session = await host.personas.forGroup(options.persona, {
    relay: invite,
    pseudonym: options.pseudonym,
    inviteToken: options.inviteToken,
  });
  await host.personas.orDiscard(session, options.persona, () =>
    session.groups.join(
      invite,
      options.introduction === undefined ? {} : { introduction: options.introduction },
    ),
  );
  return new GroupHandle(session.groups, groupId, session.address);
}

/** See KindredClient.previewGroup. */
export async function previewGroupLink(
  host: LinkPersonasHost,
  link: string,
): Promise<GroupPreview> {
  const invite = parseGroupInviteLink(link);
  const onRelay = sessionOnRelay(host.sessions(), invite.trustRoot);
  if (onRelay !== undefined) return onRelay.groups.preview(invite);
  return host
    .main()
    .groups.preview(invite, () =>
      host.otherRelays.connection(invite, `group:${toHex(invite.groupId)}`),
    );
}

/** See KindredClient.addContact. */
export async function addContactFromLink(
  host: LinkPersonasHost,
  link: string,
  options: AddContactOptions,
): Promise<Contact & { readonly persona: string }> {
  const { card } = parseContactInviteLink(link);
  const choice = options.persona ?? (isOnRelay(host.main(), card.trustRoot) ? 'current' : 'fresh');
  const session = await host.personas.forGroup(choice, {
    relay: { relayUrl: card.relayUrl, trustRoot: card.trustRoot },
    pseudonym: options.pseudonym,
    inviteToken: options.inviteToken,
  });
  const contact = await host.personas.orDiscard(session, choice, () =>
    session.addContact(link, options.alias === undefined ? {} : { alias: options.alias }),
  );
  return { ...contact, persona: session.address };
}
