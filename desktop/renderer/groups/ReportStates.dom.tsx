import type { GroupView, ReportView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';

/** The space between the cover's two parts (a JSX space reads as untranslated text to the lint). */
const SPACE = ' ';

/** A report no longer waits for anyone: a moderator handled it, or we dismissed it. */
export function isClosed(report: ReportView): boolean {
  return report.handled !== undefined || report.dismissed;
}

/**
 * The report's state in words: "Handled by Ana: removed the message" (from the group's log, any
 * moderator's act) and/or that we dismissed it.
 */
export function ReportHandledMark({ report }: { report: ReportView }) {
  const text = useText();
  const handled = report.handled;
  if (handled === undefined && !report.dismissed) return null;
  return (
    <p className="report-handled">
      <Icon name="check" />
      <span>
        {handled === undefined
          ? text('groupReports.dismissed')
          : text(report.dismissed ? 'groupReports.handledDismissed' : 'groupReports.handled', {
              action: handled.action,
              name: handled.by,
            })}
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
  const text = useText();
  if (report.warning !== undefined && !revealed) {
    return (
      <div className="message-cover">
        <Icon name="warning" />
        <p className="message-cover-text">
          <span className="message-cover-kind">{text('delivery.warningKind')}</span>
          {SPACE}
          <span className="message-cover-label">{report.warning}</span>
        </p>
        <button
          type="button"
          className="button message-cover-reveal"
          onClick={() => {
            onReveal(true);
          }}
        >
          {text('delivery.reveal')}
        </button>
      </div>
    );
  }
  return (
    <>
      {report.warning !== undefined && (
        <p className="message-revealed">
          <Icon name="warning" />
          <span>{text('delivery.revealedWarning', { warning: report.warning })}</span>
          <button
            type="button"
            className="button button-quiet message-cover-again"
            onClick={() => {
              onReveal(false);
            }}
          >
            {text('delivery.coverAgain')}
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
  const text = useText();
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
            announce(text('groupReports.reportDismissed'));
            onDone();
          });
        }}
      >
        {text('groupReports.dismiss')}
      </button>
      <ErrorText error={action.error} />
    </>
  );
}
