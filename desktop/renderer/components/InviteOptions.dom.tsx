import { useId } from 'react';
import { useFormatting } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { SelectField } from './FormFields.dom.js';

export interface InviteOptionsValue {
  readonly maxUses: number;
  readonly expiresInHours: number;
}

/** How long a link may work, in hours (shown as a duration in the window's language). */
export const EXPIRY_CHOICES: readonly number[] = [1, 24, 24 * 7, 24 * 30, 24 * 90];

/** How many times an invite link works, and for how long. */
export function InviteOptions({
  value,
  onChange,
  maxUsesLimit = 10_000,
}: {
  value: InviteOptionsValue;
  onChange: (value: InviteOptionsValue) => void;
  maxUsesLimit?: number;
}) {
  const id = useId();
  const text = useText();
  const format = useFormatting();
  return (
    <div className="field-row">
      <div className="field">
        <label className="field-label" htmlFor={`${id}-uses`}>
          {text('components.uses')}
        </label>
        <input
          id={`${id}-uses`}
          className="input input-number"
          type="number"
          min={1}
          max={maxUsesLimit}
          step={1}
          value={value.maxUses}
          aria-describedby={`${id}-uses-hint`}
          onChange={(event) => {
            const parsed = Number.parseInt(event.target.value, 10);
            onChange({
              ...value,
              maxUses: Number.isNaN(parsed) ? 1 : Math.min(Math.max(parsed, 1), maxUsesLimit),
            });
          }}
        />
        <p id={`${id}-uses-hint`} className="hint">
          {text('components.usesHint')}
        </p>
      </div>
      <SelectField
        label={text('components.expiresAfter')}
        value={value.expiresInHours}
        onChange={(hours) => {
          onChange({ ...value, expiresInHours: Number(hours) });
        }}
      >
        {EXPIRY_CHOICES.map((hours) => (
          <option key={hours} value={hours}>
            {format.duration(hours * 3600)}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
