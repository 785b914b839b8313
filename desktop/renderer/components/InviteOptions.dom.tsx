import { useId } from 'react';
import { SelectField } from './FormFields.dom.js';

export interface InviteOptionsValue {
  readonly maxUses: number;
  readonly expiresInHours: number;
}

export const EXPIRY_CHOICES: readonly { readonly hours: number; readonly label: string }[] = [
  { hours: 1, label: '1 hour' },
  { hours: 24, label: '1 day' },
  { hours: 24 * 7, label: '7 days' },
  { hours: 24 * 30, label: '30 days' },
  { hours: 24 * 90, label: '90 days' },
];

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
  return (
    <div className="field-row">
      <div className="field">
        <label className="field-label" htmlFor={`${id}-uses`}>
          Uses
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
          How many people can use the link.
        </p>
      </div>
      <SelectField
        label="Expires after"
        value={value.expiresInHours}
        onChange={(hours) => {
          onChange({ ...value, expiresInHours: Number(hours) });
        }}
      >
        {EXPIRY_CHOICES.map((choice) => (
          <option key={choice.hours} value={choice.hours}>
            {choice.label}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
