import { useId, useState, type KeyboardEvent } from 'react';
import type { GroupView } from '../../shared/api.std.js';
import { LISTING_AUDIENCES, LISTING_FORM_LIMITS } from '../../shared/directoryViews.std.js';
import { FormDialog } from '../components/Dialog.dom.js';
import { CheckboxField, TextAreaField, TextField } from '../components/FormFields.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useLocale } from '../i18n/languageChoice.dom.js';
import { useAction, useApi, useLoad } from '../kindredContext.dom.js';
import { conditionOf } from './directoryQuery.dom.js';
import {
  conditionName,
  draftProblems,
  requestArgs,
  type DraftField,
  type ListingDraftInput,
} from './listingDraft.dom.js';
import { AUDIENCE_CHOICES } from './listingWords.dom.js';

const LIMITS = LISTING_FORM_LIMITS;

/**
 * "List this group in the directory": the owner describes the group for people who do not know
 * it yet, and main sends the signed listing to the relay's operator (groups.requestListing).
 * Problems show under their field (aria-invalid) once the owner tried to send.
 */
export function ListGroupDialog({
  group,
  onClose,
  onSent,
}: {
  group: GroupView;
  onClose: () => void;
  onSent: () => void;
}) {
  const text = useText();
  const api = useApi();
  const locale = useLocale();
  const id = useId();
  const action = useAction();
  const overview = useLoad('directory-overview', 0, () => api.call('directory.overview', {}));
  const vocabulary = overview.data?.vocabulary ?? [];
  const [draft, setDraft] = useState<ListingDraftInput>({
    description: group.description,
    conditions: [],
    audiences: [],
    languages: locale,
    region: '',
    rhythm: '',
  });
  const [condition, setCondition] = useState('');
  const [tried, setTried] = useState(false);
  const problems = draftProblems(draft);
  const shown = tried ? problems : [];
  const change = (part: Partial<ListingDraftInput>) => {
    setDraft((previous) => ({ ...previous, ...part }));
  };
  const problemOf = (field: DraftField) => shown.find((problem) => problem.field === field);
  const invalid = (field: DraftField) =>
    problemOf(field) === undefined
      ? { 'aria-invalid': false }
      : { 'aria-invalid': true, 'aria-errormessage': `${id}-${field}-problem` };
  const problemHere = (field: DraftField) => {
    const problem = problemOf(field);
    return problem === undefined ? null : (
      <p id={`${id}-${field}-problem`} className="field-problem" role="alert">
        {text(problem.id, problem.values)}
      </p>
    );
  };
  const addCondition = () => {
    const chosen = conditionOf(condition, vocabulary);
    if (chosen === undefined) return;
    if (!draft.conditions.includes(chosen) && draft.conditions.length < LIMITS.conditions) {
      change({ conditions: [...draft.conditions, chosen] });
    }
    setCondition('');
  };
  const onConditionKey = (event: KeyboardEvent<HTMLInputElement>) => {
    // Enter adds the condition rather than sending the whole form.
    if (event.key !== 'Enter') return;
    event.preventDefault();
    addCondition();
  };

  return (
    <FormDialog
      title={text('directoryListing.title', { name: group.name })}
      submitLabel={text('directoryListing.submit')}
      submitDisabled={action.busy}
      error={action.error}
      size="wide"
      onClose={onClose}
      onSubmit={() => {
        setTried(true);
        if (problems.length > 0) return;
        action.run(async () => {
          await api.call('groups.requestListing', requestArgs(group.conversationId, draft));
          onSent();
        });
      }}
    >
      <p className="hint">{text('directoryListing.intro')}</p>
      <div className="field-group">
        <TextAreaField
          label={text('directoryListing.description')}
          value={draft.description}
          rows={4}
          hint={text('directoryListing.descriptionHint', { max: LIMITS.descriptionLength })}
          onChange={(description) => {
            change({ description });
          }}
          {...invalid('description')}
        />
        {problemHere('description')}
      </div>
      <fieldset className="fieldset field-group" {...invalidGroup(problemOf('conditions'))}>
        <legend className="field-label">{text('directoryListing.conditions')}</legend>
        <p className="hint">
          {text('directoryListing.conditionsHint', { max: LIMITS.conditions })}
        </p>
        {draft.conditions.length === 0 ? (
          <p className="hint">{text('directoryListing.noConditions')}</p>
        ) : (
          <ul className="listing-chosen">
            {draft.conditions.map((chosen) => {
              const name = conditionName(chosen, vocabulary);
              return (
                <li key={chosen} className="tag tag-role">
                  <span dir="auto">{name}</span>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={text('directoryListing.removeCondition', { condition: name })}
                    onClick={() => {
                      change({ conditions: draft.conditions.filter((c) => c !== chosen) });
                    }}
                  >
                    <Icon name="close" />
                  </button>
                </li>
              );
            })}
          </ul>
        )}
        <div className="form-inline">
          <TextField
            label={text('directoryListing.conditionField')}
            layout="grow"
            value={condition}
            maxLength={LIMITS.conditionLength}
            autoComplete="off"
            list={`${id}-vocabulary`}
            onKeyDown={onConditionKey}
            onChange={setCondition}
            {...invalid('conditions')}
          />
          <datalist id={`${id}-vocabulary`}>
            {vocabulary.map((entry) => (
              <option key={entry.id} value={entry.name} />
            ))}
          </datalist>
          <button
            type="button"
            className="button"
            disabled={condition.trim() === '' || draft.conditions.length >= LIMITS.conditions}
            onClick={addCondition}
          >
            <Icon name="plus" />
            {text('directoryListing.addCondition')}
          </button>
        </div>
        {problemHere('conditions')}
      </fieldset>
      <fieldset className="fieldset field-group" {...invalidGroup(problemOf('audiences'))}>
        <legend className="field-label">{text('directoryListing.audiences')}</legend>
        {LISTING_AUDIENCES.map((audience) => (
          <CheckboxField
            key={audience}
            label={text(AUDIENCE_CHOICES[audience])}
            checked={draft.audiences.includes(audience)}
            onChange={(on) => {
              change({
                audiences: on
                  ? LISTING_AUDIENCES.filter((a) => a === audience || draft.audiences.includes(a))
                  : draft.audiences.filter((a) => a !== audience),
              });
            }}
            {...invalid('audiences')}
          />
        ))}
        {problemHere('audiences')}
      </fieldset>
      <div className="field-row">
        <div className="field-group">
          <TextField
            label={text('directoryListing.languages')}
            value={draft.languages}
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
            hint={text('directoryListing.languagesHint')}
            onChange={(languages) => {
              change({ languages });
            }}
            {...invalid('languages')}
          />
          {problemHere('languages')}
        </div>
        <div className="field-group">
          <TextField
            label={text('directoryListing.region')}
            value={draft.region}
            maxLength={10}
            autoComplete="off"
            spellCheck={false}
            hint={text('directoryListing.regionHint')}
            onChange={(region) => {
              change({ region });
            }}
            {...invalid('region')}
          />
          {problemHere('region')}
        </div>
      </div>
      <div className="field-group">
        <TextField
          label={text('directoryListing.rhythm')}
          value={draft.rhythm}
          maxLength={LIMITS.rhythmLength}
          hint={text('directoryListing.rhythmHint')}
          onChange={(rhythm) => {
            change({ rhythm });
          }}
          {...invalid('rhythm')}
        />
        {problemHere('rhythm')}
      </div>
      <p className="hint">
        {group.policy.joinByApproval
          ? text('directoryListing.byApproval')
          : text('directoryListing.byLink')}
      </p>
      <p className="hint">{text('directoryListing.linkNote')}</p>
    </FormDialog>
  );
}

/** A fieldset whose problem is said under it: named as its error message too. */
function invalidGroup(problem: unknown): { 'aria-invalid'?: boolean } {
  return problem === undefined ? {} : { 'aria-invalid': true };
}
