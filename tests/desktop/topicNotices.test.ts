/**
 * Topic operations in a group's timeline: core's log states them as facts (topicLogDetail), main
 * turns those into notices with the topic's name (operationNotice), and the window words them in
 * each language. Names never travel in the detail: they are sealed, and opened by the reader.
 */
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { parseTopicLogDetail, topicLogDetail } from '../../core/client/groups/topicLogDetail.js';
import type { GroupLogEntry } from '../../core/client/index.js';
import {
  TopicCreateSchema,
  TopicMoveSchema,
  TopicStatus,
  TopicUpdateSchema,
} from '../../core/protocol/gen/kindred_pb.js';
import { operationNotice } from '../../desktop/main/messageViews.main.js';
import { wordsIn } from '../../desktop/main/notificationText.main.js';
import { noticeWords } from '../../desktop/renderer/conversation/noticeWords.dom.js';
import type { TextOf } from '../../desktop/renderer/i18n/LanguageProvider.dom.js';
import type { Locale } from '../../desktop/shared/i18n/locales.std.js';

const TOPIC = new Uint8Array(16).fill(0xab);
const TOPIC_HEX = 'ab'.repeat(16);
const MESSAGE = new Uint8Array(16).fill(0x07);

function textIn(locale: Locale): TextOf {
  const words = wordsIn(locale);
  return (id, values) =>
    words(
      id,
      values === undefined
        ? undefined
        : Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)])),
    );
}

function entry(action: string, detail: string, reason = ''): GroupLogEntry {
  return { sequence: 5, at: 1, actor: 'a', actorPseudonym: 'Ana', action, detail, reason };
}

const names = new Map([[TOPIC_HEX, 'Treatments']]);

describe('topic operations in the log', () => {
  it('are stated as facts that read back the same', () => {
    const created = topicLogDetail({
      case: 'topicCreate',
      value: create(TopicCreateSchema, { topicId: TOPIC, sealedName: new Uint8Array([1]) }),
    });
    expect(created).toBe(`topic ${TOPIC_HEX}`);
    expect(parseTopicLogDetail(created)).toMatchObject({ topic: TOPIC_HEX, renamed: false });
    const closed = topicLogDetail({
      case: 'topicUpdate',
      value: create(TopicUpdateSchema, { topicId: TOPIC, status: TopicStatus.CLOSED }),
    });
    expect(parseTopicLogDetail(closed)).toMatchObject({ closed: true, reopened: false });
    const renamed = topicLogDetail({
      case: 'topicUpdate',
      value: create(TopicUpdateSchema, { topicId: TOPIC, sealedName: new Uint8Array([1]) }),
    });
    expect(parseTopicLogDetail(renamed)).toMatchObject({ renamed: true, closed: false });
    const toGeneral = topicLogDetail({
      case: 'topicMove',
      value: create(TopicMoveSchema, { messageId: MESSAGE }),
    });
    expect(parseTopicLogDetail(toGeneral)).toEqual({
      topic: '',
      renamed: false,
      closed: false,
      reopened: false,
      message: '07'.repeat(16),
    });
    // Anything else is not a topic fact (and a notice falls back to its plain wording).
    expect(parseTopicLogDetail('approval on, slow mode 0s')).toBeUndefined();
    expect(parseTopicLogDetail(undefined)).toBeUndefined();
  });

  it('read as friendly sentences with the topic’s name, in every language', () => {
    const en = textIn('en');
    const say = (logEntry: GroupLogEntry, text: TextOf = en) =>
      noticeWords(text, operationNotice(logEntry, names));
    expect(say(entry('topicCreate', `topic ${TOPIC_HEX}`))).toBe(
      'Ana created the topic “Treatments”.',
    );
    expect(say(entry('topicUpdate', `topic ${TOPIC_HEX}, renamed`))).toBe(
      'Ana renamed a topic to “Treatments”.',
    );
    expect(say(entry('topicUpdate', `topic ${TOPIC_HEX}, closed`, 'Too quiet'))).toBe(
      'Ana closed the topic “Treatments”. Reason: Too quiet',
    );
    expect(say(entry('topicUpdate', `topic ${TOPIC_HEX}, reopened`))).toBe(
      'Ana reopened the topic “Treatments”.',
    );
    expect(say(entry('topicMove', `message ${'07'.repeat(16)} to General`))).toBe(
      'Ana moved a message to “General”.',
    );
    // A topic whose name we cannot open is "a topic", never an id.
    expect(say(entry('topicCreate', `topic ${'cd'.repeat(16)}`))).toBe(
      'Ana created the topic “a topic”.',
    );
    const closing = entry('topicUpdate', `topic ${TOPIC_HEX}, closed`);
    expect(say(closing, textIn('fr'))).toBe('Ana a fermé le sujet « Treatments ».');
    expect(say(closing, textIn('ar'))).toBe('Ana أغلق الموضوع «Treatments».');
    expect(say(entry('topicMove', `message ${'07'.repeat(16)} to General`), textIn('de'))).toBe(
      'Ana hat eine Nachricht nach „Allgemein“ verschoben.',
    );
  });
});
