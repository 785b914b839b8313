import { useEffect, useId, useState } from 'react';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { useText, type TextOf } from '../i18n/LanguageProvider.dom.js';
import { CheckboxField } from './FormFields.dom.js';
import {
  GOOD_ENOUGH_SCORE,
  measurePassphrase,
  type PassphraseStrength,
} from '../passphraseStrength.dom.js';

export interface NewPassphrase {
  readonly passphrase: string;
  readonly repeated: string;
  readonly acceptWeak: boolean;
}

export const EMPTY_PASSPHRASE: NewPassphrase = { passphrase: '', repeated: '', acceptWeak: false };

/**
 * Scores the passphrase as it is typed (a little after the last key). Undefined until the score
 * of exactly what is typed now is known: a score of an earlier passphrase never passes for it.
 */
export function usePassphraseStrength(
  passphrase: string,
  personal: readonly string[],
): PassphraseStrength | undefined {
  const [measured, setMeasured] = useState<
    { readonly key: string; readonly strength: PassphraseStrength } | undefined
  >(undefined);
  const personalKey = personal.join('\n');
  const key = `${personalKey}\u0000${passphrase}`;

  useEffect(() => {
    if (passphrase === '') {
      setMeasured(undefined);
      return undefined;
    }
    let current = true;
    const measuring = `${personalKey}\u0000${passphrase}`;
    const timer = setTimeout(() => {
      measurePassphrase(passphrase, personalKey.split('\n')).then(
        (strength) => {
          if (current) setMeasured({ key: measuring, strength });
        },
        () => {
          // Without a score the form waits; passphraseProblem says so in words.
          if (current) setMeasured(undefined);
        },
      );
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [passphrase, personalKey]);
  return measured?.key === key ? measured.strength : undefined;
}

/** passphraseProblem's answer while the score is on its way: a form may wait for it instead. */
export const PASSPHRASE_BEING_CHECKED: MessageId = 'components.passphraseChecking';

/** What stops this passphrase from being used, in plain words; undefined when it may be. */
export function passphraseProblem(
  text: TextOf,
  value: NewPassphrase,
  strength: PassphraseStrength | undefined,
): string | undefined {
  const id = passphraseProblemId(value, strength);
  return id === undefined ? undefined : text(id);
}

function passphraseProblemId(
  value: NewPassphrase,
  strength: PassphraseStrength | undefined,
): MessageId | undefined {
  if (value.passphrase === '') return 'components.choosePassphrase';
  if (strength === undefined) return PASSPHRASE_BEING_CHECKED;
  if (strength.score < GOOD_ENOUGH_SCORE && !value.acceptWeak) return 'components.passphraseWeak';
  if (value.repeated !== value.passphrase) return 'components.passphrasesDiffer';
  return undefined;
}

export interface NewPassphraseFieldsProps {
  readonly value: NewPassphrase;
  readonly onChange: (value: NewPassphrase) => void;
  readonly strength: PassphraseStrength | undefined;
  /** "Passphrase" at first run, "New passphrase" when changing it. */
  readonly label: string;
}

/**
 * A new passphrase: the field, a strength meter with zxcvbn's advice, a second field to catch a
 * typo, and — only for a weak one — an explicit "Use it anyway".
 */
export function NewPassphraseFields({
  value,
  onChange,
  strength,
  label,
}: NewPassphraseFieldsProps) {
  const id = useId();
  const text = useText();
  const [visible, setVisible] = useState(false);
  const weak = strength !== undefined && strength.score < GOOD_ENOUGH_SCORE;
  const mismatch = value.repeated !== '' && value.repeated !== value.passphrase;
  const type = visible ? 'text' : 'password';

  return (
    <div className="passphrase-fields">
      <div className="field">
        <label className="field-label" htmlFor={`${id}-passphrase`}>
          {label}
        </label>
        <input
          id={`${id}-passphrase`}
          className="input"
          type={type}
          autoComplete="new-password"
          spellCheck={false}
          value={value.passphrase}
          aria-describedby={`${id}-advice`}
          onChange={(event) => {
            onChange({ ...value, passphrase: event.target.value, acceptWeak: false });
          }}
        />
      </div>
      <div className="strength" id={`${id}-advice`}>
        <div className="strength-row">
          <div
            className={`strength-meter strength-${strength?.score ?? 'none'}`}
            role="meter"
            aria-label={text('components.strength')}
            aria-valuemin={0}
            aria-valuemax={4}
            aria-valuenow={strength?.score ?? 0}
            aria-valuetext={text(strength?.label ?? 'components.notRated')}
          >
            {[0, 1, 2, 3, 4].map((step) => (
              <span
                key={step}
                className={
                  strength !== undefined && step <= strength.score
                    ? 'strength-step strength-step-on'
                    : 'strength-step'
                }
              />
            ))}
          </div>
          <span className="strength-label">
            {text('components.strengthIs', {
              label:
                value.passphrase === ''
                  ? text('components.nothingTyped')
                  : strength === undefined
                    ? '…'
                    : text(strength.label),
            })}
          </span>
        </div>
        {strength !== undefined && (
          <div className="strength-advice">
            {strength.warning !== undefined && <p>{text(strength.warning)}</p>}
            {strength.suggestions.length > 0 && (
              <ul>
                {strength.suggestions.map((suggestion) => (
                  <li key={suggestion}>{text(suggestion)}</li>
                ))}
              </ul>
            )}
            <p className="hint">
              {text('components.crackTime', {
                time: text(strength.crackTime.id, { count: strength.crackTime.count }),
              })}
            </p>
          </div>
        )}
        <p className="hint">{text('components.passphraseAdvice')}</p>
      </div>
      <div className="field">
        <label className="field-label" htmlFor={`${id}-repeated`}>
          {text('components.typeAgain')}
        </label>
        <input
          id={`${id}-repeated`}
          className="input"
          type={type}
          autoComplete="new-password"
          spellCheck={false}
          value={value.repeated}
          aria-invalid={mismatch}
          aria-describedby={mismatch ? `${id}-mismatch` : undefined}
          onChange={(event) => {
            onChange({ ...value, repeated: event.target.value });
          }}
        />
        {mismatch && (
          <p id={`${id}-mismatch`} className="field-problem">
            {text('components.notSameYet')}
          </p>
        )}
      </div>
      <CheckboxField label={text('components.showTyped')} checked={visible} onChange={setVisible} />
      {weak && (
        <CheckboxField
          label={text('components.useAnyway')}
          warning
          checked={value.acceptWeak}
          onChange={(acceptWeak) => {
            onChange({ ...value, acceptWeak });
          }}
        />
      )}
    </div>
  );
}
