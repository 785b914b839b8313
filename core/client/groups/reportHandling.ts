import { toHex } from '../../bytes/bytes.js';
import type { GroupLogEntry } from './GroupLog.js';

/** What a moderator did that answers a report. */
export type ReportHandlingAction = 'deleteMessage' | 'remove' | 'ban' | 'mute';

/** Who answered a report, how, and where in the log (read from the log, by any moderator). */
export interface ReportHandling {
  readonly action: ReportHandlingAction;
  /** The moderator's address, and pseudonym ('' when its profile did not open). */
  readonly by: string;
  readonly byPseudonym: string;
  readonly at: number;
  readonly sequence: number;
}

/** The report as far as its handling goes: the reported message, its author, and when. */
export interface HandledReportQuery {
  readonly messageId: Uint8Array;
  /** The reported message's author (address). */
  readonly author: string;
  /** When the reported message was sent (our copy's time), else when the report arrived. */
  readonly since: number;
}

/**
 * The first log entry that handles a report: the reported message deleted for everyone (whenever
 * that was), or its author removed, banned or muted after the message was sent. A mute lifted
 * (`unmuted`) handles nothing. Undefined while the report is open. Pure, over the log every
 * member holds, so each moderator's client comes to the same answer.
 */
export function reportHandling(
  report: HandledReportQuery,
  log: readonly GroupLogEntry[],
): ReportHandling | undefined {
  const messageId = toHex(report.messageId);
  for (const entry of log) {
    const handles =
      entry.action === 'deleteMessage'
        ? entry.detail === messageId
        : (entry.action === 'remove' ||
            entry.action === 'ban' ||
            (entry.action === 'mute' && entry.detail !== 'unmuted')) &&
          entry.target === report.author &&
          entry.at >= report.since;
    if (handles) {
      return {
        action: entry.action as ReportHandlingAction,
        by: entry.actor,
        byPseudonym: entry.actorPseudonym,
        at: entry.at,
        sequence: entry.sequence,
      };
    }
  }
  return undefined;
}
