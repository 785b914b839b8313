import { createIntl } from 'react-intl';
import { describe, expect, it } from 'vitest';
import { pseudonymKey } from '../../core/client/index.js';
import { MESSAGES } from '../../desktop/shared/i18n/messages.std.js';
import { clashingPseudonym, samePseudonymKey } from '../../desktop/shared/pseudonymClash.std.js';

const SAMPLES = [
  'Alice',
  ' alice ',
  'ALICE',
  'Ana  G',
  'ana g',
  'Ａｌｉｃｅ',
  'Zoë',
  'Zoe\u0308',
  'Quiet Heron',
  'quiet\theron',
  'İlkay',
  '',
  '   ',
];

describe('the window’s pseudonym clash check', () => {
  it('compares names exactly as core does', () => {
    for (const sample of SAMPLES)
      expect(samePseudonymKey(sample), sample).toBe(pseudonymKey(sample));
  });

  it('names the persona whose name a chosen one repeats, whatever its case or spacing', () => {
    const personas = [{ pseudonym: 'Alice' }, { pseudonym: 'Quiet Heron' }];
    expect(clashingPseudonym(' alice', personas)).toBe('Alice');
    expect(clashingPseudonym('QUIET  heron', personas)).toBe('Quiet Heron');
    expect(clashingPseudonym('Alicia', personas)).toBeUndefined();
    expect(clashingPseudonym('  ', personas)).toBeUndefined();
    const english = createIntl({ locale: 'en', messages: MESSAGES.en });
    expect(english.formatMessage({ id: 'personas.clash' }, { name: 'Alice' })).toBe(
      'Another of your personas is called Alice: people could link them.',
    );
  });
});
