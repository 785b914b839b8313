/**
 * The content warnings every window knows (the composer's presets, core's "Sensitive image")
 * travel in English and read in each reader's language; a person's own words stay as written.
 */
import { describe, expect, it } from 'vitest';
import { wordsIn } from '../../desktop/main/notificationText.main.js';
import {
  SENSITIVE_IMAGE_LABEL,
  WARNING_PRESETS,
} from '../../desktop/shared/contentWarnings.std.js';
import { LOCALES, type Locale } from '../../desktop/shared/i18n/locales.std.js';
import { notificationWords } from '../../desktop/shared/i18n/notificationWords.std.js';
import { warningToSend, warningWords } from '../../desktop/shared/i18n/warningWords.std.js';

const KNOWN = [...WARNING_PRESETS, SENSITIVE_IMAGE_LABEL];
const ALL = Object.keys(LOCALES) as Locale[];

describe('known content warnings', () => {
  it('read in English as they travel, and in each other language in its own words', () => {
    const english = wordsIn('en');
    for (const warning of KNOWN) expect(warningWords(english, warning)).toBe(warning);
    for (const locale of ALL.filter((one) => one !== 'en')) {
      const words = wordsIn(locale);
      for (const warning of KNOWN) {
        const shown = warningWords(words, warning);
        expect(shown, `${warning} in ${locale}`).not.toBe(warning);
        // Chosen in that language, it goes out in English again, so every reader sees their own.
        expect(warningToSend(words, shown)).toBe(warning);
      }
    }
    expect(warningWords(wordsIn('es'), SENSITIVE_IMAGE_LABEL)).toBe('Imagen delicada');
  });

  it('leave a person’s own words as written, whatever the language', () => {
    for (const locale of ALL) {
      const words = wordsIn(locale);
      expect(warningWords(words, 'Scan results')).toBe('Scan results');
      expect(warningToSend(words, 'Resultados del escáner')).toBe('Resultados del escáner');
    }
  });

  it('a notification of a warned message shows the warning in the reader’s language', () => {
    const { body } = notificationWords(wordsIn('fr'), {
      kind: 'message',
      from: 'Ada',
      warning: SENSITIVE_IMAGE_LABEL,
    });
    expect(body).toContain('Image sensible');
  });
});
