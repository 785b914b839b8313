import { useState, type SubmitEvent } from 'react';
import type { PersonaView } from '../../shared/api.std.js';
import { samePseudonymKey } from '../../shared/pseudonymClash.std.js';
import { initialOf } from '../formatting.dom.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { TextField } from '../components/FormFields.dom.js';
import { PseudonymClashNote } from './PseudonymClashNote.dom.js';
import { Icon } from '../components/Icon.dom.js';
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

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (pseudonym.trim() === '') return;
    action.run(async () => {
      const persona = await api.call('personas.create', { pseudonym: pseudonym.trim() });
      setPseudonym('');
      announce(`Persona ${persona.pseudonym} created.`);
      personas.reload();
    });
  };

  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Personas</h1>
        <p className="lead">
          These are all yours. Each persona has its own keys and its own link to the relay, so
          neither the people you talk to nor the relay can link them by their keys. Their names can
          give them away: give each persona a name of its own.
        </p>
        <SharedNames personas={personas.data} />
      </header>
      <section className="card" aria-labelledby="personas-title">
        <h2 id="personas-title">Your personas</h2>
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
                  {persona.main && <span className="tag tag-role">Main</span>}
                </span>
                <span className="row-sub">
                  {persona.main ? 'Used with your contacts. ' : ''}
                  {persona.groups.length === 0
                    ? 'Not in any group.'
                    : `In ${persona.groups.join(', ')}.`}
                </span>
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="new-persona-title">
        <h2 id="new-persona-title">New persona</h2>
        <form className="form form-inline" onSubmit={submit}>
          <TextField
            label="Pseudonym for the new persona"
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
            Create persona
          </button>
        </form>
        <PseudonymClashNote chosen={pseudonym} personas={personas.data} />
        <ErrorText error={action.error} />
        <p className="hint">
          You can also let Kindred make a fresh persona each time you create or join a group. Each
          persona has keys of its own and connects on its own random schedule, but without a proxy
          (Settings) the relay sees all of them come from the same internet address.
        </p>
      </section>
    </div>
  );
}

/** Names two or more of our personas share: anyone who meets both could link them. */
function SharedNames({ personas }: { personas: readonly PersonaView[] | undefined }) {
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
        {shared
          .map((names) => `${names.length} of your personas are called ${names[0] ?? ''}`)
          .join('; ')}
        : people who meet them in different places could tell they are the same person.
      </span>
    </p>
  );
}
