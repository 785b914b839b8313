import { useState, type SubmitEvent } from 'react';
import { useIntl } from 'react-intl';
import type { PersonaView } from '../../shared/api.std.js';
import { samePseudonymKey } from '../../shared/pseudonymClash.std.js';
import { initialOf } from '../formatting.dom.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { TextField } from '../components/FormFields.dom.js';
import { PseudonymClashNote } from './PseudonymClashNote.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import {
  useAction,
  useAnnounce,
  useApi,
  useListsRevision,
  useLoad,
} from '../kindredContext.dom.js';

/**
 * All of our personas. This is the only place they are shown together, and only because they
 * are all ours: nothing here is ever sent. Whether others can tell they belong together depends
 * on their names (and, for the relay, the internet address), and the screen says so.
 */
export function PersonasScreen() {
  const api = useApi();
  const announce = useAnnounce();
  const revision = useListsRevision();
  const personas = useLoad('personas', revision, () => api.call('personas.list', {}));
  const [pseudonym, setPseudonym] = useState('');
  const action = useAction();
  const text = useText();
  const intl = useIntl();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (pseudonym.trim() === '') return;
    action.run(async () => {
      const persona = await api.call('personas.create', { pseudonym: pseudonym.trim() });
      setPseudonym('');
      announce(text('personas.created', { name: persona.pseudonym }));
      personas.reload();
    });
  };

  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>{text('shell.personas')}</h1>
        <p className="lead">{text('personas.lead')}</p>
        <SharedNames personas={personas.data} />
      </header>
      <section className="card" aria-labelledby="personas-title">
        <h2 id="personas-title">{text('personas.yours')}</h2>
        <ErrorText error={personas.error} />
        <ul className="rows">
          {(personas.data ?? []).map((persona) => (
            <li key={persona.address} className="row">
              <span className="avatar" aria-hidden="true">
                {initialOf(persona.pseudonym)}
              </span>
              <div className="row-main">
                <span className="row-title">
                  {persona.pseudonym}
                  {persona.main && <span className="tag tag-role">{text('personas.main')}</span>}
                </span>
                <span className="row-sub">
                  {persona.groups.length === 0
                    ? text(persona.main ? 'personas.mainNoGroups' : 'personas.noGroups')
                    : text(persona.main ? 'personas.mainInGroups' : 'personas.inGroups', {
                        groups: intl.formatList(persona.groups, { type: 'unit', style: 'short' }),
                      })}
                </span>
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="new-persona-title">
        <h2 id="new-persona-title">{text('personas.new')}</h2>
        <form className="form form-inline" onSubmit={submit}>
          <TextField
            label={text('personas.pseudonym')}
            value={pseudonym}
            maxLength={64}
            autoComplete="off"
            onChange={setPseudonym}
          />
          <button
            type="submit"
            className="button button-primary"
            disabled={action.busy || pseudonym.trim() === ''}
          >
            <Icon name="plus" />
            {text('personas.create')}
          </button>
        </form>
        <PseudonymClashNote chosen={pseudonym} personas={personas.data} />
        <ErrorText error={action.error} />
        <p className="hint">{text('personas.hint')}</p>
      </section>
    </div>
  );
}

/** Names two or more of our personas share: anyone who meets both could link them. */
function SharedNames({ personas }: { personas: readonly PersonaView[] | undefined }) {
  const text = useText();
  const byName = new Map<string, string[]>();
  for (const persona of personas ?? []) {
    const key = samePseudonymKey(persona.pseudonym);
    byName.set(key, [...(byName.get(key) ?? []), persona.pseudonym]);
  }
  const shared = [...byName.values()].filter((names) => names.length > 1);
  if (shared.length === 0) return null;
  return (
    <p className="banner banner-warning" role="note">
      <Icon name="warning" />
      <span className="banner-text">
        {text('personas.sharedNames', {
          names: shared
            .map((names) =>
              text('personas.sharedName', { count: names.length, name: names[0] ?? '' }),
            )
            .join(text('personas.sharedNamesSeparator')),
        })}
      </span>
    </p>
  );
}
