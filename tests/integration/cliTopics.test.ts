// `kindred group topic …` and --topic / --thread, as real processes against a real relay. One
// moderator's home (each spawn costs seconds): what topics do between members, and the other
// coded errors, are proven in groupTopics.test.ts.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay } from './helpers.js';
import { expectFailure, jsonLines, kindred } from './kindredCommand.js';

const dirs = new TempDirs();
let relay: RunningRelay;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

describe('kindred group topic', { timeout: 300_000 }, () => {
  it('creates, lists, posts into, threads, closes and refuses, with --json and coded errors', async () => {
    const dir = path.join(await dirs.make('cli-topics'), 'Olive');
    const init = await kindred([
      ...['init', '--name', 'Olive', '--server', relay.url, '--kdf', 'insecure-fast'],
      ...['--home', dir],
    ]);
    expect(init.code, init.stderr).toBe(0);
    const home = ['--home', dir, '--json'];
    const created = jsonLines(
      await kindred(['group', 'create', 'Circle', '--pseudonym', 'Olive', ...home]),
    );
    const group = String(created[0]?.group);

    const topic = jsonLines(
      await kindred(['group', 'topic', 'create', group, 'Treatment', ...home]),
    );
    expect(topic).toStrictEqual([
      expect.objectContaining({ event: 'group-topic-created', name: 'Treatment' }),
    ]);
    const topicId = String(topic[0]?.id);
    expect(topicId).toMatch(/^[0-9a-f]{32}$/);

    const sent = jsonLines(
      await kindred(['group', 'send', group, 'infusion day', '--topic', 'treatment', ...home]),
    );
    const root = String(sent[0]?.messageId);
    jsonLines(await kindred(['group', 'send', group, 'ice helps', '--thread', root, ...home]));

    const inTopic = jsonLines(
      await kindred(['group', 'messages', group, '--topic', 'Treatment', ...home]),
    );
    expect(inTopic.map((m) => [m.text, m.topic, m.threadRoot])).toEqual([
      ['infusion day', topicId, null],
      ['ice helps', topicId, root],
    ]);

    jsonLines(await kindred(['group', 'topic', 'close', group, topicId, ...home]));
    expectFailure(
      await kindred(['group', 'send', group, 'too late', '--topic', topicId, ...home]),
      'CORE_TOPIC_CLOSED',
    );
    const listed = jsonLines(await kindred(['group', 'topic', 'list', group, ...home]));
    expect(listed.map((t) => [t.name, t.closed, t.messages])).toEqual([
      ['General', false, 0],
      ['Treatment', true, 2],
    ]);
  });
});
