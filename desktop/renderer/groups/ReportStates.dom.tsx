import type { GroupView, ReportView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';

/** What a moderator did that answered the report, after "Handled by NAME: ". */
const HANDLED_WORDS: Readonly<Record<NonNullable<ReportView['handled']>['action'], string>> = {
  deleteMessage: 'removed the message',
  remove: 'removed its author from the group',
  ban: 'banned its author',
  mute: 'muted its author',
};

/** A report no longer waits for anyone: a moderator handled it, or we dismissed it. */
export function isClosed(report: ReportView): boolean {
  return report.handled !== undefined || report.dismissed;
}

/** "Handled by Ana: removed the message", from the group's log (any moderator's act). */
export function handledWords(report: ReportView): string | undefined {
  const handled = report.handled;
  return handled === undefined
    ? undefined
    : `Handled by ${handled.by}: ${HANDLED_WORDS[handled.action]}`;
}

/** The report's state in words: handled (by whom, how) and/or dismissed. */
export function ReportHandledMark({ report }: { report: ReportView }) {
  const words = handledWords(report);
  if (words === undefined && !report.dismissed) return null;
  return (
    <p className="report-handled">
      <Icon name="check" />
      <span>
        {words}
        {words !== undefined && report.dismissed ? '. ' : ''}
        {report.dismissed ? 'You dismissed this report.' : ''}
      </span>
    </p>
  );
}

/**
 * The reported message: our copy when we hold it. Under a content warning it stays covered, as
 * in the chat, until Reveal.
 */
export function ReportedQuote({
  report,
  revealed,
  onReveal,
}: {
  report: ReportView;
  revealed: boolean;
  onReveal: (reveal: boolean) => void;
}) {
  if (report.warning !== undefined && !revealed) {
    return (
      <div className="message-cover">
        <Icon name="warning" />
        <p className="message-cover-text">
          <span className="message-cover-kind">Content warning:</span>{' '}
          <span className="message-cover-label">{report.warning}</span>
        </p>
        <button
          type="button"
          className="button message-cover-reveal"
          onClick={() => {
            onReveal(true);
          }}
        >
          Reveal
        </button>
      </div>
    );
  }
  return (
    <>
      {report.warning !== undefined && (
        <p className="message-revealed">
          <Icon name="warning" />
          <span>Content warning: {report.warning}</span>
          <button
            type="button"
            className="button button-quiet message-cover-again"
            onClick={() => {
              onReveal(false);
            }}
          >
            Cover again
          </button>
        </p>
      )}
      <blockquote className="quote quote-large">
        <span className="quote-author">{report.author}</span>
        <span className="quote-text">{report.text}</span>
      </blockquote>
    </>
  );
}

/** Dismisses a report for us alone: it stops counting in the badges, and stays dismissed. */
export function DismissReportButton({
  group,
  report,
  onDone,
}: {
  group: GroupView;
  report: ReportView;
  onDone: () => void;
}) {
  const api = useApi();
  const announce = useAnnounce();
  const action = useAction();
  if (report.dismissed) return null;
  return (
    <>
      <button
        type="button"
        className="button"
        disabled={action.busy}
        onClick={() => {
          action.run(async () => {
            await api.call('groups.dismissReport', {
              conversationId: group.conversationId,
              index: report.index,
            });
            announce('Report dismissed.');
            onDone();
          });
        }}
      >
        Dismiss
      </button>
      <ErrorText error={action.error} />
    </>
  );
}
