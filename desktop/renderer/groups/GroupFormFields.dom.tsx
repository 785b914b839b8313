import {
  CheckboxField,
  SelectField,
  TextAreaField,
  TextField,
} from '../components/FormFields.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { SLOW_MODE_CHOICES, slowModeLabel } from './groupChoices.dom.js';

/** What a group says about itself: its name, what it is for, and its rules. */
export interface GroupInfo {
  readonly name: string;
  readonly description: string;
  readonly rules: string;
}

/**
 * The group's name, description and rules, as written when the group is created and as edited on
 * its page afterwards. A new group gets smaller boxes and a suggestion for its rules.
 */
export function GroupInfoFields({
  value,
  onChange,
  purpose,
}: {
  value: GroupInfo;
  onChange: (value: GroupInfo) => void;
  purpose: 'create' | 'edit';
}) {
  const text = useText();
  const creating = purpose === 'create';
  return (
    <>
      <TextField
        label={text('groupForm.name')}
        value={value.name}
        maxLength={100}
        required={creating}
        onChange={(name) => {
          onChange({ ...value, name });
        }}
      />
      <TextAreaField
        label={text('groups.about.description')}
        rows={creating ? 2 : 3}
        maxLength={1000}
        value={value.description}
        onChange={(description) => {
          onChange({ ...value, description });
        }}
      />
      <TextAreaField
        label={text('groups.about.rules')}
        rows={creating ? 4 : 6}
        maxLength={4000}
        value={value.rules}
        placeholder={creating ? text('groupForm.rulesSuggestion') : undefined}
        onChange={(rules) => {
          onChange({ ...value, rules });
        }}
      />
    </>
  );
}

/** Whether a moderator lets each newcomer in. */
export function JoinByApprovalField({
  checked,
  onChange,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const text = useText();
  return (
    <CheckboxField label={text('groupForm.joinByApproval')} checked={checked} onChange={onChange} />
  );
}

/** How often each member may post; `alsoOffer` keeps a setting that is not among the choices. */
export function SlowModeField({
  value,
  onChange,
  alsoOffer,
}: {
  value: number;
  onChange: (seconds: number) => void;
  alsoOffer?: number;
}) {
  const text = useText();
  const choices =
    alsoOffer === undefined || SLOW_MODE_CHOICES.includes(alsoOffer)
      ? SLOW_MODE_CHOICES
      : [...SLOW_MODE_CHOICES, alsoOffer].sort((a, b) => a - b);
  return (
    <SelectField
      label={text('groupForm.slowMode')}
      value={value}
      onChange={(seconds) => {
        onChange(Number(seconds));
      }}
    >
      {choices.map((seconds) => (
        <option key={seconds} value={seconds}>
          {slowModeLabel(text, seconds)}
        </option>
      ))}
    </SelectField>
  );
}
