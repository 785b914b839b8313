import { useId } from 'react';
import { THEME_CHOICES, chooseTheme, useThemeChoice } from '../theme.dom.js';

/** Settings → Appearance: the theme, applied at once and kept on this computer. */
export function ThemeSettings() {
  const id = useId();
  const choice = useThemeChoice();
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Appearance</h2>
      <fieldset className="fieldset" aria-describedby={`${id}-hint`}>
        <legend className="field-label">Theme</legend>
        {THEME_CHOICES.map((theme) => (
          <label key={theme.value} className="check">
            <input
              type="radio"
              name={`${id}-theme`}
              checked={choice === theme.value}
              onChange={() => {
                chooseTheme(theme.value);
              }}
            />
            {theme.label}
          </label>
        ))}
      </fieldset>
      <p id={`${id}-hint`} className="hint">
        Kept on this computer, not in your vault, so the unlock screen uses it too.
      </p>
    </section>
  );
}
