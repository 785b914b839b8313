import { useId } from 'react';
import { useIntl } from 'react-intl';
import type { DirectoryOverviewView, ListingAudienceView } from '../../shared/api.std.js';
import { LISTING_AUDIENCES } from '../../shared/directoryViews.std.js';
import { SelectField, TextField } from '../components/FormFields.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import type { DirectoryQuery } from './directoryQuery.dom.js';
import { AUDIENCE_CHOICES, languageName, regionName } from './listingWords.dom.js';

/**
 * The search box and the filters. Every change searches again at once (the index is on this
 * device), so there is no button to press; the condition field offers the vocabulary and takes
 * the person's own words as well.
 */
export function DirectorySearchForm({
  query,
  overview,
  onChange,
}: {
  query: DirectoryQuery;
  overview: DirectoryOverviewView | undefined;
  onChange: (query: DirectoryQuery) => void;
}) {
  const text = useText();
  const intl = useIntl();
  const id = useId();
  const change = (part: Partial<DirectoryQuery>) => {
    onChange({ ...query, ...part });
  };
  const vocabulary = overview?.vocabulary ?? [];
  return (
    <form
      className="directory-search"
      role="search"
      aria-label={text('directory.searchLabel')}
      onSubmit={(event) => {
        event.preventDefault();
      }}
    >
      <TextField
        label={text('directory.searchLabel')}
        type="search"
        value={query.text}
        maxLength={200}
        autoComplete="off"
        hint={text('directory.searchHint')}
        onChange={(words) => {
          change({ text: words });
        }}
      />
      <fieldset className="fieldset directory-filters">
        <legend className="field-label">{text('directory.filters')}</legend>
        <div className="field-row">
          <TextField
            label={text('directory.filter.condition')}
            value={query.condition}
            maxLength={60}
            autoComplete="off"
            list={`${id}-conditions`}
            hint={text('directory.filter.conditionHint')}
            onChange={(condition) => {
              change({ condition });
            }}
          />
          <datalist id={`${id}-conditions`}>
            {vocabulary.map((entry) => (
              <option key={entry.id} value={entry.name} />
            ))}
          </datalist>
          <SelectField
            label={text('directory.filter.audience')}
            value={query.audience}
            onChange={(audience) => {
              change({ audience: audience as ListingAudienceView | '' });
            }}
          >
            <option value="">{text('directory.filter.anyAudience')}</option>
            {LISTING_AUDIENCES.map((audience) => (
              <option key={audience} value={audience}>
                {text(AUDIENCE_CHOICES[audience])}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={text('directory.filter.language')}
            value={query.language}
            onChange={(language) => {
              change({ language });
            }}
          >
            <option value="">{text('directory.filter.anyLanguage')}</option>
            {(overview?.languages ?? []).map((tag) => (
              <option key={tag} value={tag}>
                {languageName(intl.locale, tag)}
              </option>
            ))}
          </SelectField>
          <SelectField
            label={text('directory.filter.region')}
            value={query.region}
            onChange={(region) => {
              change({ region });
            }}
          >
            <option value="">{text('directory.filter.anyRegion')}</option>
            {(overview?.regions ?? []).map((code) => (
              <option key={code} value={code}>
                {regionName(intl.locale, code)}
              </option>
            ))}
          </SelectField>
        </div>
      </fieldset>
    </form>
  );
}
