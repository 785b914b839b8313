import { useState } from 'react';
import type { GroupResourceView } from '../../shared/api.std.js';
import { FormDialog } from '../components/Dialog.dom.js';
import { SelectField, TextAreaField, TextField } from '../components/FormFields.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction } from '../kindredContext.dom.js';

/** One resource as a moderator writes it (core trims and checks it when the list is saved). */
export interface ResourceDraft {
  readonly name: string;
  readonly reach: GroupResourceView['reach'];
  readonly address: string;
  readonly note: string;
}

const EMPTY: ResourceDraft = { name: '', reach: 'phone', address: '', note: '' };

/**
 * Adds a resource (`editing` undefined) or edits one. `onSave` saves the whole list through
 * main; what core refuses (a malformed number, a page that is not https, a duplicate, too many)
 * comes back as its coded error and is shown here in words, with the fields kept as typed.
 */
export function ResourceDialog({
  editing,
  onSave,
  onClose,
}: {
  editing: ResourceDraft | undefined;
  onSave: (draft: ResourceDraft) => Promise<void>;
  onClose: () => void;
}) {
  const text = useText();
  const [draft, setDraft] = useState<ResourceDraft>(editing ?? EMPTY);
  const saving = useAction();
  const incomplete = draft.name.trim() === '' || draft.address.trim() === '';
  return (
    <FormDialog
      title={
        editing === undefined
          ? text('groupResources.addTitle')
          : text('groupResources.editTitle', { name: editing.name })
      }
      submitLabel={text('groupResources.save')}
      submitDisabled={saving.busy || incomplete}
      error={saving.error}
      onClose={onClose}
      onSubmit={() => {
        saving.run(() => onSave(draft));
      }}
    >
      <TextField
        label={text('groupResources.name')}
        value={draft.name}
        onChange={(name) => {
          setDraft({ ...draft, name });
        }}
        dir="auto"
        autoFocus
      />
      <SelectField
        label={text('groupResources.reach')}
        value={draft.reach}
        onChange={(reach) => {
          setDraft({ ...draft, reach: reach === 'text' || reach === 'web' ? reach : 'phone' });
        }}
      >
        <option value="phone">{text('groupResources.reachPhone')}</option>
        <option value="text">{text('groupResources.reachText')}</option>
        <option value="web">{text('groupResources.reachWeb')}</option>
      </SelectField>
      <TextField
        label={text('groupResources.address')}
        hint={text('groupResources.addressHint')}
        value={draft.address}
        onChange={(address) => {
          setDraft({ ...draft, address });
        }}
        // Numbers and addresses read left to right in every language.
        dir="ltr"
        inputMode={draft.reach === 'web' ? 'url' : 'tel'}
        autoComplete="off"
      />
      <TextAreaField
        label={text('groupResources.note')}
        hint={text('groupResources.noteHint')}
        rows={2}
        value={draft.note}
        onChange={(note) => {
          setDraft({ ...draft, note });
        }}
        dir="auto"
      />
    </FormDialog>
  );
}
