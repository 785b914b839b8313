// The timerChange body through THE codec, on the wire both ways: what a sender may write and what
// a receiver accepts are the same range (0, or 5 minutes .. 4 weeks), and a timer in words parses
// to the same checked value.
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import {
  CoreErrorCode,
  decodeMessageBody,
  encodeMessageBody,
  parseTimer,
  timerChangeBody,
  timerWords,
} from '../../../core/client/index.js';
import { MessageBodySchema } from '../../../core/protocol/gen/kindred_pb.js';

function overTheWire(seconds: number, minimum?: number) {
  const bytes = toBinary(
    MessageBodySchema,
    create(MessageBodySchema, { kind: { case: 'timerChange', value: { seconds } } }),
  );
  return decodeMessageBody(fromBinary(MessageBodySchema, bytes), minimum);
}

describe('timerChange body', () => {
  it('round-trips a timer in range, and decodes one out of range as malformed', () => {
    for (const seconds of [0, 300, 86_400, 2_419_200]) {
      const body = timerChangeBody(seconds);
      const wire = create(MessageBodySchema, encodeMessageBody(body));
      expect(
        decodeMessageBody(fromBinary(MessageBodySchema, toBinary(MessageBodySchema, wire))),
      ).toStrictEqual({ kind: 'timerChange', seconds });
    }
    for (const seconds of [1, 299, 2_419_201, 4_294_967_295]) {
      expect(overTheWire(seconds), String(seconds)).toBeUndefined();
    }
    // Only a lowered minimum (tests) takes a short timer.
    expect(overTheWire(2, 1)).toStrictEqual({ kind: 'timerChange', seconds: 2 });
  });

  it('refuses a sender’s timer out of range with CORE_INVALID_INPUT', () => {
    for (const seconds of [1, 299, 2_419_201, 1.5, -300, Number.NaN, '300']) {
      expect(() => timerChangeBody(seconds), String(seconds)).toThrow(
        expect.objectContaining({ code: CoreErrorCode.InvalidInput }),
      );
    }
  });

  it('reads timers in words and says them back', () => {
    expect(parseTimer('off')).toBe(0);
    expect(parseTimer('1d')).toBe(86_400);
    expect(parseTimer(' 2W ')).toBe(1_209_600);
    expect(timerWords(86_400)).toBe('1 day');
    expect(timerWords(5_400)).toBe('90 minutes');
    for (const text of ['1m', '5w', 'soon', '1.5h', '']) {
      expect(() => parseTimer(text), text).toThrow(
        expect.objectContaining({ code: CoreErrorCode.InvalidInput }),
      );
    }
  });
});
