import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KindredClient } from '../../core/client/index.js';
import { CoreErrorCode, toHex } from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import { GroupTestClients, messageIdOf, textsOf } from './groupHelpers.js';
import { TempDirs, connectPair, messagesOf, startTestRelay, waitFor } from './helpers.js';

const dirs = new TempDirs();

/** The blobs the relay stores (none before the first upload). */
async function blobCount(): Promise<number> {
  try {
    return (await readdir(join(relay.dataDir, 'blobs'))).filter((name) => name.endsWith('.blob'))
      .length;
  } catch {
    return 0;
  }
}
let relay: RunningRelay & { dataDir: string };

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

describe('content warnings through a real relay', () => {
  it('1:1: the warning arrives with the text, is kept across a restart, and a bad one is refused', async () => {
    const homes = new GroupTestClients(dirs, relay.url);
    try {
      const ada = await homes.add('Ada');
      let ben: KindredClient = await homes.add('Ben');
      await connectPair(ada, ben, { aliasForA: 'ada' });

      const sent = await ada.send(ben.address, 'the photo of my wound', {
        warning: 'Graphic medical image',
      });
      expect(sent.warning).toBe('Graphic medical image');
      const plain = await ada.send(ben.address, 'and a plain one');
      await ada.flushOutbox(10_000);
      await waitFor(
        async () => messagesOf(await ben.messages('ada')).length === 2,
        10_000,
        'both texts',
      );
      const atBen = messagesOf(await ben.messages('ada'));
      expect(atBen.map((m) => [m.text, m.warning])).toStrictEqual([
        ['the photo of my wound', 'Graphic medical image'],
        ['and a plain one', undefined],
      ]);
      expect(toHex(atBen[1]?.messageId ?? new Uint8Array(0))).toBe(toHex(plain.messageId));

      // Stored once, in the vault: read again after a restart.
      await homes.close(ben);
      ben = await homes.reopen(ben);
      expect(messagesOf(await ben.messages('ada'))[0]?.warning).toBe('Graphic medical image');

      const before = messagesOf(await ada.messages(ben.address)).length;
      for (const bad of ['x'.repeat(101), 'two\nlines', ' ']) {
        await expect(ada.send(ben.address, 'hello', { warning: bad })).rejects.toMatchObject({
          code: CoreErrorCode.InvalidInput,
        });
      }
      expect(messagesOf(await ada.messages(ben.address))).toHaveLength(before);
    } finally {
      await homes.closeAll();
    }
  }, 60_000);

  it('group: the warning reaches every member, and moderators set "require image warnings"', async () => {
    const homes = new GroupTestClients(dirs, relay.url);
    try {
      const owner = await homes.add('Olive');
      const ana = await homes.add('Ana');
      const ownerGroup = await owner.createGroup({
        name: 'Loss circle',
        description: '',
        rules: '',
      });
      const link = await ownerGroup.invite({ maxUses: 2, expiresAt: Date.now() + 3_600_000 });
      const anaGroup = await ana.joinGroup(link);
      await waitFor(async () => (await ownerGroup.members()).length === 2, 10_000, 'the join');

      await anaGroup.send('we lost mum on Sunday', { warning: 'Loss / bereavement' });
      await anaGroup.send('thank you all');
      await ana.flushOutbox(10_000);
      await waitFor(async () => (await textsOf(ownerGroup)).length === 2, 10_000, 'both posts');
      const atOwner = await ownerGroup.messages();
      expect(atOwner.map((m) => [m.text, m.warning])).toStrictEqual([
        ['we lost mum on Sunday', 'Loss / bereavement'],
        ['thank you all', undefined],
      ]);
      expect((await anaGroup.messages())[0]?.warning).toBe('Loss / bereavement');
      await expect(anaGroup.send('x', { warning: 'a\u0000b' })).rejects.toMatchObject({
        code: CoreErrorCode.InvalidInput,
      });

      // The policy: only moderators set it, and every member's client reads it from the log.
      expect((await anaGroup.details()).policy.requireImageWarnings).toBe(false);
      await expect(anaGroup.setPolicy({ requireImageWarnings: true })).rejects.toMatchObject({
        code: CoreErrorCode.GroupForbidden,
      });
      await ownerGroup.setPolicy({ requireImageWarnings: true });
      await waitFor(
        async () => {
          await anaGroup.sync();
          return (await anaGroup.details()).policy.requireImageWarnings;
        },
        10_000,
        'the policy at Ana',
      );
      // Texts without images still go out unwarned under it.
      await anaGroup.send('no pictures here');
      await ana.flushOutbox(10_000);
      await waitFor(
        async () => (await textsOf(ownerGroup)).includes('no pictures here'),
        10_000,
        'the unwarned text',
      );
      const id = await messageIdOf(ownerGroup, 'no pictures here');
      const shown = (await ownerGroup.messages()).find((m) => toHex(m.messageId) === id);
      expect(shown).not.toHaveProperty('warning');
      await ownerGroup.setPolicy({ requireImageWarnings: false });
      await waitFor(
        async () => {
          await anaGroup.sync();
          return !(await anaGroup.details()).policy.requireImageWarnings;
        },
        10_000,
        'the policy lifted at Ana',
      );
    } finally {
      await homes.closeAll();
    }
  }, 60_000);

  it('group: under "require image warnings" an unwarned image attachment is refused before any upload, a warned one arrives with its warning', async () => {
    const homes = new GroupTestClients(dirs, relay.url);
    try {
      const owner = await homes.add('Olive');
      const ana = await homes.add('Ana');
      const ownerGroup = await owner.createGroup({
        name: 'Wound care',
        description: '',
        rules: '',
      });
      const link = await ownerGroup.invite({ maxUses: 2, expiresAt: Date.now() + 3_600_000 });
      const anaGroup = await ana.joinGroup(link);
      await waitFor(async () => (await ownerGroup.members()).length === 2, 10_000, 'the join');
      await ownerGroup.setPolicy({ requireImageWarnings: true });
      await waitFor(
        async () => {
          await anaGroup.sync();
          return (await anaGroup.details()).policy.requireImageWarnings;
        },
        10_000,
        'the policy at Ana',
      );
      const photo = join(await dirs.make('files'), 'scan.png');
      await sharp(randomBytes(32 * 32 * 3), { raw: { width: 32, height: 32, channels: 3 } })
        .png()
        .toFile(photo);

      const blobsBefore = await blobCount();
      const postsBefore = (await anaGroup.messages()).length;
      await expect(
        anaGroup.send('how it looks today', { attachments: [photo] }),
      ).rejects.toMatchObject({ code: CoreErrorCode.WarningRequired });
      // Refused before the upload: nothing stored here, nothing at the relay.
      expect(await anaGroup.messages()).toHaveLength(postsBefore);
      expect(await blobCount()).toBe(blobsBefore);

      const sent = await anaGroup.send('how it looks today', {
        attachments: [photo],
        warning: 'Graphic medical image',
      });
      expect(sent.warning).toBe('Graphic medical image');
      expect(sent.attachments?.[0]?.pointer.contentType).toBe('image/png');
      await ana.flushOutbox(10_000);
      await waitFor(
        async () => (await textsOf(ownerGroup)).includes('how it looks today'),
        10_000,
        'the warned image',
      );
      const id = await messageIdOf(ownerGroup, 'how it looks today');
      const atOwner = (await ownerGroup.messages()).find((m) => toHex(m.messageId) === id);
      expect(atOwner?.warning).toBe('Graphic medical image');
      expect(atOwner?.attachments?.[0]?.pointer.contentType).toBe('image/png');
    } finally {
      await homes.closeAll();
    }
  }, 60_000);
});
