import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupActionInit, GroupHandle } from '../../core/client/index.js';
import {
  CoreErrorCode,
  RelayConnection,
  RelayErrorCode,
  RelayRejectedError,
  WEEK_MS,
  formatInZone,
  signGroupOperation,
} from '../../core/client/index.js';
import type { RunningRelay } from '../../server/index.js';
import {
  GroupTestClients,
  fetchGroupState,
  groupKeysOf,
  personaFromVault,
} from './groupHelpers.js';
import { TempDirs, startTestRelay, waitFor } from './helpers.js';

/**
 * Scheduled host-led chats through a real relay (docs/groups.md "Scheduled host-led chats"): two
 * members in two time zones, each client with its own injected clock and zone.
 */

const MINUTE = 60_000;
const dirs = new TempDirs();
let relay: RunningRelay;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

const PROMPTS = [
  { offsetMinutes: 0, text: 'What helped you most this week?' },
  { offsetMinutes: 10, text: 'How do you explain fatigue to family?' },
  { offsetMinutes: 20, text: 'One small win to share?' },
];

async function sentTexts(group: GroupHandle): Promise<string[]> {
  return (await group.messages()).map((m) => m.text);
}

describe('scheduled host-led chats', () => {
  it('are scheduled by a moderator, seen in each member’s zone, ask prompts at their offsets, and keep answers by prompt', async () => {
    // Olive in New York reads with the real clock; Ken in Tokyo with a clock the test moves.
    let kenNow = Date.now();
    const newYork = new GroupTestClients(dirs, relay.url, { timeZone: 'America/New_York' });
    const tokyo = new GroupTestClients(dirs, relay.url, {
      timeZone: 'Asia/Tokyo',
      scheduleClock: () => kenNow,
    });
    try {
      const olive = await newYork.add('Olive');
      const ken = await tokyo.add('Ken');
      const oliveGroup = await olive.createGroup({
        name: 'Lupus circle',
        description: '',
        rules: '',
      });
      const link = await oliveGroup.invite({ maxUses: 2, expiresAt: Date.now() + 3_600_000 });
      const kenGroup = await ken.joinGroup(link);
      await waitFor(async () => (await oliveGroup.members()).length === 2, 10_000, 'the join');

      // The chat started a minute ago (real time), so texts sent now fall inside it.
      const start = Date.now() - MINUTE;
      const input = {
        title: 'Thursday lupus chat',
        startsAt: start,
        durationMinutes: 30,
        occurrences: 3,
        prompts: PROMPTS,
      };
      // A member cannot schedule: its own client refuses with the rules' code.
      await expect(kenGroup.schedules.create(input)).rejects.toMatchObject({
        code: CoreErrorCode.GroupForbidden,
      });
      // Bad details are refused before anything is signed.
      await expect(
        oliveGroup.schedules.create({
          ...input,
          prompts: [{ offsetMinutes: 30, text: 'past the end' }],
        }),
      ).rejects.toMatchObject({ code: CoreErrorCode.ScheduleInvalid });
      await expect(
        oliveGroup.schedules.create({
          ...input,
          startsAt: Date.now() - 60 * MINUTE,
          occurrences: 1,
        }),
      ).rejects.toMatchObject({ code: CoreErrorCode.ScheduleInvalid });
      await expect(
        oliveGroup.schedules.create({ ...input, durationMinutes: 0 }),
      ).rejects.toMatchObject({ code: CoreErrorCode.ScheduleInvalid });

      const chatId = await oliveGroup.schedules.create(input);
      expect(chatId).toMatch(/^[0-9a-f]{32}$/);

      // Ken sees it, in his own zone; Olive in hers. Same instants, different words.
      let atKen = await kenGroup.schedules.list();
      await waitFor(
        async () => {
          await kenGroup.sync();
          atKen = await kenGroup.schedules.list();
          return atKen.length === 1;
        },
        10_000,
        'the schedule at Ken',
      );
      const [kenView] = atKen;
      const [oliveView] = await oliveGroup.schedules.list();
      expect(kenView?.title).toBe('Thursday lupus chat');
      expect(kenView?.prompts.map((p) => p.text)).toStrictEqual(PROMPTS.map((p) => p.text));
      expect(kenView?.host).toBe(oliveGroup.persona);
      const hostName = (await kenGroup.members()).find(
        (m) => m.address === oliveGroup.persona,
      )?.pseudonym;
      expect(hostName).toBeTruthy();
      expect(kenView?.hostPseudonym).toBe(hostName);
      expect(kenView?.next?.startsAt).toBe(start);
      expect(kenView?.next?.running).toBe(true);
      expect(kenView?.timeZone).toBe('Asia/Tokyo');
      expect(kenView?.next?.localStart).toBe(formatInZone(start, 'Asia/Tokyo'));
      expect(kenView?.next?.localStart).toContain('GMT+9');
      expect(oliveView?.timeZone).toBe('America/New_York');
      expect(oliveView?.next?.localStart).toMatch(/E[SD]T/);
      expect(oliveView?.next?.localStart).not.toBe(kenView?.next?.localStart);

      // Prompts appear at their offsets, derived by Ken's client from his clock alone.
      const asked = async (): Promise<string[]> =>
        (await kenGroup.schedules.prompts()).map((p) => `${p.occurrence}:Q${p.number}`);
      kenNow = start - MINUTE;
      expect(await asked()).toStrictEqual([]);
      kenNow = start + 5 * MINUTE;
      expect(await asked()).toStrictEqual(['1:Q1']);
      kenNow = start + 15 * MINUTE;
      expect(await asked()).toStrictEqual(['1:Q1', '1:Q2']);
      kenNow = start + 25 * MINUTE;
      const prompts = await kenGroup.schedules.prompts();
      expect(prompts.map((p) => p.askedAt)).toStrictEqual([
        start,
        start + 10 * MINUTE,
        start + 20 * MINUTE,
      ]);
      expect(prompts.every((p) => p.hostPseudonym === hostName)).toBe(true);
      // The second occurrence, a week later, asks its own.
      kenNow = start + WEEK_MS + 12 * MINUTE;
      expect((await asked()).slice(3)).toStrictEqual(['2:Q1', '2:Q2']);

      // Answers during the chat, tagged to a prompt; a prompt not asked yet takes none.
      kenNow = start + 12 * MINUTE;
      await expect(kenGroup.schedules.answerTag(3)).rejects.toMatchObject({
        code: CoreErrorCode.ScheduleNotRunning,
      });
      const a2 = await kenGroup.schedules.answerTag(2);
      expect(a2).toStrictEqual({ chatId, occurrence: 1, prompt: 2 });
      await kenGroup.send('I say it is like a battery that never charges', { scheduleAnswer: a2 });
      await kenGroup.send('Pacing, mostly', {
        scheduleAnswer: await kenGroup.schedules.answerTag(1),
      });
      await ken.flushOutbox(10_000);
      await waitFor(
        async () => (await sentTexts(oliveGroup)).length === 2,
        10_000,
        'Ken’s answers at Olive',
      );
      await oliveGroup.send('Welcome, everyone');
      await oliveGroup.send('Sleep, for me', {
        scheduleAnswer: await oliveGroup.schedules.answerTag(1, { now: start + 12 * MINUTE }),
      });
      await olive.flushOutbox(10_000);
      await waitFor(async () => (await sentTexts(kenGroup)).length === 4, 10_000, 'all at Ken');
      // The tag travelled with the text.
      const stored = (await oliveGroup.messages()).find((m) => m.text === 'Pacing, mostly');
      expect(stored?.scheduleAnswer).toStrictEqual({ chatId, occurrence: 1, prompt: 1 });

      for (const group of [oliveGroup, kenGroup]) {
        const transcript = await group.schedules.transcript(chatId.slice(0, 8), {
          now: start + 40 * MINUTE,
        });
        expect(transcript.occurrence.occurrence).toBe(1);
        expect(
          transcript.sections.map((s) => [s.prompt.number, s.answers.map((m) => m.text)]),
        ).toStrictEqual([
          [1, ['Pacing, mostly', 'Sleep, for me']],
          [2, ['I say it is like a battery that never charges']],
          [3, []],
        ]);
        expect(transcript.untagged.map((m) => m.text)).toStrictEqual(['Welcome, everyone']);
      }

      // The relay refuses a member's schedule operation, whoever's client built it.
      await tokyo.close(ken);
      const kenPersona = await personaFromVault(tokyo.home(ken), kenGroup.persona);
      const keys = groupKeysOf(link, 0);
      const before = await fetchGroupState(relay.url, keys);
      // Sealed details the relay cannot read anyway: it refuses on the actor's role alone.
      const forged: GroupActionInit = {
        case: 'scheduleChat',
        value: { chatId: new Uint8Array(randomBytes(16)), sealedDetails: new Uint8Array(64) },
      };
      const connection = await RelayConnection.open({ url: relay.url });
      try {
        await connection.authenticate(kenPersona);
        await expect(
          connection.request(
            {
              case: 'submitGroupOperation',
              value: {
                operation: signGroupOperation(kenPersona, {
                  groupId: keys.groupId,
                  state: before,
                  action: forged,
                }),
              },
            },
            'groupAppended',
          ),
        ).rejects.toSatisfy(
          (error: unknown) =>
            RelayRejectedError.isRelayRejection(error) &&
            error.relayCode === RelayErrorCode.GroupForbidden,
        );
      } finally {
        connection.close();
      }
      expect((await fetchGroupState(relay.url, keys)).length).toBe(before.length);
    } finally {
      await newYork.closeAll();
      await tokyo.closeAll();
    }
  }, 90_000);

  it('are rescheduled and cancelled (one occurrence, then the whole chat) by operations every member applies', async () => {
    let kenNow = Date.now();
    const homes = new GroupTestClients(dirs, relay.url, { timeZone: 'UTC' });
    const tokyo = new GroupTestClients(dirs, relay.url, {
      timeZone: 'Asia/Tokyo',
      scheduleClock: () => kenNow,
    });
    try {
      const olive = await homes.add('Olive');
      const ken = await tokyo.add('Ken');
      const oliveGroup = await olive.createGroup({
        name: 'Caregivers',
        description: '',
        rules: '',
      });
      const link = await oliveGroup.invite({ maxUses: 1, expiresAt: Date.now() + 3_600_000 });
      const kenGroup = await ken.joinGroup(link);
      await waitFor(async () => (await oliveGroup.members()).length === 2, 10_000, 'the join');

      const hour = Date.now() + 60 * MINUTE;
      const chatId = await oliveGroup.schedules.create({
        title: 'Evening check-in',
        startsAt: hour,
        durationMinutes: 45,
        occurrences: 2,
        prompts: [{ offsetMinutes: 5, text: 'How was today?' }],
      });
      const kenSees = async (check: () => Promise<boolean>, what: string): Promise<void> => {
        await waitFor(
          async () => {
            await kenGroup.sync();
            return check();
          },
          10_000,
          what,
        );
      };
      await kenSees(async () => (await kenGroup.schedules.list()).length === 1, 'the schedule');

      // Reschedule: the same chat id, new details; Ken's prompts follow the new time.
      const later = hour + 2 * 60 * MINUTE;
      await oliveGroup.schedules.reschedule(chatId, {
        title: 'Evening check-in (moved)',
        startsAt: later,
        durationMinutes: 45,
        occurrences: 2,
        prompts: [{ offsetMinutes: 5, text: 'How was today?' }],
      });
      await kenSees(
        async () => (await kenGroup.schedules.list())[0]?.title === 'Evening check-in (moved)',
        'the reschedule',
      );
      const [moved] = await kenGroup.schedules.list();
      expect(moved?.chatId).toBe(chatId);
      expect(moved?.next?.startsAt).toBe(later);
      kenNow = hour + 10 * MINUTE;
      expect(await kenGroup.schedules.prompts()).toStrictEqual([]);
      kenNow = later + 10 * MINUTE;
      expect((await kenGroup.schedules.prompts()).map((p) => p.text)).toStrictEqual([
        'How was today?',
      ]);
      kenNow = Date.now();

      // Members cannot cancel either.
      await expect(kenGroup.schedules.cancel(chatId)).rejects.toMatchObject({
        code: CoreErrorCode.GroupForbidden,
      });
      await expect(oliveGroup.schedules.cancel(chatId, 3)).rejects.toMatchObject({
        code: CoreErrorCode.ScheduleNotFound,
      });

      // One occurrence: the next one shown is the second.
      await oliveGroup.schedules.cancel(chatId, 1);
      await kenSees(
        async () => (await kenGroup.schedules.list())[0]?.next?.occurrence === 2,
        'the cancelled occurrence',
      );
      const [second] = await kenGroup.schedules.list();
      expect(second?.cancelledOccurrences).toStrictEqual([1]);
      expect(second?.next?.startsAt).toBe(later + WEEK_MS);
      kenNow = later + 10 * MINUTE;
      expect(await kenGroup.schedules.prompts()).toStrictEqual([]);
      await expect(kenGroup.schedules.answerTag(1)).rejects.toMatchObject({
        code: CoreErrorCode.ScheduleNotRunning,
      });
      kenNow = Date.now();

      // The whole chat: gone for every member; the log shows both operations.
      await oliveGroup.schedules.cancel(chatId);
      await kenSees(async () => (await kenGroup.schedules.list()).length === 0, 'the cancel');
      await expect(oliveGroup.schedules.cancel(chatId)).rejects.toMatchObject({
        code: CoreErrorCode.ScheduleNotFound,
      });
      const actions = (await kenGroup.log()).map((entry) => entry.action);
      expect(actions.filter((a) => a === 'scheduleChat')).toHaveLength(2);
      expect(actions.filter((a) => a === 'cancelScheduledChat')).toHaveLength(2);
      expect(await kenGroup.warnings()).toStrictEqual([]);
    } finally {
      await homes.closeAll();
      await tokyo.closeAll();
    }
  }, 90_000);
});
