import { toHex } from '../../bytes/bytes.js';
import type { TopicCreate, TopicMove, TopicUpdate } from '../../protocol/gen/kindred_pb.js';
import { TopicStatus } from '../../protocol/gen/kindred_pb.js';

/**
 * How the moderation log states a topic operation, as facts a window or the CLI words (and
 * parses back with {@link parseTopicLogDetail}): `topic <hex>` for a new topic; for a change,
 * `topic <hex>` then `, renamed`, `, closed` or `, reopened`; for a move,
 * `message <hex> to topic <hex>` (`to General` for General). Names are never here: they are
 * sealed, and the reader opens them with the group secret it holds.
 */
export function topicLogDetail(
  action:
    | { readonly case: 'topicCreate'; readonly value: TopicCreate }
    | { readonly case: 'topicUpdate'; readonly value: TopicUpdate }
    | { readonly case: 'topicMove'; readonly value: TopicMove },
): string {
  switch (action.case) {
    case 'topicCreate':
      return `topic ${toHex(action.value.topicId)}`;
    case 'topicUpdate': {
      const changes = [
        action.value.sealedName.length > 0 ? ', renamed' : '',
        action.value.status === TopicStatus.CLOSED ? ', closed' : '',
        action.value.status === TopicStatus.OPEN ? ', reopened' : '',
      ];
      return `topic ${toHex(action.value.topicId)}${changes.join('')}`;
    }
    case 'topicMove': {
      const to =
        action.value.topicId.length === 0 ? 'General' : `topic ${toHex(action.value.topicId)}`;
      return `message ${toHex(action.value.messageId)} to ${to}`;
    }
  }
}

/** A topic operation's facts read back from its log detail ('' topic: General). */
export interface TopicLogFacts {
  readonly topic: string;
  readonly renamed: boolean;
  readonly closed: boolean;
  readonly reopened: boolean;
  /** For a move: the message moved (hex). */
  readonly message?: string;
}

const CHANGE = /^topic ([0-9a-f]+)((?:, (?:renamed|closed|reopened))*)$/u;
const MOVE = /^message ([0-9a-f]+) to (?:General|topic ([0-9a-f]+))$/u;

/** The facts of {@link topicLogDetail}'s text; undefined for any other text. */
export function parseTopicLogDetail(detail: string | undefined): TopicLogFacts | undefined {
  if (detail === undefined) return undefined;
  const move = MOVE.exec(detail);
  if (move !== null) {
    return {
      topic: move[2] ?? '',
      renamed: false,
      closed: false,
      reopened: false,
      message: move[1] ?? '',
    };
  }
  const change = CHANGE.exec(detail);
  if (change === null) return undefined;
  const changes = change[2] ?? '';
  return {
    topic: change[1] ?? '',
    renamed: changes.includes('renamed'),
    closed: changes.includes('closed'),
    reopened: changes.includes('reopened'),
  };
}
