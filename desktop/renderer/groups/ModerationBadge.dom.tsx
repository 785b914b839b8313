import type { ConversationSummary, ModerationCountsView } from '../../shared/api.std.js';
import type { TextOf } from '../i18n/LanguageProvider.dom.js';

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

/** A count as a badge shows it. */
function shownCount(count: number): string {
  return count > 99 ? '99+' : String(count);
}

/**
 * The accessible name of a tab that carries a count: "Join requests, 2 pending", "Reports, 1
 * open"; undefined (so the content names it) when the count is 0. Set as `aria-label` (a hidden
 * span inside the control would be read with a stray space, "Reports , 1 open"); it holds the
 * visible text, "Reports 1", as axe's label-content-name-mismatch asks.
 */
export function countedLabel(
  text: TextOf,
  section: string,
  count: number,
  kind: 'pending' | 'open',
): string | undefined {
  if (count <= 0) return undefined;
  if (count > 99) {
    return text(kind === 'pending' ? 'groupPage.tabPendingMany' : 'groupPage.tabOpenMany', {
      section,
    });
  }
  return text(kind === 'pending' ? 'groupPage.tabPending' : 'groupPage.tabOpen', {
    section,
    count,
  });
}

/**
 * The count's badge after a label, with a space before it so the visible text reads "Moderation
 * 2" (see countedLabel for the name).
 */
export function CountBadge({ count }: { count: number }) {
  if (count <= 0) return null;
  return (
    <>
      {' '}
      <span className="badge count-badge">{shownCount(count)}</span>
    </>
  );
}
