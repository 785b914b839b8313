// Content warnings at the desktop's main-process layer, against a real relay with real vaults
// and a real image file: the send path the composer (and the attachments' staging) ends in, what
// the window receives of a warned message (covered unless revealed), and what the chat list,
// search and notifications may say of it.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CoreErrorCode,
  MAX_TEXT_LENGTH as CORE_MAX_TEXT_LENGTH,
  MAX_WARNING_LENGTH as CORE_MAX_WARNING_LENGTH,
  SENSITIVE_IMAGE_LABEL as CORE_SENSITIVE_IMAGE_LABEL,
  WARNING_PRESETS as CORE_WARNING_PRESETS,
} from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import { AppEventFeed } from '../../desktop/main/AppEventFeed.main.js';
import { toApiError } from '../../desktop/main/apiErrors.main.js';
import { groupConversationId } from '../../desktop/main/conversationId.std.js';
import { ConversationViews } from '../../desktop/main/ConversationViews.main.js';
import { silentLogger } from '../../desktop/main/logger.main.js';
import { SearchViews } from '../../desktop/main/SearchViews.main.js';
import { DEFAULT_PREFERENCES, ReadMarkers } from '../../desktop/main/VaultPreferences.main.js';
import type { AppEvent } from '../../desktop/shared/api.std.js';
import { MAX_MESSAGE_LENGTH } from '../../desktop/shared/messageLimits.std.js';
import {
  MAX_WARNING_LENGTH,
  SENSITIVE_IMAGE_LABEL,
  WARNING_PRESETS,
} from '../../desktop/shared/contentWarnings.std.js';
import { GroupTestClients } from '../integration/groupHelpers.js';
import { TempDirs, startTestRelay, waitFor } from '../integration/helpers.js';
import { wordsIn } from '../../desktop/main/notificationText.main.js';
import { notificationWords } from '../../desktop/shared/i18n/notificationWords.std.js';

const dirs = new TempDirs();
let relay: RunningRelay & { dataDir: string };

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

describe('content warnings in the desktop', () => {
  it('the window offers the same presets, image cover and limit as core', () => {
    expect(WARNING_PRESETS).toStrictEqual([...CORE_WARNING_PRESETS]);
    expect(SENSITIVE_IMAGE_LABEL).toBe(CORE_SENSITIVE_IMAGE_LABEL);
    expect(MAX_WARNING_LENGTH).toBe(CORE_MAX_WARNING_LENGTH);
    expect(MAX_MESSAGE_LENGTH).toBe(CORE_MAX_TEXT_LENGTH);
  });

  it('a group requiring warnings refuses an unwarned image through the send path with a sentence; a warned one reaches the window covered until revealed, in the list, search and notifications too', async () => {
    const homes = new GroupTestClients(dirs, relay.url);
    try {
      const owner = await homes.add('Olive');
      const ana = await homes.add('Ana');
      const ownerGroup = await owner.createGroup({
        name: 'Wound care',
        description: '',
        rules: '',
      });
      const link = await ownerGroup.invite({ maxUses: 1, expiresAt: Date.now() + 3_600_000 });
      const anaGroup = await ana.joinGroup(link, { pseudonym: 'Ana' });
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
      const conversationId = groupConversationId(anaGroup.id);
      const anaViews = new ConversationViews(ana, await ReadMarkers.load(ana.localData));
      const ownerViews = new ConversationViews(owner, await ReadMarkers.load(owner.localData));
      const events: AppEvent[] = [];
      const feed = new AppEventFeed({
        client: owner,
        preferences: () => ({
          ...DEFAULT_PREFERENCES,
          notifications: { enabled: true, showText: true },
        }),
        emit: (event) => events.push(event),
        logger: silentLogger,
      });

      const photo = join(await dirs.make('files'), 'scan.png');
      await sharp(randomBytes(32 * 32 * 3), { raw: { width: 32, height: 32, channels: 3 } })
        .png()
        .toFile(photo);
      const text = 'how the wound looks today';
      const before = (await anaViews.messages(conversationId)).length;
      const refusal: unknown = await anaViews
        .send(conversationId, text, { attachments: [photo] })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      expect(toApiError(refusal, silentLogger, 'conversations.send')).toStrictEqual({
        code: CoreErrorCode.WarningRequired,
        message: 'This group asks for a content warning on images: add one before sending.',
      });
      expect(await anaViews.messages(conversationId)).toHaveLength(before);

      // With a warning it goes, and even the sender's own view of it comes back covered.
      const sent = await anaViews.send(conversationId, text, {
        attachments: [photo],
        warning: 'Graphic medical image',
      });
      expect(sent).toMatchObject({ text: '', covered: true, warning: 'Graphic medical image' });
      expect(JSON.stringify(sent)).not.toContain('wound');
      await ana.flushOutbox(10_000);

      await waitFor(
        async () => (await ownerViews.messages(conversationId)).some((m) => m.covered === true),
        10_000,
        'the warned image at the owner',
      );
      const covered = await ownerViews.messages(conversationId);
      expect(JSON.stringify(covered)).not.toContain('wound');
      const shown = covered.find((m) => m.covered === true);
      expect(shown).toMatchObject({ text: '', warning: 'Graphic medical image' });
      expect(shown).not.toHaveProperty('attachments');
      const revealed = await ownerViews.messages(conversationId, [shown?.id ?? '']);
      expect(revealed.find((m) => m.id === shown?.id)).toMatchObject({
        text,
        warning: 'Graphic medical image',
      });
      expect(revealed.find((m) => m.id === shown?.id)).not.toHaveProperty('covered');

      const listed = (await ownerViews.list()).find((summary) => summary.id === conversationId);
      expect(listed).toMatchObject({ preview: '', previewWarning: 'Graphic medical image' });
      const found = await new SearchViews(owner).query('wound', 10);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ warning: 'Graphic medical image', snippet: [] });
      await waitFor(() => events.some((e) => e.type === 'notify'), 10_000, 'the notification');
      const notified = events.filter((e) => e.type === 'notify');
      expect(notified.map((e) => e.about)).toStrictEqual([
        { kind: 'group-message', from: 'Ana', warning: 'Graphic medical image' },
      ]);
      expect(notified.map((e) => notificationWords(wordsIn('en'), e.about).body)).toStrictEqual([
        'Ana: Content warning: Graphic medical image',
      ]);
      feed.stop();
    } finally {
      await homes.closeAll();
    }
  }, 90_000);
});
