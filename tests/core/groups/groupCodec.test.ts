/**
 * checkGroupInfo: what a person may give a group as its name, description and rules before it is
 * sealed. Lengths have limits, and control characters (which could rewrite what a terminal shows
 * around them) are refused, but for line breaks and tabs in the description and rules.
 */
import { describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  MAX_GROUP_DESCRIPTION_LENGTH,
  MAX_GROUP_NAME_LENGTH,
  MAX_GROUP_RULES_LENGTH,
  checkGroupInfo,
} from '../../../core/client/index.js';
import { expectCode } from './groupTestLog.js';

const ok = { name: 'Rare-1 circle', description: '', rules: '' };

/** C0 (but \n and \t), DEL and C1, one of each kind that matters and the ends of each range. */
const CONTROLS = ['\u0000', '\u0007', '\b', '\r', '\u000b', '\f', '\u001b', '\u001f', '\u007f'];
const C1 = ['\u0080', '\u0085', '\u009b', '\u009f'];

describe('checkGroupInfo', () => {
  it('accepts plain info, trims the name, and keeps line breaks and tabs in longer text', () => {
    expect(
      checkGroupInfo({
        name: '  Día de apoyo — 支援  ',
        description: 'Weekly.\n\tThursdays, 18:00',
        rules: '1. Be kind.\n2. No advice on doses.\n',
      }),
    ).toStrictEqual({
      name: 'Día de apoyo — 支援',
      description: 'Weekly.\n\tThursdays, 18:00',
      rules: '1. Be kind.\n2. No advice on doses.\n',
    });
  });

  it('refuses control characters in the name, line breaks and tabs included', () => {
    for (const control of [...CONTROLS, ...C1, '\n', '\t']) {
      expectCode(
        () => checkGroupInfo({ ...ok, name: `Rare${control}circle` }),
        CoreErrorCode.InvalidInput,
      );
    }
  });

  it('refuses control characters but line breaks and tabs in the description and rules', () => {
    for (const control of [...CONTROLS, ...C1]) {
      const text = `be kind${control}[31mor else`;
      expectCode(() => checkGroupInfo({ ...ok, description: text }), CoreErrorCode.InvalidInput);
      expectCode(() => checkGroupInfo({ ...ok, rules: text }), CoreErrorCode.InvalidInput);
    }
  });

  it('does not repeat the text in its error', () => {
    for (const info of [
      { ...ok, name: 'my secret\u0000name' },
      { ...ok, description: 'my secret\u001b[2J' },
      { ...ok, rules: 'my secret\u009b' },
    ]) {
      let error: unknown;
      try {
        checkGroupInfo(info);
      } catch (failure) {
        error = failure;
      }
      expect(CoreError.is(error, CoreErrorCode.InvalidInput)).toBe(true);
      expect(CoreError.is(error) && error.message.includes('secret')).toBe(false);
    }
  });

  it('refuses text over its limit and an empty name', () => {
    expectCode(() => checkGroupInfo({ ...ok, name: '   ' }), CoreErrorCode.InvalidInput);
    expectCode(
      () => checkGroupInfo({ ...ok, name: 'n'.repeat(MAX_GROUP_NAME_LENGTH + 1) }),
      CoreErrorCode.InvalidInput,
    );
    expectCode(
      () => checkGroupInfo({ ...ok, description: 'd'.repeat(MAX_GROUP_DESCRIPTION_LENGTH + 1) }),
      CoreErrorCode.InvalidInput,
    );
    expectCode(
      () => checkGroupInfo({ ...ok, rules: 'r'.repeat(MAX_GROUP_RULES_LENGTH + 1) }),
      CoreErrorCode.InvalidInput,
    );
    expect(
      checkGroupInfo({
        name: 'n'.repeat(MAX_GROUP_NAME_LENGTH),
        description: 'd'.repeat(MAX_GROUP_DESCRIPTION_LENGTH),
        rules: 'r'.repeat(MAX_GROUP_RULES_LENGTH),
      }).name,
    ).toHaveLength(MAX_GROUP_NAME_LENGTH);
  });
});
