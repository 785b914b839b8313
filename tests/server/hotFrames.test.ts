import { describe, expect, it } from 'vitest';
import { encodeServerFrame } from '../../core/index.js';
import {
  encodeDeliverFrame,
  encodeGroupDeliverFrame,
  encodeOkFrame,
  encodeSendAckFrame,
} from '../../server/hotFrames.js';

const MAX_UINT64 = (1n << 64n) - 1n;
const ids = [0n, 1n, 127n, 128n, 300n, 2n ** 32n, 2n ** 53n + 1n, MAX_UINT64];
const requestIds = [0, 1, 127, 128, 65_535, 2 ** 31, 0xffffffff];

describe('hand-written hot frames', () => {
  it('encode Deliver exactly as protobuf-es does', () => {
    // Sizes around the one- and two-byte length boundaries, a typical 1 KiB and a 3-byte length.
    const sealeds = [0, 1, 127, 128, 1024, 17_000].map((size) =>
      new Uint8Array(size).map((_, index) => index & 0xff),
    );
    const times = [0, 1.7, 1_700_000_000_123.4, 2 ** 40];
    for (const envelopeId of ids) {
      for (const sealed of sealeds) {
        for (const receivedAt of times) {
          const expected = encodeServerFrame({
            body: {
              case: 'deliver',
              value: { envelopeId, sealed, receivedAt: BigInt(Math.floor(receivedAt)) },
            },
          });
          expect(encodeDeliverFrame(envelopeId, sealed, receivedAt)).toEqual(expected);
        }
      }
    }
  });

  it('encode GroupDeliver exactly as protobuf-es does', () => {
    const groupIds = [new Uint8Array(0), new Uint8Array(16).fill(9)];
    const indexes = [0, 1, 127, 128, 300, 2 ** 32, Number.MAX_SAFE_INTEGER];
    const entries = [0, 1, 200, 17_000].map((size) =>
      new Uint8Array(size).map((_, index) => (index * 7) & 0xff),
    );
    for (const groupId of groupIds) {
      for (const index of indexes) {
        for (const bytes of entries) {
          for (const kind of ['operation', 'message'] as const) {
            for (const receivedAt of [0, 1_700_000_000_123.9]) {
              const expected = encodeServerFrame({
                body: {
                  case: 'groupDeliver',
                  value: {
                    groupId,
                    index: BigInt(index),
                    receivedAt: BigInt(Math.floor(receivedAt)),
                    entry: { case: kind, value: bytes },
                  },
                },
              });
              expect(encodeGroupDeliverFrame(groupId, index, receivedAt, kind, bytes)).toEqual(
                expected,
              );
            }
          }
        }
      }
    }
    expect(() => encodeGroupDeliverFrame(new Uint8Array(16), -1, 0, 'message', bytesOf(1))).toThrow(
      RangeError,
    );
  });

  it('encode SendAck and Ok exactly as protobuf-es does', () => {
    for (const requestId of requestIds) {
      expect(encodeOkFrame(requestId)).toEqual(
        encodeServerFrame({ requestId, body: { case: 'ok', value: {} } }),
      );
      for (const envelopeId of ids) {
        expect(encodeSendAckFrame(requestId, envelopeId)).toEqual(
          encodeServerFrame({ requestId, body: { case: 'sendAck', value: { envelopeId } } }),
        );
      }
    }
  });

  it('refuses ids outside uint64', () => {
    expect(() => encodeSendAckFrame(1, -1n)).toThrow(RangeError);
    expect(() => encodeDeliverFrame(MAX_UINT64 + 1n, new Uint8Array(1), 0)).toThrow(RangeError);
  });
});

function bytesOf(length: number): Uint8Array {
  return new Uint8Array(length);
}
