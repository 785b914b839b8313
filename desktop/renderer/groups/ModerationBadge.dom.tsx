import type { ConversationSummary, ModerationCountsView } from '../../shared/api.std.js';

/** Join requests and open reports together: what waits for a moderator in one group. */
export function pendingCount(counts: ModerationCountsView | undefined): number {
  return counts === undefined ? 0 : counts.requests + counts.reports;
}

/** What waits for a moderator in every group we moderate. */
export function totalPending(conversations: readonly ConversationSummary[] | undefined): number {
  return (conversations ?? []).reduce(
    (sum, conversation) => sum + pendingCount(conversation.moderation),
    0,
  );
}

/**
 * A count beside a label: the number shows in a badge, and the words (", 2 pending") are read
 * as part of the label's accessible name. Nothing when the count is 0.
 */
export function CountBadge({ count, words }: { count: number; words: string }) {
  if (count <= 0) return null;
  return (
    <>
      <span className="badge count-badge" aria-hidden="true">
        {count > 99 ? '99+' : count}
      </span>
      <span className="visually-hidden">{`, ${count} ${words}`}</span>
    </>
  );
}
