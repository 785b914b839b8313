import type { FeedUpdate, PostedUpdate, StoredAttachment } from '../../core/client/index.js';
import { CoreError, CoreErrorCode, toHex } from '../../core/client/index.js';
import type {
  FeedUpdateView,
  JournalFilesView,
  PostedUpdateView,
} from '../shared/journalViews.std.js';
import type { AppEvent } from '../shared/api.std.js';
import { attachmentViews } from './AttachmentViews.main.js';
import { contactConversationId } from './conversationId.std.js';
import type { ApiHandlers } from './callRouter.main.js';
import type { UnlockedVault } from './UnlockedVault.main.js';

type JournalMethod = Extract<keyof ApiHandlers, `journal.${string}`>;

const HOUR_MS = 3_600_000;

/**
 * The Journal area's calls (docs/journal.md) over core's `client.journals`. After anything that
 * changes what the area shows, `lists-changed` tells every window to load it again.
 */
export function journalHandlers(
  vault: () => UnlockedVault,
  emit: (event: AppEvent) => void,
): Pick<ApiHandlers, JournalMethod> {
  const journals = () => vault().client.journals;
  const changed = <T>(value: T): T => {
    emit({ type: 'lists-changed' });
    return value;
  };
  return {
    'journal.mine': async () => {
      // A vault that keeps no journal is the common case, not a failure the window shows.
      if (!(await hasJournal(vault))) return null;
      return journals().mine();
    },
    'journal.create': async (args) => changed(await journals().create({ title: args.title })),
    'journal.createLink': async (args) =>
      changed(
        await journals().createLink({
          maxUses: args.maxUses,
          expiresAt: Date.now() + args.expiresInHours * HOUR_MS,
        }),
      ),
    'journal.links': () => journals().links(),
    'journal.revokeLink': async (args) => changed(await journals().revokeLink(args.inviteId)),
    'journal.followers': () => journals().followers(),
    'journal.removeFollower': async (args) => {
      const { revokedAtRelay } = await journals().removeFollower(args.follower);
      return changed({ revokedAtRelay });
    },
    'journal.post': async (args) => {
      const ids = args.attachments ?? [];
      const paths = vault().staging.paths(ids);
      const posted = await journals().post(args.text, {
        ...(args.warning === undefined ? {} : { warning: args.warning }),
        ...(paths.length === 0 ? {} : { attachments: paths }),
        ...(args.sendUncleaned === undefined ? {} : { sendUncleaned: args.sendUncleaned }),
      });
      // As for conversations.send: staged files go once stored; after a refusal they stay.
      await vault().staging.release(ids);
      return changed(postedView(posted, (await journals().mine()).address));
    },
    'journal.updates': async () => {
      const journal = (await journals().mine()).address;
      return (await journals().updates()).map((update) => postedView(update, journal));
    },
    'journal.follow': async (args) =>
      changed(
        await journals().follow(args.link.trim(), {
          ...(args.pseudonym === undefined ? {} : { pseudonym: args.pseudonym }),
        }),
      ),
    'journal.following': () => journals().following(),
    'journal.feed': async () => (await journals().feed()).map(feedView),
    'journal.support': async (args) => {
      await journals().support(args.updateId, args.text);
      return changed(null);
    },
    'journal.heart': async (args) => {
      await journals().heart(args.updateId, args.on);
      return changed(null);
    },
  };
}

async function hasJournal(vault: () => UnlockedVault): Promise<boolean> {
  try {
    await vault().client.journals.mine();
    return true;
  } catch (error) {
    if (error instanceof CoreError && error.code === CoreErrorCode.PersonaNotFound) return false;
    throw error;
  }
}

/** An update's files as the window opens them: a message of the conversation `persona` ↔ `other`. */
function filesView(
  persona: string,
  other: string,
  messageId: string,
  attachments: readonly StoredAttachment[],
): { files?: JournalFilesView } {
  const views = attachmentViews({ attachments });
  if (views === undefined) return {};
  return {
    files: { conversationId: contactConversationId(persona, other), messageId, attachments: views },
  };
}

/** `journal`: the journal's persona, whose conversations with followers hold the updates. */
function postedView(update: PostedUpdate, journal: string): PostedUpdateView {
  return {
    updateId: update.updateId,
    postedAt: update.postedAt,
    text: update.text,
    ...(update.warning === undefined ? {} : { warning: update.warning }),
    attachments: update.attachments,
    sentTo: update.sentTo,
    hearts: update.hearts,
    support: update.support,
    ...(update.files === undefined
      ? {}
      : filesView(
          journal,
          update.files.follower,
          toHex(update.files.messageId),
          update.files.attachments,
        )),
  };
}

function feedView(update: FeedUpdate): FeedUpdateView {
  return {
    journal: update.journal,
    title: update.title,
    updateId: update.updateId,
    sentAt: update.sentAt,
    text: update.deletedByAuthor === true ? '' : update.text,
    ...(update.warning === undefined ? {} : { warning: update.warning }),
    attachments: update.attachments.length,
    ...(update.deletedByAuthor === true
      ? {}
      : filesView(update.persona, update.journal, update.updateId, update.attachments)),
    deletedByAuthor: update.deletedByAuthor === true,
    hearted: update.hearted,
    support: update.support,
  };
}
