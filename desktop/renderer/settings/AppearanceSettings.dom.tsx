import { useId } from 'react';
import { LOCALES, isLocale, type Locale } from '../../shared/i18n/locales.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { chooseLanguage, systemLocale, useLanguageChoice } from '../i18n/languageChoice.dom.js';
import { THEME_CHOICES, chooseTheme, useThemeChoice, type ThemeChoice } from '../theme.dom.js';

const THEME_WORDS: Readonly<Record<ThemeChoice, MessageId>> = {
  system: 'settings.themeSystem',
  light: 'settings.themeLight',
  dark: 'settings.themeDark',
};

/** Settings → Appearance: the theme and the language, applied at once and kept on this computer. */
export function AppearanceSettings() {
  const id = useId();
  const text = useText();
  const theme = useThemeChoice();
  const language = useLanguageChoice();
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{text('settings.appearance')}</h2>
      <fieldset className="fieldset" aria-describedby={`${id}-hint`}>
        <legend className="field-label">{text('settings.theme')}</legend>
        {THEME_CHOICES.map((choice) => (
          <label key={choice} className="check">
            <input
              type="radio"
              name={`${id}-theme`}
              checked={theme === choice}
              onChange={() => {
                chooseTheme(choice);
              }}
            />
            {text(THEME_WORDS[choice])}
          </label>
        ))}
      </fieldset>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-language`}>
          {text('settings.language')}
        </label>
        <select
          id={`${id}-language`}
          className="input"
          value={language}
          aria-describedby={`${id}-hint`}
          onChange={(event) => {
            const next = event.target.value;
            chooseLanguage(isLocale(next) ? next : 'system');
          }}
        >
          <option value="system">
            {text('settings.languageSystem', { language: LOCALES[systemLocale()].name })}
          </option>
          {(Object.keys(LOCALES) as Locale[]).map((locale) => (
            // Each language is named in itself, and marked so a screen reader says it in its voice.
            <option key={locale} value={locale} lang={locale}>
              {LOCALES[locale].name}
            </option>
          ))}
        </select>
      </div>
      <p id={`${id}-hint`} className="hint">
        {text('settings.appearanceHint')}
      </p>
    </section>
  );
}
