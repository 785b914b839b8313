import { useId, useState } from 'react';
import type { ListingPageView } from '../../shared/api.std.js';
import { LISTING_FORM_LIMITS } from '../../shared/directoryViews.std.js';
import { FormDialog } from '../components/Dialog.dom.js';
import { SelectField, TextAreaField, TextField } from '../components/FormFields.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useAnnounce, useApi, useLoad } from '../kindredContext.dom.js';
import { codePoints } from './listingDraft.dom.js';
import { relayName } from './listingWords.dom.js';

const MAX_INTRODUCTION = LISTING_FORM_LIMITS.introductionLength;

/**
 * "Ask to join": who the group will see (a fresh persona by default, under a pseudonym made up
 * for it that the person may change, or one of ours that lives on the group's relay), which relay
 * the request goes to, and an optional introduction for the moderators.
 */
export function AskToJoinDialog({
  listing,
  onClose,
}: {
  listing: ListingPageView;
  onClose: () => void;
}) {
  const text = useText();
  const api = useApi();
  const announce = useAnnounce();
  const id = useId();
  const action = useAction();
  const suggestion = useLoad(`suggest:${listing.groupId}`, 0, () =>
    api.call('directory.suggestPseudonym', {}),
  );
  // Undefined until the person types: the suggestion shows until then.
  const [typed, setTyped] = useState<string | undefined>(undefined);
  const pseudonym = typed ?? suggestion.data?.pseudonym ?? '';
  const [persona, setPersona] = useState('fresh');
  const [introduction, setIntroduction] = useState('');
  const relay = relayName(listing.relayUrl);
  const fresh = persona === 'fresh';
  const existing = listing.personasOnRelay;
  const length = codePoints(introduction);
  const asks = listing.joinByApproval;

  return (
    <FormDialog
      title={
        asks
          ? text('directory.ask.title', { name: listing.name })
          : text('directory.ask.joinTitle', { name: listing.name })
      }
      submitLabel={asks ? text('directory.page.askToJoin') : text('directory.page.join')}
      submitDisabled={
        action.busy || length > MAX_INTRODUCTION || (fresh && pseudonym.trim() === '')
      }
      error={action.error}
      onClose={onClose}
      onSubmit={() => {
        action.run(async () => {
          const words = introduction.trim();
          await api.call('directory.join', {
            groupId: listing.groupId,
            persona,
            ...(fresh && pseudonym.trim() !== '' ? { pseudonym: pseudonym.trim() } : {}),
            ...(asks && words !== '' ? { introduction: words } : {}),
          });
          announce(
            asks
              ? text('directory.ask.sent', { name: listing.name })
              : text('directory.ask.joined', { name: listing.name }),
          );
          onClose();
        });
      }}
    >
      <p className="hint">{text('directory.ask.relay', { relay })}</p>
      <fieldset className="fieldset">
        <legend className="field-label">{text('groupJoining.whoYouAre')}</legend>
        <label className="check">
          <input
            type="radio"
            name={`${id}-persona`}
            checked={fresh}
            onChange={() => {
              setPersona('fresh');
            }}
          />
          {text('groupJoining.freshPersona')}
        </label>
        {fresh && (
          <TextField
            label={text('groupJoining.pseudonym')}
            layout="nested"
            value={pseudonym}
            maxLength={64}
            autoComplete="off"
            hint={text('directory.ask.generatedHint')}
            onChange={setTyped}
          />
        )}
        <label className="check">
          <input
            type="radio"
            name={`${id}-persona`}
            checked={!fresh}
            disabled={existing.length === 0}
            onChange={() => {
              const first = existing[0];
              if (first !== undefined) setPersona(first.address);
            }}
          />
          {text('directory.ask.existingOn', { relay })}
        </label>
        {!fresh && (
          <SelectField
            label={text('groupJoining.persona')}
            layout="nested"
            value={persona}
            hint={text('groupJoining.existingHint')}
            onChange={setPersona}
          >
            {existing.map((choice) => (
              <option key={choice.address} value={choice.address}>
                {choice.pseudonym}
              </option>
            ))}
          </SelectField>
        )}
      </fieldset>
      {asks && (
        <TextAreaField
          label={text('groupJoining.introduce')}
          value={introduction}
          rows={4}
          aria-invalid={length > MAX_INTRODUCTION}
          hint={
            <>
              {text('groupJoining.introduceHint', { count: MAX_INTRODUCTION })}{' '}
              <span className={length > MAX_INTRODUCTION ? 'status-bad' : undefined}>
                {text('directory.ask.counter', { count: length, max: MAX_INTRODUCTION })}
              </span>
            </>
          }
          onChange={setIntroduction}
        />
      )}
    </FormDialog>
  );
}
