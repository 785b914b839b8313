import { useId } from 'react';
import type { PersonaView } from '../../shared/api.std.js';
import { SelectField, TextField } from '../components/FormFields.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { PseudonymClashNote } from '../personas/PseudonymClashNote.dom.js';

export interface PersonaChoiceValue {
  /** 'fresh' (the default): a new persona only this group knows; else one of ours, by address. */
  readonly persona: string;
  /** The new persona's pseudonym (fresh only; empty lets Kindred choose). */
  readonly pseudonym: string;
}

export const FRESH_PERSONA: PersonaChoiceValue = { persona: 'fresh', pseudonym: '' };

/**
 * Which of our personas a group sees. A fresh one is the default: the relay cannot link it to
 * our other groups or contacts by keys (by IP address it can, unless a proxy is set).
 */
export function PersonaChoice({
  value,
  onChange,
  personas,
}: {
  value: PersonaChoiceValue;
  onChange: (value: PersonaChoiceValue) => void;
  personas: readonly PersonaView[] | undefined;
}) {
  const text = useText();
  const id = useId();
  const fresh = value.persona === 'fresh';
  const existing = personas ?? [];
  return (
    <fieldset className="fieldset">
      <legend className="field-label">{text('groupJoining.whoYouAre')}</legend>
      <label className="check">
        <input
          type="radio"
          name={`${id}-persona`}
          checked={fresh}
          onChange={() => {
            onChange({ persona: 'fresh', pseudonym: value.pseudonym });
          }}
        />
        {text('groupJoining.freshPersona')}
      </label>
      {fresh && (
        <TextField
          label={text('groupJoining.pseudonym')}
          layout="nested"
          value={value.pseudonym}
          maxLength={64}
          autoComplete="off"
          hint={text('groupJoining.pseudonymHint')}
          onChange={(pseudonym) => {
            onChange({ persona: 'fresh', pseudonym });
          }}
        />
      )}
      {fresh && <PseudonymClashNote chosen={value.pseudonym} personas={personas} nested />}
      <label className="check">
        <input
          type="radio"
          name={`${id}-persona`}
          checked={!fresh}
          disabled={existing.length === 0}
          onChange={() => {
            const first = existing[0];
            if (first !== undefined) onChange({ persona: first.address, pseudonym: '' });
          }}
        />
        {text('groupJoining.existingPersona')}
      </label>
      {!fresh && (
        <SelectField
          label={text('groupJoining.persona')}
          layout="nested"
          value={value.persona}
          hint={text('groupJoining.existingHint')}
          onChange={(persona) => {
            onChange({ persona, pseudonym: '' });
          }}
        >
          {existing.map((persona) => (
            <option key={persona.address} value={persona.address}>
              {persona.pseudonym}
              {persona.main ? text('groupJoining.main') : ''}
            </option>
          ))}
        </SelectField>
      )}
    </fieldset>
  );
}

/** The API's persona fields for a choice. */
export function personaArgs(choice: PersonaChoiceValue): { persona: string; pseudonym?: string } {
  if (choice.persona !== 'fresh') return { persona: choice.persona };
  const pseudonym = choice.pseudonym.trim();
  return pseudonym === '' ? { persona: 'fresh' } : { persona: 'fresh', pseudonym };
}
