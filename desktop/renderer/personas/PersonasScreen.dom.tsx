import { useState, type SubmitEvent } from 'react';
import { initialOf } from '../formatting.dom.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { TextField } from '../components/FormFields.dom.js';
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
 * are all ours: nothing here is ever sent, and no one else can tell they belong together.
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
          nobody — not the people you talk to, and not the relay — can tell that they belong to the
          same person.
        </p>
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
