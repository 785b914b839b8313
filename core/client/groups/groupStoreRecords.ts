import { readScheduleAnswer } from '../messages/scheduleAnswers.js';
import { RecordReader } from '../jsonRecord.js';
import { readPointer, readStoredBody } from '../messages/ConversationStore.js';
import type { DeleteBody, EditBody } from '../messages/MessageBody.js';
import type {
  GroupMessage,
  GroupOutboxEntry,
  GroupPeer,
  GroupRecord,
  GroupReportRecord,
  GroupWarning,
  ParkedGroupMessage,
} from './GroupStore.js';

/** How GroupStore's records read back from the vault: one parser per kind of record. */

export function parseRecord(bytes: Uint8Array): GroupRecord {
  const r = RecordReader.decode(bytes, 'group');
  const lastAckedAt = r.optionalNumber('lastAckedAt');
  return {
    groupId: r.bytes('groupId'),
    secret: r.bytes('secret'),
    status: r.oneOf('status', ['active', 'requested', 'removed', 'banned', 'left']),
    joinedAt: r.number('joinedAt'),
    cursor: r.number('cursor'),
    sequence: r.number('sequence'),
    lastPostAt: r.number('lastPostAt'),
    distributedTo: r.strings('distributedTo'),
    messageCount: r.number('messageCount'),
    warningCount: r.number('warningCount'),
    reportCount: r.number('reportCount'),
    outboxCount: r.number('outboxCount'),
    ...(lastAckedAt === undefined ? {} : { lastAckedAt }),
  };
}

export function parseMessage(bytes: Uint8Array): GroupMessage {
  const r = RecordReader.decode(bytes, 'group message');
  const status =
    r.optionalString('status') === undefined
      ? undefined
      : r.oneOf('status', ['pending', 'sent', 'failed']);
  const sender = r.string('sender');
  const body = readStoredBody(r);
  return {
    kind: 'message',
    index: r.number('index'),
    messageId: r.bytes('messageId'),
    sender,
    // Not read from the record: records from before the shared model lack it.
    author: sender,
    sentAt: r.number('sentAt'),
    storedAt: r.number('storedAt'),
    outgoing: r.boolean('outgoing'),
    ...body,
    ...(status === undefined ? {} : { status }),
  };
}

export function parseWarning(bytes: Uint8Array): GroupWarning {
  const r = RecordReader.decode(bytes, 'group warning');
  return {
    index: r.number('index'),
    kind: r.oneOf('kind', [
      'forged-operation',
      'fork',
      'withheld-operations',
      'ghost-member',
      'muted-post',
      'restricted-post',
      'slow-mode-post',
      'withheld-posts',
      'reordered-posts',
      'facilitator-credential',
    ]),
    at: r.number('at'),
    detail: r.string('detail'),
    ...optionalMember(r.optionalString('member')),
  };
}

function optionalMember(member: string | undefined): { member?: string } {
  return member === undefined ? {} : { member };
}

export function parseReport(bytes: Uint8Array): GroupReportRecord {
  const r = RecordReader.decode(bytes, 'group report');
  return {
    index: r.number('index'),
    reporter: r.string('reporter'),
    messageId: r.bytes('messageId'),
    author: r.string('author'),
    text: r.string('text'),
    context: r.list('context', (item) => {
      const messageId = item.optionalBytes('messageId');
      return {
        author: item.string('author'),
        text: item.string('text'),
        sentAt: item.number('sentAt'),
        ...(messageId === undefined ? {} : { messageId }),
      };
    }),
    reason: r.string('reason'),
    receivedAt: r.number('receivedAt'),
  };
}

export function parsePeer(bytes: Uint8Array): GroupPeer {
  const r = RecordReader.decode(bytes, 'group peer');
  const facilitatorCredential = r.optionalBytes('facilitatorCredential');
  return {
    address: r.string('address'),
    identityKey: r.bytes('identityKey'),
    pseudonym: r.string('pseudonym'),
    accessKey: r.bytes('accessKey'),
    profileKey: r.bytes('profileKey'),
    ...(facilitatorCredential === undefined ? {} : { facilitatorCredential }),
  };
}

export function parseOutbox(bytes: Uint8Array): GroupOutboxEntry {
  const r = RecordReader.decode(bytes, 'group outbox');
  const replyTo = r.optionalBytes('replyTo');
  const warning = r.optionalString('warning');
  const reactionTo = r.optionalBytes('reactionTo');
  const attachments = r.optionalList('attachments', readPointer);
  const change = readChange(r);
  const scheduleAnswer = readScheduleAnswer(r.optionalNested('scheduleAnswer'));
  const topicId = r.optionalBytes('topicId');
  const threadRoot = r.optionalBytes('threadRoot');
  return {
    id: r.number('id'),
    messageId: r.bytes('messageId'),
    text: r.string('text'),
    sequence: r.number('sequence'),
    sentAt: r.number('sentAt'),
    historyIndex: r.number('historyIndex'),
    ...(replyTo === undefined ? {} : { replyTo }),
    ...(attachments === undefined ? {} : { attachments }),
    ...(warning === undefined ? {} : { warning }),
    ...(reactionTo === undefined
      ? {}
      : { reaction: { messageId: reactionTo, emoji: r.string('emoji') } }),
    ...(change === undefined ? {} : { change }),
    ...(scheduleAnswer === undefined ? {} : { scheduleAnswer }),
    ...(topicId === undefined ? {} : { topicId }),
    ...(threadRoot === undefined ? {} : { threadRoot }),
  };
}

/** An outbox entry's edit or deletion, flat in its record (RecordReader reads fields). */
export function changeRecord(change: EditBody | DeleteBody): Record<string, unknown> {
  return change.kind === 'edit'
    ? {
        changeKind: 'edit',
        changeOf: change.messageId,
        changeText: change.text,
        ...(change.warning === undefined ? {} : { changeWarning: change.warning }),
      }
    : { changeKind: 'delete', changeOf: change.messageId };
}

export function readChange(r: RecordReader): EditBody | DeleteBody | undefined {
  const kind = r.optionalString('changeKind');
  if (kind === undefined) return undefined;
  const messageId = r.bytes('changeOf');
  if (kind === 'delete') return { kind: 'delete', messageId };
  const warning = r.optionalString('changeWarning');
  return {
    kind: 'edit',
    messageId,
    text: r.string('changeText'),
    ...(warning === undefined ? {} : { warning }),
  };
}

/** Whether an outbox entry changes a message (a reaction, an edit, a deletion) rather than adding one. */
export function changesMessage(entry: GroupOutboxEntry): boolean {
  return entry.reaction !== undefined || entry.change !== undefined;
}

export function parseParked(bytes: Uint8Array): ParkedGroupMessage {
  const r = RecordReader.decode(bytes, 'parked group message');
  return {
    streamIndex: r.number('streamIndex'),
    sender: r.string('sender'),
    ciphertext: r.bytes('ciphertext'),
    receivedAt: r.number('receivedAt'),
  };
}
