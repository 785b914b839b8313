import type { MessageView, SearchResultView } from '../shared/api.std.js';

/**
 * Content warnings in the window: a message with a warning reaches the renderer covered (no
 * text, no quote, none of what it carries) unless the call names it in `reveal`. The renderer
 * never holds what it has not been asked to show, so nothing of a covered message can end up in
 * the page, a chat-list preview, a notification, a search result or a screen reader's announcement.
 */

/**
 * `views` with every warned message not in `reveal` covered, and quotes of covered messages
 * replaced by the quoted message's warning.
 */
export function coverMessages(
  views: readonly MessageView[],
  reveal: ReadonlySet<string> = new Set(),
): MessageView[] {
  const covered = new Map<string, string>();
  for (const view of views) {
    if (view.warning !== undefined && !reveal.has(view.id)) covered.set(view.id, view.warning);
  }
  return views.map((view) => {
    const shown = covered.has(view.id) ? coverView(view) : view;
    const quote = shown.replyTo;
    const quoted = quote === undefined ? undefined : covered.get(quote.id);
    if (quote === undefined || quoted === undefined) return shown;
    return {
      ...shown,
      replyTo: {
        id: quote.id,
        author: quote.author,
        text: '',
        warning: quoted,
        ...(quote.self === undefined ? {} : { self: quote.self }),
      },
    };
  });
}

/**
 * The view of a warned message as shown covered; any other view as it is. Built field by field
 * on purpose: whatever else a view carries (its quote, attachments and their previews) stays out
 * until it is revealed.
 */
export function coverView(view: MessageView): MessageView {
  if (view.warning === undefined) return view;
  return {
    id: view.id,
    kind: view.kind,
    author: view.author,
    text: '',
    sentAt: view.sentAt,
    delivery: view.delivery,
    reactions: view.reactions,
    deleted: view.deleted,
    pinned: view.pinned,
    warning: view.warning,
    covered: true,
    ...(view.expiresAt === undefined ? {} : { expiresAt: view.expiresAt }),
  };
}

/** A search hit on a warned message: its warning instead of its snippet. */
export function coverSearchResult(
  result: SearchResultView,
  warning: string | undefined,
): SearchResultView {
  return warning === undefined ? result : { ...result, snippet: [], warning };
}
