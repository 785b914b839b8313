import { describe, expect, it } from 'vitest';
import type { GroupLogEntry } from '../../../core/client/index.js';
import { reportHandling, toHex } from '../../../core/client/index.js';

const MESSAGE = new Uint8Array(16).fill(7);
const AUTHOR = 'author-address';
const SENT = 1_000;

function entry(sequence: number, fields: Partial<GroupLogEntry>): GroupLogEntry {
  return {
    sequence,
    at: SENT + sequence,
    actor: 'moderator-address',
    actorPseudonym: 'Ana',
    action: 'setInfo',
    reason: '',
    ...fields,
  };
}

const query = { messageId: MESSAGE, author: AUTHOR, since: SENT };

describe('reportHandling', () => {
  it('takes each answering action, by any moderator', () => {
    const cases: [Partial<GroupLogEntry>, string][] = [
      [{ action: 'deleteMessage', detail: toHex(MESSAGE) }, 'deleteMessage'],
      [{ action: 'remove', target: AUTHOR }, 'remove'],
      [{ action: 'ban', target: AUTHOR }, 'ban'],
      [{ action: 'mute', target: AUTHOR, detail: 'until 2026-12-08T00:00:00.000Z' }, 'mute'],
    ];
    for (const [fields, action] of cases) {
      expect(reportHandling(query, [entry(5, fields)])).toStrictEqual({
        action,
        by: 'moderator-address',
        byPseudonym: 'Ana',
        at: SENT + 5,
        sequence: 5,
      });
    }
  });

  it('leaves a report open for what does not answer it', () => {
    const log = [
      entry(1, { action: 'deleteMessage', detail: toHex(new Uint8Array(16).fill(8)) }),
      entry(2, { action: 'remove', target: 'someone-else' }),
      entry(3, { action: 'mute', target: AUTHOR, detail: 'unmuted' }),
      // Before the message was sent: an earlier matter.
      entry(4, { action: 'ban', target: AUTHOR, at: SENT - 1 }),
      entry(5, { action: 'promote', target: AUTHOR }),
    ];
    expect(reportHandling(query, log)).toBeUndefined();
  });

  it('names the first answer when several came', () => {
    const log = [
      entry(6, { action: 'mute', target: AUTHOR, detail: 'until later', actorPseudonym: 'Bo' }),
      entry(7, { action: 'deleteMessage', detail: toHex(MESSAGE) }),
    ];
    expect(reportHandling(query, log)).toMatchObject({ action: 'mute', byPseudonym: 'Bo' });
  });
});
