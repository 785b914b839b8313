/**
 * The group frames on the members' hot path, read and written by hand: GroupDeliver (one per
 * member for every group message) and AckGroup (one per member per turn of the event loop).
 *
 * 500 members share one process here, where each would have a device of its own, so every
 * microsecond spent per delivery delays the last member's reading of a message. Decoding with
 * core (protobuf-es, by reflection) would cost several times more. The bytes are the frames
 * core/protocol/kindred.proto describes; `checkGroupWire()` proves it against core's encoder and
 * decoder at start-up, so a change to the schema fails the benchmark loudly instead of skewing it.
 */
import { randomBytes } from 'node:crypto';
import { decodeClientFrame, encodeServerFrame } from '../../core/index.js';
import { readFrame, varintSize, writeVarint } from '../relay/wire.js';

/** ServerFrame fields the members read (kindred.proto). */
export const GroupServerField = {
  ok: 4,
  error: 5,
  deliver: 8,
  groupAppended: 12,
  groupLogPage: 13,
  groupDeliver: 14,
} as const;

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;
const tag = (field: number, wireType: number): number => (field << 3) | wireType;

const TAG_REQUEST_ID = tag(1, VARINT);
/** ClientFrame.ack_group = 13. */
const TAG_ACK_GROUP = tag(13, LEN);
/** AckGroup { group_id = 1; index = 2 }. */
const TAG_ACK_GROUP_ID = tag(1, LEN);
const TAG_ACK_INDEX = tag(2, VARINT);
/** GroupDeliver { group_id = 1; index = 2; received_at = 3; operation = 4 | message = 5 }. */
const TAG_DELIVER_GROUP_ID = tag(1, LEN);
const TAG_DELIVER_INDEX = tag(2, VARINT);
const TAG_DELIVER_OPERATION = tag(4, LEN);
const TAG_DELIVER_MESSAGE = tag(5, LEN);

export type GroupEntryKind = 'operation' | 'message';

/** Where a GroupDeliver's parts lie in its frame. */
export interface GroupDeliverView {
  readonly groupIdStart: number;
  readonly groupIdEnd: number;
  readonly index: number;
  readonly kind: GroupEntryKind | undefined;
  readonly entryStart: number;
  readonly entryEnd: number;
}

/** Reads the GroupDeliver body of a ServerFrame (its view's field is groupDeliver). */
export function readGroupDeliver(bytes: Uint8Array, start: number, end: number): GroupDeliverView {
  let pos = start;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (;;) {
      if (pos >= end) throw new Error('truncated varint');
      const byte = bytes[pos++] ?? 0;
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return value;
      scale *= 0x80;
      if (scale > 2 ** 56) throw new Error('varint too long');
    }
  };
  let groupIdStart = 0;
  let groupIdEnd = 0;
  let index = 0;
  let kind: GroupEntryKind | undefined;
  let entryStart = 0;
  let entryEnd = 0;
  while (pos < end) {
    const key = varint();
    switch (key) {
      case TAG_DELIVER_GROUP_ID: {
        const length = varint();
        groupIdStart = pos;
        groupIdEnd = pos + length;
        pos = groupIdEnd;
        break;
      }
      case TAG_DELIVER_INDEX:
        index = varint();
        break;
      case TAG_DELIVER_OPERATION:
      case TAG_DELIVER_MESSAGE: {
        const length = varint();
        kind = key === TAG_DELIVER_MESSAGE ? 'message' : 'operation';
        entryStart = pos;
        entryEnd = pos + length;
        pos = entryEnd;
        break;
      }
      default:
        switch (key & 7) {
          case VARINT:
            varint();
            break;
          case I64:
            pos += 8;
            break;
          case LEN: {
            const length = varint();
            pos += length;
            break;
          }
          case I32:
            pos += 4;
            break;
          default:
            throw new Error(`unsupported wire type ${key & 7}`);
        }
    }
  }
  if (pos > end) throw new Error('truncated GroupDeliver');
  return { groupIdStart, groupIdEnd, index, kind, entryStart, entryEnd };
}

/** An AckGroup ClientFrame: everything up to `index` in the group's stream is stored. */
export function ackGroupFrame(requestId: number, groupId: Uint8Array, index: number): Buffer {
  const innerLength = 1 + varintSize(groupId.length) + groupId.length + 1 + varintSize(index);
  const frame = Buffer.allocUnsafe(
    1 + varintSize(requestId) + 1 + varintSize(innerLength) + innerLength,
  );
  let offset = 0;
  frame[offset++] = TAG_REQUEST_ID;
  offset = writeVarint(frame, offset, requestId);
  frame[offset++] = TAG_ACK_GROUP;
  offset = writeVarint(frame, offset, innerLength);
  frame[offset++] = TAG_ACK_GROUP_ID;
  offset = writeVarint(frame, offset, groupId.length);
  frame.set(groupId, offset);
  offset += groupId.length;
  frame[offset++] = TAG_ACK_INDEX;
  writeVarint(frame, offset, index);
  return frame;
}

/**
 * Encodes GroupDeliver with core and reads it by hand, and AckGroup the other way round, so this
 * file and core/protocol/kindred.proto cannot drift apart unnoticed. Throws on any mismatch.
 */
export function checkGroupWire(): void {
  const fail = (what: string): never => {
    throw new Error(`bench/groups/wire.ts no longer matches kindred.proto: ${what}`);
  };
  const groupId = new Uint8Array(randomBytes(16));
  const envelope = new Uint8Array(randomBytes(400));
  for (const kind of ['message', 'operation'] as const) {
    const frame = Buffer.from(
      encodeServerFrame({
        body: {
          case: 'groupDeliver',
          value: {
            groupId,
            index: 70_000n,
            receivedAt: BigInt(Date.now()),
            entry: { case: kind, value: envelope },
          },
        },
      }),
    );
    const view = readFrame(frame);
    if (view.requestId !== 0 || view.field !== GroupServerField.groupDeliver) {
      fail('ServerFrame.group_deliver');
    }
    const deliver = readGroupDeliver(frame, view.start, view.end);
    if (
      deliver.index !== 70_000 ||
      deliver.kind !== kind ||
      !frame.subarray(deliver.groupIdStart, deliver.groupIdEnd).equals(groupId) ||
      !frame.subarray(deliver.entryStart, deliver.entryEnd).equals(envelope)
    ) {
      fail(`reading GroupDeliver (${kind})`);
    }
  }
  const ack = decodeClientFrame(ackGroupFrame(300, groupId, 2 ** 40));
  if (
    ack.requestId !== 300 ||
    ack.body.case !== 'ackGroup' ||
    !Buffer.from(ack.body.value.groupId).equals(groupId) ||
    ack.body.value.index !== BigInt(2 ** 40)
  ) {
    fail('AckGroup');
  }
  for (const [field, body] of [
    [GroupServerField.ok, { case: 'ok', value: {} }],
    [GroupServerField.groupAppended, { case: 'groupAppended', value: { index: 5n } }],
  ] as const) {
    const view = readFrame(Buffer.from(encodeServerFrame({ requestId: 9, body })));
    if (view.requestId !== 9 || view.field !== field) fail(`ServerFrame.${body.case}`);
  }
}
