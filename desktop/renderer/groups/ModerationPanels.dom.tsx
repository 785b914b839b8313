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
import {
  DismissReportButton,
  ReportHandledMark,
  ReportedQuote,
  isClosed,
} from './ReportStates.dom.js';

/**
 * Marks a quote that is not our own copy: a report is the reporter's word, and a modified client
 * could put anything in it. Our own copy (shown when we hold the message) is what its author wrote.
 */
export function ReportCheckMark({ check }: { check: ReportCheckView }) {
  if (check === 'matches') return null;
  return (
    <p className="report-check" role="note">
      {check === 'differs'
        ? 'This report does not match the message you have. Your copy is shown.'
        : 'You do not have this message. The reporter’s words are shown, unconfirmed.'}
    </p>
  );
}

/** Messages members reported to the moderators, newest first, with what came before them. */
export function ReportsPanel({ group }: { group: GroupView }) {
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
        Reports
      </h2>
      <p className="hint">Only moderators receive reports. Members do not see who reported what.</p>
      <ErrorText error={reports.error} />
      {reports.data !== undefined && sorted.length === 0 && (
        <p className="hint">No reports. All quiet.</p>
      )}
      <ul className="report-list">
        {sorted.map((report) => (
          <li
            key={report.index}
            className={isClosed(report) ? 'card report report-closed' : 'card report'}
          >
            <p className="report-head">
              <strong>{report.reporter}</strong> reported a message from{' '}
              <strong>{report.author}</strong>
              <time dateTime={isoTime(report.receivedAt)} className="row-aside">
                {' '}
                · {formatFullTime(report.receivedAt)}
              </time>
            </p>
            <p className="report-reason">
              <span className="field-label">Reason</span> {report.reason}
            </p>
            {report.context.length > 0 && (
              <ol className="report-context" aria-label="Messages before it">
                {report.context.map((entry, index) => (
                  <li key={index}>
                    <span className="quote-author">{entry.author}:</span>{' '}
                    {entry.warning === undefined ? (
                      entry.text
                    ) : (
                      <em>Covered. Content warning: {entry.warning}</em>
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
                  Delete this message for everyone
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

const LOG_WORDS: Readonly<Record<string, (target: string) => string>> = {
  create: () => 'created the group',
  invite: () => 'made an invite link',
  join: () => 'joined',
  joinRequest: () => 'asked to join',
  approve: (target) => `let ${target} in`,
  deny: (target) => `turned down ${target}`,
  leave: () => 'left',
  remove: (target) => `removed ${target}`,
  ban: (target) => `banned ${target}`,
  unban: (target) => `lifted the ban on ${target}`,
  mute: (target) => `muted ${target}`,
  unmute: (target) => `unmuted ${target}`,
  promote: (target) => `made ${target} a moderator`,
  demote: (target) => `made ${target} a member again`,
  transferOwnership: (target) => `handed the group over to ${target}`,
  setInfo: () => 'changed the name, description or rules',
  setPolicy: () => 'changed how the group runs',
  pin: () => 'pinned a message',
  unpin: () => 'unpinned a message',
  deleteMessage: () => 'deleted a message',
  rotateEpoch: () => 'changed the group key (earlier links and keys open nothing new)',
};

export function logAction(entry: LogEntryView): string {
  const words = LOG_WORDS[entry.action];
  return words === undefined ? entry.action : words(entry.target ?? 'someone');
}

/** Every change to the group, who made it and why: readable by every member. */
export function LogPanel({ group }: { group: GroupView }) {
  const api = useApi();
  const revision = useConversationRevision(group.conversationId);
  const log = useLoad(`log:${group.conversationId}`, revision, () =>
    api.call('groups.log', { conversationId: group.conversationId }),
  );
  const entries = [...(log.data ?? [])].sort((a, b) => b.sequence - a.sequence);
  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title" className="panel-title">
        Moderation log
      </h2>
      <p className="hint">
        Every change to the group, signed by whoever made it. Every member can read this.
      </p>
      <ErrorText error={log.error} />
      {entries.length > 0 && (
        <table className="log-table">
          <caption className="visually-hidden">Moderation log, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.sequence}>
                <td>
                  <time dateTime={isoTime(entry.at)}>{formatFullTime(entry.at)}</time>
                </td>
                <td>{entry.actor}</td>
                <td>{logAction(entry)}</td>
                <td>{entry.reason === undefined || entry.reason === '' ? '—' : entry.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const WARNING_WORDS: Readonly<Record<string, { title: string; meaning: string }>> = {
  'forged-operation': {
    title: 'A forged change was refused',
    meaning:
      'The relay passed on a change to the group that nobody with that right signed. Your app refused it.',
  },
  fork: {
    title: 'Members are shown different histories',
    meaning: 'The relay is showing members different versions of this group’s history.',
  },
  'withheld-operations': {
    title: 'Changes were held back',
    meaning: 'Other members have seen changes to this group that the relay has not given you.',
  },
  'ghost-member': {
    title: 'A message from a non-member',
    meaning: 'A message came from someone who is not in the group’s member list. It was refused.',
  },
  'muted-post': {
    title: 'A muted member’s message came through',
    meaning: 'The relay should have refused it. Your app hid it.',
  },
  'restricted-post': {
    title: 'A message from someone not allowed to post',
    meaning:
      'Only moderators may post here, and the relay let another message through. It was refused.',
  },
  'slow-mode-post': {
    title: 'A message broke slow mode',
    meaning: 'The relay let through a message sent too soon after the last one. It was refused.',
  },
  'withheld-posts': {
    title: 'Messages were held back',
    meaning:
      'A member’s messages are numbered, and some of the numbers never reached you: the relay withheld them.',
  },
  'reordered-posts': {
    title: 'Messages came out of order',
    meaning:
      'A member’s message reached you after a later one of theirs: the relay reordered them.',
  },
};

/** What this app caught the relay doing against the group's rules, in plain words. */
export function WarningsPanel({ group }: { group: GroupView }) {
  const api = useApi();
  const revision = useConversationRevision(group.conversationId);
  const warnings = useLoad(`warnings:${group.conversationId}`, revision, () =>
    api.call('groups.warnings', { conversationId: group.conversationId }),
  );
  const sorted: WarningView[] = [...(warnings.data ?? [])].sort((a, b) => b.at - a.at);
  return (
    <section aria-labelledby="warnings-title">
      <h2 id="warnings-title" className="panel-title">
        Warnings
      </h2>
      <p className="hint">
        Your app checks everything the relay delivers against the group’s signed rules. This is what
        it caught. The relay cannot read messages, but it can try to hold things back or let things
        through.
      </p>
      <ErrorText error={warnings.error} />
      {warnings.data !== undefined && sorted.length === 0 && (
        <p className="status-line status-good">
          <Icon name="check" />
          Nothing wrong noticed.
        </p>
      )}
      <ul className="rows">
        {sorted.map((warning, index) => {
          const words = WARNING_WORDS[warning.kind];
          return (
            <li key={`${warning.at}-${index}`} className="row row-warning">
              <Icon name="warning" />
              <div className="row-main">
                <span className="row-title">{words?.title ?? warning.kind}</span>
                <span className="row-sub">
                  {words?.meaning ?? ''} {warning.detail}
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
