/**
 * What the Journal area shows (docs/journal.md): core's journal records as plain JSON. The
 * author sees their journal, its links, followers and updates with support and hearts; a
 * follower sees the journals they follow and a feed of updates. Nothing here names one
 * follower to another: the follower's calls answer from the follower's own persona alone.
 */
import type { AttachmentView, ConversationId } from './apiViews.std.js';

/** This vault's journal, or null when it keeps none. */
export interface JournalView {
  readonly address: string;
  readonly title: string;
  readonly followers: number;
  readonly updates: number;
}

export interface FollowLinkView {
  readonly link: string;
  readonly inviteId: string;
  readonly expiresAt: number;
  readonly maxUses: number;
}

export interface FollowLinkInfoView {
  readonly inviteId: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly maxUses: number;
  readonly uses: number;
}

export interface JournalFollowerView {
  readonly address: string;
  readonly pseudonym: string;
  readonly followedAt: number;
}

export interface JournalSupportView {
  readonly follower: string;
  readonly pseudonym: string;
  readonly text: string;
  readonly sentAt: number;
}

/**
 * An update's files, where the window opens and saves them with the conversation's calls
 * (attachments.open / saveAs / retry): the message of one conversation that holds them.
 */
export interface JournalFilesView {
  readonly conversationId: ConversationId;
  readonly messageId: string;
  readonly attachments: readonly AttachmentView[];
}

/** An update as its author sees it: how many it went to, hearts, support. */
export interface PostedUpdateView {
  readonly updateId: string;
  readonly postedAt: number;
  readonly text: string;
  readonly warning?: string;
  readonly attachments: number;
  readonly sentTo: number;
  readonly hearts: number;
  readonly support: readonly JournalSupportView[];
  /** Its files (the author's one kept copy); absent without, or once no follower holds them. */
  readonly files?: JournalFilesView;
}

export interface FollowedJournalView {
  /** Our persona made to follow it. */
  readonly persona: string;
  readonly journal: string;
  readonly title: string;
  readonly followedAt: number;
}

/** An update in a follower's feed. */
export interface FeedUpdateView {
  readonly journal: string;
  readonly title: string;
  readonly updateId: string;
  readonly sentAt: number;
  readonly text: string;
  readonly warning?: string;
  /** How many files came with it. */
  readonly attachments: number;
  /** Those files, to show, open and save (absent without any, or deleted by the author). */
  readonly files?: JournalFilesView;
  readonly deletedByAuthor: boolean;
  readonly hearted: boolean;
  readonly support: readonly { readonly text: string; readonly sentAt: number }[];
}
