import { bytesEqual, fromHex, toHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { Contact } from '../ContactBook.js';
import { parseContactInviteLink } from '../ContactInviteLink.js';
import type { HistoryMessage } from '../direct/MessageHistory.js';
import type { StoredAttachment } from '../messages/ConversationStore.js';
import { MESSAGE_ID_BYTES, newMessageId, textBody } from '../messages/messageBodyCodec.js';
import type { PersonaSession } from '../PersonaSession.js';
import type { LinkedRelay } from '../personaRelays.js';
import { contactLinkOf, followLinkOf } from './followLink.js';
import type { JournalRole, JournalUpdateRecord } from './JournalRecords.js';
import { JOURNAL_HEART } from './journalRules.js';

/** What Journals needs from the client. */
export interface JournalsHost {
  /** Every persona session of the vault. */
  readonly sessions: () => PersonaSession[];
  /**
   * Runs `work` with a fresh persona (registered with `relay`, default the main persona's),
   * removed again when `work` fails.
   */
  readonly freshPersona: <T>(
    pseudonym: string | undefined,
    work: (session: PersonaSession) => Promise<T>,
    relay?: LinkedRelay,
  ) => Promise<T>;
}

/** This vault's journal, as its author sees it. */
export interface JournalSummary {
  /** The journal's own persona. */
  readonly address: string;
  /** Its title: the journal persona's pseudonym, which followers see. */
  readonly title: string;
  readonly followers: number;
  readonly updates: number;
}

export interface FollowLink {
  readonly link: string;
  readonly inviteId: string;
  readonly expiresAt: number;
  readonly maxUses: number;
}

export interface FollowLinkInfo {
  readonly inviteId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly maxUses: number;
  readonly uses: number;
}

export interface Follower {
  readonly address: string;
  readonly pseudonym: string;
  readonly followedAt: number;
}

/** A follower's support message, as the author sees it. */
export interface SupportReceived {
  readonly follower: string;
  readonly pseudonym: string;
  readonly text: string;
  readonly sentAt: number;
}

/** An update the author posted, with what followers answered. */
export interface PostedUpdate {
  readonly updateId: string;
  readonly postedAt: number;
  readonly text: string;
  readonly warning?: string;
  readonly attachments: number;
  /** How many followers it went to. */
  readonly sentTo: number;
  /** Followers who sent a heart (and still follow). */
  readonly hearts: number;
  readonly support: readonly SupportReceived[];
  /**
   * Where the author opens the update's files: the message to a follower that still holds them
   * (all followers' messages name the one kept copy). Absent without files, or once no follower's
   * message holds them any more (every one removed or deleted).
   */
  readonly files?: {
    readonly follower: string;
    readonly messageId: Uint8Array;
    readonly attachments: readonly StoredAttachment[];
  };
}

/** A journal this vault follows. */
export interface FollowedJournal {
  /** Our persona that follows it (made for it). */
  readonly persona: string;
  /** The journal's persona. */
  readonly journal: string;
  readonly title: string;
  readonly followedAt: number;
}

/** An update in a follower's feed. */
export interface FeedUpdate {
  /** Our persona that follows it: the update is a message of its conversation with `journal`. */
  readonly persona: string;
  /** The journal's persona. */
  readonly journal: string;
  readonly title: string;
  /** This update's id in our feed (hex): what support and heart name. */
  readonly updateId: string;
  readonly sentAt: number;
  readonly text: string;
  readonly warning?: string;
  readonly attachments: readonly StoredAttachment[];
  readonly deletedByAuthor?: true;
  readonly editedAt?: number;
  /** We sent a heart. */
  readonly hearted: boolean;
  /** What we answered it with. */
  readonly support: readonly { readonly text: string; readonly sentAt: number }[];
}

/** What post sends besides its words. */
export interface JournalPostOptions {
  /** Files (photos) to go with it: cleaned and encrypted as for any message. */
  readonly attachments?: readonly string[];
  readonly warning?: string;
  readonly sendUncleaned?: boolean;
}

/**
 * A vault's journal and the journals it follows (docs/journal.md). A journal has a persona of its
 * own, unlinkable by the relay to the author's others; each follower is a contact of it, reached
 * by a follow link, and follows as a fresh persona of their own. An update goes 1:1, sealed, to
 * each follower, so no follower's client ever holds anything of another follower; support and
 * hearts go back the same way to the journal's persona alone.
 */
export class Journals {
  readonly #host: JournalsHost;

  constructor(host: JournalsHost) {
    this.#host = host;
  }

  // ---------------------------------------------------------------------------------------------
  // The author's side

  /**
   * Starts this vault's journal under a fresh persona named `title` (followers see it).
   * CORE_INVALID_INPUT when the vault keeps one already (one journal per vault).
   */
  async create(options: { readonly title: string }): Promise<JournalSummary> {
    if ((await this.#authorSession()) !== undefined) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'this vault keeps a journal already');
    }
    return this.#host.freshPersona(options.title, async (session) => {
      await session.journalStep((records) =>
        records.setRole({ role: 'author', createdAt: Date.now() }),
      );
      return this.#summary(session);
    });
  }

  /** This vault's journal (CORE_PERSONA_NOT_FOUND when it keeps none). */
  async mine(): Promise<JournalSummary> {
    return this.#summary(await this.#author());
  }

  /**
   * A follow link (a signed invite to the journal's persona: `maxUses` 0 unlimited, `expiresAt`
   * ms, 0 never). Its key is registered with the relay, which refuses it once it expires.
   */
  async createLink(options: { maxUses: number; expiresAt: number }): Promise<FollowLink> {
    const session = await this.#author();
    const invite = await session.createInvite(options);
    return {
      link: followLinkOf(invite.link),
      inviteId: toHex(invite.inviteId),
      expiresAt: invite.expiresAt,
      maxUses: invite.maxUses,
    };
  }

  /** The follow links on record, oldest first. */
  async links(): Promise<FollowLinkInfo[]> {
    const session = await this.#author();
    return (await session.issuedInvites()).map((invite) => ({
      inviteId: toHex(invite.inviteId),
      createdAt: invite.createdAt,
      expiresAt: invite.expiresAt,
      maxUses: invite.maxUses,
      uses: invite.uses,
    }));
  }

  /**
   * Revokes a follow link by its id (hex): nobody can follow through it any more. `revokedAtRelay`
   * false: the relay could not be reached, and the link's key is revoked on the next connection.
   */
  async revokeLink(inviteId: string): Promise<{ revokedAtRelay: boolean }> {
    const session = await this.#author();
    const id = fromHex(inviteId);
    if (id === undefined) throw new CoreError(CoreErrorCode.InvalidInput, 'no such invite link');
    return session.revokeInvite(id);
  }

  /** Current followers, in the order they came. */
  async followers(): Promise<Follower[]> {
    return followersOf(await this.#author());
  }

  /**
   * Removes a follower (by address or pseudonym): their delivery key is revoked at the relay (what
   * they send is refused; `revokedAtRelay` false: on the next connection), nothing more goes to
   * them, and their conversation leaves the vault.
   * CORE_CONTACT_NOT_FOUND for someone who does not follow.
   */
  async removeFollower(reference: string): Promise<Follower & { revokedAtRelay: boolean }> {
    const session = await this.#author();
    const follower = await findFollower(session, reference);
    const { revokedAtRelay } = await session.direct.removeContact(follower.address);
    return { ...follower, revokedAtRelay };
  }

  /**
   * Posts an update to every current follower: one sealed 1:1 message each, stored and queued at
   * once, then sent in the background. Its files are cleaned, encrypted and uploaded ONCE, granted
   * for as many downloads as followers, and every follower gets the same pointer; our one kept
   * copy is shared by their messages (AttachmentTransfers.share), so removing one follower's
   * message keeps it for the others.
   */
  async post(text: string, options: JournalPostOptions = {}): Promise<PostedUpdate> {
    const session = await this.#author();
    const paths = options.attachments ?? [];
    // Checked once, before anything is stored or uploaded.
    textBody(paths.length > 0 && text === '' ? ' ' : text, {
      warning: options.warning,
      journal: 'update',
    });
    const followers = await followersOf(session);
    const updateId = newMessageId();
    const [first] = followers;
    const uploaded =
      paths.length === 0 || first === undefined
        ? undefined
        : await session.attachments.upload(paths, {
            // Progress is told as the first follower's: the window shows none for a journal.
            conversation: { kind: 'direct', address: first.address },
            messageId: updateId,
            expectedFetches: fetchesFor(followers.length),
            ...(options.sendUncleaned === undefined
              ? {}
              : { sendUncleaned: options.sendUncleaned }),
          });
    if (uploaded !== undefined) await session.attachments.share(uploaded);
    const deliveries: { follower: string; messageId: Uint8Array }[] = [];
    try {
      for (const follower of followers) {
        const message = await session.direct.send(follower.address, text, {
          journal: 'update',
          ...(options.warning === undefined ? {} : { warning: options.warning }),
          ...(uploaded === undefined ? {} : { uploaded }),
        });
        deliveries.push({ follower: follower.address, messageId: message.messageId });
      }
    } finally {
      // No follower's message holds the files: nothing will ever remove them but this.
      if (uploaded !== undefined && deliveries.length === 0) {
        await session.attachments.discard(uploaded);
      }
    }
    const record: JournalUpdateRecord = {
      updateId,
      postedAt: Date.now(),
      text,
      ...(options.warning === undefined ? {} : { warning: options.warning }),
      attachments: paths.length,
      deliveries,
    };
    await session.journalStep((records) => records.putUpdate(record));
    return { ...describeUpdate(record), hearts: 0, support: [] };
  }

  /** Every update posted, oldest first, with the support and hearts of current followers. */
  async updates(): Promise<PostedUpdate[]> {
    const session = await this.#author();
    const records = await session.journalStep((journal) => journal.updates());
    const followers = new Map((await followersOf(session)).map((f) => [f.address, f]));
    const conversations = new Map<string, HistoryMessage[]>();
    for (const address of followers.keys()) {
      conversations.set(address, await messagesWith(session, address));
    }
    return records.map((record) => {
      let hearts = 0;
      const support: SupportReceived[] = [];
      let files: PostedUpdate['files'];
      for (const { follower, messageId } of record.deliveries) {
        const who = followers.get(follower);
        const messages = conversations.get(follower);
        if (who === undefined || messages === undefined) continue;
        const sent = messages.find((m) => bytesEqual(m.messageId, messageId));
        if (files === undefined && sent?.attachments !== undefined && sent.attachments.length > 0) {
          files = { follower, messageId, attachments: sent.attachments };
        }
        if (sent?.reactions?.[follower] === JOURNAL_HEART) hearts += 1;
        for (const m of messages) {
          if (m.outgoing || m.journal !== 'support' || m.replyTo === undefined) continue;
          if (!bytesEqual(m.replyTo, messageId) || m.deletedByAuthor === true) continue;
          support.push({ follower, pseudonym: who.pseudonym, text: m.text, sentAt: m.sentAt });
        }
      }
      support.sort((a, b) => a.sentAt - b.sentAt);
      return {
        ...describeUpdate(record),
        hearts,
        support,
        ...(files === undefined ? {} : { files }),
      };
    });
  }

  // ---------------------------------------------------------------------------------------------
  // A follower's side

  /**
   * Follows a journal through its follow link, as a fresh persona (named `pseudonym`, else a
   * generated name) that holds only this journal, so the author learns nothing of our other
   * personas and the relay cannot link them. CORE_INVALID_INVITE_LINK for anything but a valid
   * follow link, CORE_INVITE_EXPIRED / CORE_INVITE_USED_UP for a spent one (no persona is left
   * behind then), CORE_CONTACT_EXISTS when this vault follows that journal already.
   */
  async follow(link: string, options: { pseudonym?: string } = {}): Promise<FollowedJournal> {
    const contactLink = contactLinkOf(link);
    const { card } = parseContactInviteLink(contactLink);
    for (const followed of await this.following()) {
      if (followed.journal === card.address) {
        throw new CoreError(CoreErrorCode.ContactExists, 'this vault follows that journal');
      }
    }
    if (this.#host.sessions().some((session) => session.address === card.address)) {
      throw new CoreError(CoreErrorCode.InvalidInput, 'that follow link is your own');
    }
    // The follower persona lives on the journal's relay, whichever relay that is.
    const relay = { relayUrl: card.relayUrl, trustRoot: card.trustRoot };
    return this.#host.freshPersona(
      options.pseudonym,
      async (session) => {
        const contact = await session.addContact(contactLink);
        const followedAt = Date.now();
        await session.journalStep((records) =>
          records.setRole({ role: 'follower', journal: contact.address, followedAt }),
        );
        return {
          persona: session.address,
          journal: contact.address,
          title: contact.pseudonym,
          followedAt,
        };
      },
      relay,
    );
  }

  /** The journals this vault follows. */
  async following(): Promise<FollowedJournal[]> {
    const found: FollowedJournal[] = [];
    for (const session of this.#host.sessions()) {
      const role = await roleOf(session);
      if (role?.role !== 'follower') continue;
      const contact = await session.direct.contact(role.journal).catch(() => undefined);
      found.push({
        persona: session.address,
        journal: role.journal,
        title: contact?.pseudonym ?? '',
        followedAt: role.followedAt,
      });
    }
    return found;
  }

  /** The updates of every journal followed (or of `journal`, an address), oldest first. */
  async feed(journal?: string): Promise<FeedUpdate[]> {
    const updates: FeedUpdate[] = [];
    for (const followed of await this.following()) {
      if (journal !== undefined && followed.journal !== journal) continue;
      const session = this.#session(followed.persona);
      const messages = await messagesWith(session, followed.journal);
      for (const m of messages) {
        if (m.outgoing || m.journal !== 'update') continue;
        updates.push({
          persona: followed.persona,
          journal: followed.journal,
          title: followed.title,
          updateId: toHex(m.messageId),
          sentAt: m.sentAt,
          text: m.text,
          ...(m.warning === undefined ? {} : { warning: m.warning }),
          attachments: m.attachments ?? [],
          ...(m.deletedByAuthor === true ? { deletedByAuthor: true as const } : {}),
          ...(m.editedAt === undefined ? {} : { editedAt: m.editedAt }),
          hearted: m.reactions?.[session.address] === JOURNAL_HEART,
          support: messages
            .filter(
              (s) =>
                s.outgoing &&
                s.journal === 'support' &&
                s.replyTo !== undefined &&
                bytesEqual(s.replyTo, m.messageId),
            )
            .map((s) => ({ text: s.text, sentAt: s.sentAt })),
        });
      }
    }
    return updates.sort((a, b) => a.sentAt - b.sentAt);
  }

  /**
   * Answers an update of a journal we follow with a support message only its author sees.
   * CORE_MESSAGE_NOT_FOUND for an update id no followed journal sent us.
   */
  async support(updateId: string, text: string): Promise<HistoryMessage> {
    const { session, journal, messageId } = await this.#findUpdate(updateId);
    return session.direct.send(journal, text, { journal: 'support', replyTo: messageId });
  }

  /** Sends a heart for an update (only its author sees it); `false` takes it back. */
  async heart(updateId: string, on = true): Promise<HistoryMessage> {
    const { session, journal, messageId } = await this.#findUpdate(updateId);
    return session.direct.react(journal, messageId, on ? JOURNAL_HEART : '');
  }

  // ---------------------------------------------------------------------------------------------

  async #findUpdate(
    updateId: string,
  ): Promise<{ session: PersonaSession; journal: string; messageId: Uint8Array }> {
    const messageId = fromHex(updateId);
    if (messageId?.length === MESSAGE_ID_BYTES) {
      for (const followed of await this.following()) {
        const session = this.#session(followed.persona);
        const messages = await messagesWith(session, followed.journal);
        const update = messages.find((m) => bytesEqual(m.messageId, messageId));
        if (update !== undefined && !update.outgoing && update.journal === 'update') {
          return { session, journal: followed.journal, messageId };
        }
      }
    }
    throw new CoreError(CoreErrorCode.MessageNotFound, 'no such journal update');
  }

  #session(address: string): PersonaSession {
    const session = this.#host.sessions().find((s) => s.address === address);
    if (session === undefined)
      throw new CoreError(CoreErrorCode.PersonaNotFound, 'no such persona');
    return session;
  }

  async #authorSession(): Promise<PersonaSession | undefined> {
    for (const session of this.#host.sessions()) {
      if ((await roleOf(session))?.role === 'author') return session;
    }
    return undefined;
  }

  async #author(): Promise<PersonaSession> {
    const session = await this.#authorSession();
    if (session === undefined) {
      throw new CoreError(CoreErrorCode.PersonaNotFound, 'this vault keeps no journal');
    }
    return session;
  }

  async #summary(session: PersonaSession): Promise<JournalSummary> {
    return {
      address: session.address,
      title: session.whoami().pseudonym,
      followers: (await followersOf(session)).length,
      updates: (await session.journalStep((records) => records.updates())).length,
    };
  }
}

/**
 * The downloads a journal photo's blob is granted for: the followers' count rounded up to a power
 * of two. Whole downloads are what the relay counts, so a follower who fetches the one blob again
 * and again until it is gone learns how many fetches it was granted for; rounded, that tells the
 * size of the audience only within a factor of two (docs/journal.md, "What the relay learns").
 */
export function fetchesFor(followers: number): number {
  let fetches = 1;
  while (fetches < followers) fetches *= 2;
  // Never over what a relay grants by default (maxBlobExpectedFetches): past 512 followers the
  // rounding stops there rather than have the upload refused.
  return Math.max(followers, Math.min(fetches, DEFAULT_MAX_BLOB_FETCHES));
}

/** A relay's default `maxBlobExpectedFetches` (server/RelayOptions.ts). */
const DEFAULT_MAX_BLOB_FETCHES = 1000;

function roleOf(session: PersonaSession): Promise<JournalRole | undefined> {
  return session.journalStep((records) => records.role());
}

async function followersOf(session: PersonaSession): Promise<Follower[]> {
  return (await session.direct.contacts())
    .filter((contact) => contact.blocked !== true)
    .sort((a, b) => a.addedAt - b.addedAt)
    .map(describeFollower);
}

function describeFollower(contact: Contact): Follower {
  return { address: contact.address, pseudonym: contact.pseudonym, followedAt: contact.addedAt };
}

async function findFollower(session: PersonaSession, reference: string): Promise<Follower> {
  const followers = await followersOf(session);
  const found =
    followers.find((f) => f.address === reference) ??
    followers.find((f) => f.pseudonym === reference);
  if (found === undefined) {
    throw new CoreError(CoreErrorCode.ContactNotFound, 'no such follower');
  }
  return found;
}

async function messagesWith(session: PersonaSession, address: string): Promise<HistoryMessage[]> {
  return (await session.direct.messages(address)).filter(
    (entry): entry is HistoryMessage => entry.kind === 'message',
  );
}

function describeUpdate(record: JournalUpdateRecord): Omit<PostedUpdate, 'hearts' | 'support'> {
  return {
    updateId: toHex(record.updateId),
    postedAt: record.postedAt,
    text: record.text,
    ...(record.warning === undefined ? {} : { warning: record.warning }),
    attachments: record.attachments,
    sentTo: record.deliveries.length,
  };
}
