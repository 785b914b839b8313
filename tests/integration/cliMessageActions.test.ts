// `kindred edit`, `kindred delete` and `kindred contact remove`, as real processes against a real
// relay with real homes: one 1:1 flow (a group edit goes through the same command and the same
// core path, tests/integration/messageActions.test.ts).
import { describe, expect, it } from 'vitest';
import { useTestRelay } from './helpers.js';
import { expectFailure, initHome, kindred } from './kindredCommand.js';

const relay = useTestRelay();

describe('kindred edit, delete and contact remove', () => {
  it(
    'edits and deletes our message on both sides, refuses another’s, and removes a contact',
    { timeout: 180_000 },
    async () => {
      const [homeA, homeB] = await Promise.all([
        initHome(relay.dirs, relay.url, 'Alice Edit'),
        initHome(relay.dirs, relay.url, 'Bob Edit'),
      ]);
      const alice = [...homeA.args, '--json'];
      const bob = [...homeB.args, '--json'];
      const invite = await kindred(['invite', '--uses', '1', '--expires', '24h', ...alice]);
      const add = await kindred([
        'contact',
        'add',
        String(invite.records[0]?.link),
        '--alias',
        'alice',
        ...bob,
      ]);
      expect(add.code, add.stderr).toBe(0);
      const sent = await kindred(['send', 'alice', 'see you at the clinc', ...bob]);
      expect(sent.code, sent.stderr).toBe(0);
      const id = String(sent.records[0]?.messageId);

      const edited = await kindred(['edit', id, 'see you at the clinic', ...bob]);
      expect(edited.code, edited.stderr).toBe(0);
      expect(edited.records[0]).toMatchObject({ event: 'edited', messageId: id });
      expect((await kindred(['sync', '--wait', '10', ...alice])).code).toBe(0);
      const human = await kindred(['messages', homeB.address, ...homeA.args]);
      expect(human.stdout).toContain('see you at the clinic (edited)');
      expect(human.stdout).not.toContain('clinc');

      // Alice may not change Bob's message.
      expectFailure(await kindred(['edit', id, 'not yours', ...homeA.args]), 'CORE_NOT_AUTHOR');

      const deleted = await kindred(['delete', id, ...bob]);
      expect(deleted.code, deleted.stderr).toBe(0);
      expect((await kindred(['sync', '--wait', '10', ...alice])).code).toBe(0);
      const after = await kindred(['messages', homeB.address, ...alice]);
      expect(after.records).toStrictEqual([
        expect.objectContaining({ messageId: id, text: '', deletedByAuthor: true }),
      ]);
      expect((await kindred(['messages', homeB.address, ...homeA.args])).stdout).toContain(
        '(deleted by its author)',
      );

      const removed = await kindred(['contact', 'remove', homeB.address, ...alice]);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.records[0]).toMatchObject({
        event: 'removed',
        messages: 1,
        revokedAtRelay: true,
      });
    },
  );
});
