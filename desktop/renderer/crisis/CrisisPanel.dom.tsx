import { useEffect, useMemo, useState } from 'react';
import { useIntl } from 'react-intl';
import type {
  CrisisCountryView,
  CrisisDirectoryView,
  CrisisLineView,
  CrisisReachView,
} from '../../shared/api.std.js';
import { Dialog } from '../components/Dialog.dom.js';
import { SelectField } from '../components/FormFields.dom.js';
import { useText, type TextOf } from '../i18n/LanguageProvider.dom.js';
import { useApi } from '../kindredContext.dom.js';
import { formattingTag } from '../formatting.dom.js';
import { SOURCE_LOCALE, isLocale } from '../../shared/i18n/locales.std.js';
import { useCrisisCountry } from './crisisCountry.dom.js';
import { GroupResourceList } from './GroupResources.dom.js';
import { useOpenGroup } from './openGroup.dom.js';

/**
 * The calm panel of crisis lines: the emergency number first, then the country's services with
 * every number written out (a `tel:`/`sms:` link too), each with its source and the date it was
 * written down, and a country picker. The list comes from main (data shipped with the app), in
 * every phase; nothing is sent anywhere.
 */
export function CrisisPanel({ onClose }: { onClose: () => void }) {
  const text = useText();
  const api = useApi();
  const [directory, setDirectory] = useState<CrisisDirectoryView | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    api.call('crisis.directory', {}).then(setDirectory, () => {
      setFailed(true);
    });
  }, [api]);
  const [country, chooseCountry] = useCrisisCountry(directory?.systemCountry);

  return (
    <Dialog title={text('crisis.title')} onClose={onClose} size="wide">
      <div className="dialog-body crisis-panel">
        <p className="lead">{text('crisis.intro')}</p>
        {failed ? (
          <p role="alert">{text('crisis.unavailable')}</p>
        ) : directory === undefined ? (
          <p role="status">{text('crisis.loading')}</p>
        ) : (
          <CountryHelp directory={directory} country={country} onChoose={chooseCountry} />
        )}
      </div>
    </Dialog>
  );
}

function CountryHelp({
  directory,
  country,
  onChoose,
}: {
  directory: CrisisDirectoryView;
  country: string | undefined;
  onChoose: (country: string) => void;
}) {
  const text = useText();
  const { locale } = useIntl();
  const regionNames = useMemo(() => new Intl.DisplayNames([locale], { type: 'region' }), [locale]);
  const nameOf = (code: string) => regionNames.of(code) ?? code;
  const entry = directory.countries.find((candidate) => candidate.country === country);
  const openGroup = useOpenGroup();
  const choices = [...directory.countries]
    .map((candidate) => ({ code: candidate.country, name: nameOf(candidate.country) }))
    .sort((a, b) => a.name.localeCompare(b.name, locale));
  return (
    <>
      {entry === undefined ? (
        <p className="crisis-missing">
          {text('crisis.noLines', { country: country === undefined ? '—' : nameOf(country) })}
        </p>
      ) : (
        <CountryLines entry={entry} />
      )}
      <GroupResourceList conversationId={openGroup} place="panel" />
      <SelectField label={text('crisis.country')} value={entry?.country ?? ''} onChange={onChoose}>
        {entry === undefined && <option value="">{text('crisis.chooseCountry')}</option>}
        {choices.map((choice) => (
          <option key={choice.code} value={choice.code}>
            {choice.name}
          </option>
        ))}
      </SelectField>
    </>
  );
}

function CountryLines({ entry }: { entry: CrisisCountryView }) {
  const text = useText();
  return (
    <>
      <section className="crisis-emergency" aria-labelledby="crisis-emergency">
        <h3 id="crisis-emergency">{text('crisis.emergencyHeading')}</h3>
        <p>
          <a className="button button-primary crisis-action" href={entry.emergency.href}>
            {text('crisis.call', { number: entry.emergency.number })}
          </a>
        </p>
        <SourceLine source={entry.emergency.source} recorded={entry.emergency.recorded} />
      </section>
      <section aria-labelledby="crisis-lines">
        <h3 id="crisis-lines">{text('crisis.linesHeading')}</h3>
        <p className="hint">{text('crisis.dialNote')}</p>
        <ul className="crisis-lines">
          {entry.lines.map((line) => (
            <LineItem key={line.name} line={line} />
          ))}
        </ul>
      </section>
    </>
  );
}

function LineItem({ line }: { line: CrisisLineView }) {
  const text = useText();
  const { locale } = useIntl();
  const languageNames = new Intl.DisplayNames([locale], { type: 'language' });
  const facts = [
    line.hours === '24/7' ? text('crisis.allDay') : text('crisis.hours', { hours: line.hours }),
    line.free ? text('crisis.free') : text('crisis.mayCost'),
    text('crisis.languages', {
      languages: line.languages.map((code) => languageNames.of(code) ?? code).join(', '),
    }),
  ];
  return (
    <li className="crisis-line">
      <h4>{line.name}</h4>
      <p className="crisis-facts">{facts.join(' · ')}</p>
      <ul className="crisis-actions">
        {line.reach.map((reach) => (
          <li key={reach.href}>
            <a className="button crisis-action" href={reach.href}>
              {reachWords(reach, text)}
            </a>
          </li>
        ))}
      </ul>
      <SourceLine source={line.source} recorded={line.recorded} />
    </li>
  );
}

function reachWords(reach: CrisisReachView, text: TextOf): string {
  switch (reach.kind) {
    case 'call':
      return text('crisis.call', { number: reach.number });
    case 'text':
      return reach.keyword === undefined
        ? text('crisis.text', { number: reach.number })
        : text('crisis.textKeyword', { keyword: reach.keyword, number: reach.number });
    case 'chat':
      return text('crisis.chat', { address: reach.href.replace(/^https:\/\//u, '') });
  }
}

function SourceLine({ source, recorded }: { source: string; recorded: string }) {
  const text = useText();
  const { locale } = useIntl();
  // In the window's language with the system's regional habits ("7 December" in en-GB).
  const tag = formattingTag(isLocale(locale) ? locale : SOURCE_LOCALE, navigator.languages);
  const date = new Intl.DateTimeFormat(tag, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${recorded}T00:00:00Z`),
  );
  return (
    <p className="crisis-source">
      {text('crisis.source', { source: source.replace(/^https:\/\//u, ''), date })}
    </p>
  );
}
