import type { GroupMessage, GroupReportRecord, GroupStore } from './GroupStore.js';
import type { ReportHandling } from './reportHandling.js';

/**
 * How a report's quote compares with the moderator's own copy of the message it names:
 * `matches` (same author and text), `differs` (we hold that message, and it says something else or
 * came from someone else) or `unknown` (we hold no message with that id). A report is the
 * reporter's word; only `matches` means the quote is what its author wrote.
 */
export type ReportCheck = 'matches' | 'differs' | 'unknown';

/** A message a report names, as a moderator's client shows it. */
export interface CheckedReportedMessage {
  /** Absent for context from clients that sent no ids (then it is `unknown`). */
  readonly messageId?: Uint8Array;
  /** Our own copy's author and text when we hold the message; the reporter's quote otherwise. */
  readonly author: string;
  readonly text: string;
  /** Our copy's send time when we hold it, else the reporter's (0 when it sent none). */
  readonly sentAt: number;
  readonly check: ReportCheck;
  /** What the reporter quoted, when it `differs` from our copy. */
  readonly claimed?: { readonly author: string; readonly text: string };
}

/** A report as a moderator's client shows it: every message it names checked against our copy. */
export interface CheckedGroupReport {
  readonly index: number;
  readonly reporter: string;
  readonly messageId: Uint8Array;
  /** The reported message: our copy when we hold it (see `check`). */
  readonly author: string;
  readonly text: string;
  readonly check: ReportCheck;
  readonly claimed?: { readonly author: string; readonly text: string };
  readonly context: readonly CheckedReportedMessage[];
  readonly reason: string;
  readonly receivedAt: number;
  /** Our copy's send time of the reported message (0 when we do not hold it). */
  readonly sentAt: number;
  /** Set when the log shows a moderator answered it (see reportHandling). */
  readonly handled?: ReportHandling;
  /** This moderator dismissed it (kept in the vault, known to nobody else). */
  readonly dismissed: boolean;
}

/**
 * Checks a stored report against this persona's own messages, by id. Done each time a report is
 * shown (not once on arrival), so a message that reaches us after the report is then found.
 */
export async function checkGroupReport(
  groups: GroupStore,
  groupId: Uint8Array,
  report: GroupReportRecord,
): Promise<CheckedGroupReport> {
  const reported = compare(await groups.findMessage(groupId, report.messageId), {
    messageId: report.messageId,
    author: report.author,
    text: report.text,
    sentAt: 0,
  });
  const context: CheckedReportedMessage[] = [];
  for (const item of report.context) {
    const own =
      item.messageId === undefined ? undefined : await groups.findMessage(groupId, item.messageId);
    context.push(compare(own, item));
  }
  return {
    index: report.index,
    reporter: report.reporter,
    messageId: report.messageId,
    author: reported.author,
    text: reported.text,
    check: reported.check,
    ...(reported.claimed === undefined ? {} : { claimed: reported.claimed }),
    context,
    reason: report.reason,
    receivedAt: report.receivedAt,
    sentAt: reported.sentAt,
    dismissed: false,
  };
}

function compare(
  own: GroupMessage | undefined,
  quoted: {
    readonly messageId?: Uint8Array;
    readonly author: string;
    readonly text: string;
    readonly sentAt: number;
  },
): CheckedReportedMessage {
  const id = quoted.messageId === undefined ? {} : { messageId: quoted.messageId };
  if (own === undefined) {
    return {
      ...id,
      author: quoted.author,
      text: quoted.text,
      sentAt: quoted.sentAt,
      check: 'unknown',
    };
  }
  const same = own.sender === quoted.author && own.text === quoted.text;
  return {
    ...id,
    author: own.sender,
    text: own.text,
    sentAt: own.sentAt,
    check: same ? 'matches' : 'differs',
    ...(same ? {} : { claimed: { author: quoted.author, text: quoted.text } }),
  };
}
