import { useState } from 'react';
import type {
  GroupView,
  LogEntryView,
  ReportCheckView,
  ReportView,
  WarningView,
} from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { formatFullTime, isoTime } from '../formatting.dom.js';
import { ModerateMessageDialog } from '../conversation/MessageDialogs.dom.js';
import { useAnnounce, useApi, useConversationRevision, useLoad } from '../kindredContext.dom.js';
import { useText, type TextOf } from '../i18n/LanguageProvider.dom.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import {
  DismissReportButton,
  ReportHandledMark,
  ReportedQuote,
  isClosed,
} from './ReportStates.dom.js';
import { scheduleLogWords } from '../scheduledChat/scheduleLogWords.dom.js';
import { CREDENTIAL_PROBLEM_WORDS } from './FacilitatorBadge.dom.js';

/**
 * Marks a quote that is not our own copy: a report is the reporter's word, and a modified client
 * could put anything in it. Our own copy (shown when we hold the message) is what its author wrote.
 */
export function ReportCheckMark({ check }: { check: ReportCheckView }) {
  const text = useText();
  if (check === 'matches') return null;
  return (
    <p className="report-check" role="note">
      {text(check === 'differs' ? 'groups.report.differs' : 'groups.report.missing')}
    </p>
  );
}

/** Messages members reported to the moderators, newest first, with what came before them. */
export function ReportsPanel({ group }: { group: GroupView }) {
  const text = useText();
  const api = useApi();
  const announce = useAnnounce();
  const revision = useConversationRevision(group.conversationId);
  // Reported messages under a content warning stay covered until Reveal (the main process
  // withholds their text until then).
  const [revealed, setRevealed] = useState<readonly string[]>([]);
  const reports = useLoad(`reports:${group.conversationId}:${revealed.join(',')}`, revision, () =>
    api.call('groups.reports', { conversationId: group.conversationId, reveal: [...revealed] }),
  );
  const [deleting, setDeleting] = useState<ReportView | undefined>(undefined);
  // Open reports first, newest first; handled and dismissed ones after them.
  const sorted = [...(reports.data ?? [])].sort(
    (a, b) => Number(isClosed(a)) - Number(isClosed(b)) || b.receivedAt - a.receivedAt,
  );

  return (
    <section aria-labelledby="reports-title">
      <h2 id="reports-title" className="panel-title">
        {text('groups.reports.title')}
      </h2>
      <p className="hint">{text('groups.reports.hint')}</p>
      <ErrorText error={reports.error} />
      {reports.data !== undefined && sorted.length === 0 && (
        <p className="hint">{text('groups.reports.none')}</p>
      )}
      <ul className="report-list">
        {sorted.map((report) => (
          <li
            key={report.index}
            className={isClosed(report) ? 'card report report-closed' : 'card report'}
          >
            <p className="report-head">
              {text('groups.reports.head', { reporter: report.reporter, author: report.author })}
              <time dateTime={isoTime(report.receivedAt)} className="row-aside">
                {text('groups.reports.time', { time: formatFullTime(report.receivedAt) })}
              </time>
            </p>
            <p className="report-reason">
              <span className="field-label">{text('groups.reports.reason')}</span> {report.reason}
            </p>
            {report.context.length > 0 && (
              <ol className="report-context" aria-label={text('groups.reports.before')}>
                {report.context.map((entry, index) => (
                  <li key={index}>
                    <span className="quote-author">
                      {text('groups.reports.quoteAuthor', { author: entry.author })}
                    </span>
                    {entry.warning === undefined ? (
                      entry.text
                    ) : (
                      <em>{text('groups.reports.covered', { warning: entry.warning })}</em>
                    )}
                    <ReportCheckMark check={entry.check} />
                  </li>
                ))}
              </ol>
            )}
            <ReportedQuote
              report={report}
              revealed={revealed.includes(report.messageId)}
              onReveal={(reveal) => {
                setRevealed((ids) =>
                  reveal ? [...ids, report.messageId] : ids.filter((id) => id !== report.messageId),
                );
              }}
            />
            <ReportCheckMark check={report.check} />
            <ReportHandledMark report={report} />
            <div className="row-actions">
              {report.handled?.action !== 'deleteMessage' && (
                <button
                  type="button"
                  className="button button-danger"
                  onClick={() => {
                    setDeleting(report);
                  }}
                >
                  {text('groups.reports.delete')}
                </button>
              )}
              <DismissReportButton group={group} report={report} onDone={reports.reload} />
            </div>
          </li>
        ))}
      </ul>
      {deleting !== undefined && (
        <ModerateMessageDialog
          conversationId={group.conversationId}
          action="delete"
          message={{
            id: deleting.messageId,
            kind: 'message',
            author: { address: '', name: deleting.author, self: false },
            text: deleting.text,
            sentAt: deleting.receivedAt,
            delivery: 'received',
            reactions: [],
            deleted: false,
            pinned: false,
          }}
          onClose={() => {
            setDeleting(undefined);
          }}
          onDone={(words) => {
            setDeleting(undefined);
            announce(words);
          }}
        />
      )}
    </section>
  );
}

/** A log entry without a reason. */
const NO_REASON = '—';

/** The log's actions, worded with their target ({target}) where they have one. */
const LOG_WORDS: Readonly<Record<string, MessageId>> = {
  create: 'groups.log.create',
  invite: 'groups.log.invite',
  join: 'groups.log.join',
  joinRequest: 'groups.log.joinRequest',
  approve: 'groups.log.approve',
  deny: 'groups.log.deny',
  leave: 'groups.log.leave',
  remove: 'groups.log.remove',
  ban: 'groups.log.ban',
  unban: 'groups.log.unban',
  mute: 'groups.log.mute',
  unmute: 'groups.log.unmute',
  promote: 'groups.log.promote',
  demote: 'groups.log.demote',
  transferOwnership: 'groups.log.transferOwnership',
  setInfo: 'groups.log.setInfo',
  setPolicy: 'groups.log.setPolicy',
  privateMessagesOn: 'requests.log.on',
  privateMessagesOff: 'requests.log.off',
  pin: 'groups.log.pin',
  unpin: 'groups.log.unpin',
  deleteMessage: 'groups.log.deleteMessage',
  rotateEpoch: 'groups.log.rotateEpoch',
  topicCreate: 'topics.log.create',
  topicRename: 'topics.log.rename',
  topicClose: 'topics.log.close',
  topicReopen: 'topics.log.reopen',
  topicMove: 'topics.log.move',
};

export function logAction(entry: LogEntryView, text: TextOf): string {
  const scheduled = scheduleLogWords(entry, text);
  if (scheduled !== undefined) return scheduled;
  const words = LOG_WORDS[entry.action];
  if (words === undefined) return entry.action;
  // A topic's target is its name; a move to General, or a topic not known here, has none.
  const unnamed = !entry.action.startsWith('topic')
    ? text('groups.log.someone')
    : entry.action === 'topicMove'
      ? text('topics.general')
      : text('topics.noticeSomeTopic');
  return text(words, { target: entry.target ?? unnamed });
}

/** Every change to the group, who made it and why: readable by every member. */
export function LogPanel({ group }: { group: GroupView }) {
  const text = useText();
  const api = useApi();
  const revision = useConversationRevision(group.conversationId);
  const log = useLoad(`log:${group.conversationId}`, revision, () =>
    api.call('groups.log', { conversationId: group.conversationId }),
  );
  const entries = [...(log.data ?? [])].sort((a, b) => b.sequence - a.sequence);
  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title" className="panel-title">
        {text('groups.log.title')}
      </h2>
      <p className="hint">{text('groups.log.hint')}</p>
      <ErrorText error={log.error} />
      {entries.length > 0 && (
        <table className="log-table">
          <caption className="visually-hidden">{text('groups.log.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{text('groups.log.when')}</th>
              <th scope="col">{text('groups.log.who')}</th>
              <th scope="col">{text('groups.log.what')}</th>
              <th scope="col">{text('groups.reports.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.sequence}>
                <td>
                  <time dateTime={isoTime(entry.at)}>{formatFullTime(entry.at)}</time>
                </td>
                <td>{entry.actor}</td>
                <td>{logAction(entry, text)}</td>
                <td>
                  {entry.reason === undefined || entry.reason === '' ? NO_REASON : entry.reason}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** What each kind of warning is called and means. */
const WARNING_WORDS: Readonly<Record<string, { title: MessageId; meaning: MessageId }>> = {
  'forged-operation': {
    title: 'groups.warning.forgedOperation.title',
    meaning: 'groups.warning.forgedOperation.meaning',
  },
  fork: {
    title: 'groups.warning.fork.title',
    meaning: 'groups.warning.fork.meaning',
  },
  'withheld-operations': {
    title: 'groups.warning.withheldOperations.title',
    meaning: 'groups.warning.withheldOperations.meaning',
  },
  'ghost-member': {
    title: 'groups.warning.ghostMember.title',
    meaning: 'groups.warning.ghostMember.meaning',
  },
  'muted-post': {
    title: 'groups.warning.mutedPost.title',
    meaning: 'groups.warning.mutedPost.meaning',
  },
  'restricted-post': {
    title: 'groups.warning.restrictedPost.title',
    meaning: 'groups.warning.restrictedPost.meaning',
  },
  'slow-mode-post': {
    title: 'groups.warning.slowModePost.title',
    meaning: 'groups.warning.slowModePost.meaning',
  },
  'withheld-posts': {
    title: 'groups.warning.withheldPosts.title',
    meaning: 'groups.warning.withheldPosts.meaning',
  },
  'reordered-posts': {
    title: 'groups.warning.reorderedPosts.title',
    meaning: 'groups.warning.reorderedPosts.meaning',
  },
};

/** A warning's title and meaning; a credential's meaning is its problem (`detail`). */
function warningWords(warning: WarningView): { title: MessageId; meaning: MessageId } | undefined {
  if (warning.kind === 'facilitator-credential') {
    return {
      title: 'facilitators.warning.title',
      meaning: CREDENTIAL_PROBLEM_WORDS[warning.detail] ?? 'facilitators.problem.forged',
    };
  }
  return WARNING_WORDS[warning.kind];
}

/** What this app caught the relay doing against the group's rules, in plain words. */
export function WarningsPanel({ group }: { group: GroupView }) {
  const text = useText();
  const api = useApi();
  const revision = useConversationRevision(group.conversationId);
  const warnings = useLoad(`warnings:${group.conversationId}`, revision, () =>
    api.call('groups.warnings', { conversationId: group.conversationId }),
  );
  const sorted: WarningView[] = [...(warnings.data ?? [])].sort((a, b) => b.at - a.at);
  return (
    <section aria-labelledby="warnings-title">
      <h2 id="warnings-title" className="panel-title">
        {text('groups.warnings.title')}
      </h2>
      <p className="hint">{text('groups.warnings.hint')}</p>
      <ErrorText error={warnings.error} />
      {warnings.data !== undefined && sorted.length === 0 && (
        <p className="status-line status-good">
          <Icon name="check" />
          {text('groups.warnings.none')}
        </p>
      )}
      <ul className="rows">
        {sorted.map((warning, index) => {
          const words = warningWords(warning);
          // A credential's problem is in the words already; other warnings add core's detail.
          const detail = warning.kind === 'facilitator-credential' ? '' : warning.detail;
          return (
            <li key={`${warning.at}-${index}`} className="row row-warning">
              <Icon name="warning" />
              <div className="row-main">
                <span className="row-title">
                  {words === undefined ? warning.kind : text(words.title)}
                </span>
                <span className="row-sub">
                  {words === undefined ? '' : text(words.meaning)} {detail}
                </span>
                <time className="row-aside" dateTime={isoTime(warning.at)}>
                  {formatFullTime(warning.at)}
                </time>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
