import { useId, useState, type SubmitEvent } from 'react';
import type { ConversationSummary, GroupView } from '../../shared/api.std.js';
import { Dialog, ErrorText } from '../components/Dialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useAction, useApi, useListsRevision, useLoad } from '../kindredContext.dom.js';
import { groupStanding, sortByActivity } from '../shell/ChatList.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';
import { SLOW_MODE_CHOICES, roleLabel, slowModeLabel } from './groupChoices.dom.js';
import { loadGroupDetails } from './groupDetails.dom.js';
import {
  FRESH_PERSONA,
  PersonaChoice,
  personaArgs,
  type PersonaChoiceValue,
} from './PersonaChoice.dom.js';

/** Groups you are in, and the doors to create or join one. */
export function GroupsScreen() {
  const api = useApi();
  const revision = useListsRevision();
  const conversations = useLoad('conversations', revision, () =>
    api.call('conversations.list', {}),
  );
  const details = useLoad('groups-details', revision, async () =>
    loadGroupDetails(api, await api.call('conversations.list', {})),
  );
  const [dialog, setDialog] = useState<'create' | 'join' | undefined>(undefined);
  const groups = sortByActivity(
    (conversations.data ?? []).filter((conversation) => conversation.kind === 'group'),
  );

  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Groups</h1>
        <p className="lead">
          Small circles for one condition, kept safe by moderators you can see. Each group gets its
          own persona unless you choose otherwise.
        </p>
        <div className="screen-actions">
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setDialog('create');
            }}
          >
            <Icon name="plus" />
            Create a group
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setDialog('join');
            }}
          >
            <Icon name="groups" />
            Join a group
          </button>
        </div>
      </header>
      <section className="card" aria-labelledby="groups-list-title">
        <h2 id="groups-list-title">Your groups</h2>
        <ErrorText error={conversations.error} />
        {conversations.data !== undefined && groups.length === 0 && (
          <p className="hint">
            You are not in any group yet. Join one with a link from its moderators.
          </p>
        )}
        {groups.length > 0 && (
          <ul className="rows">
            {groups.map((group) => (
              <GroupRow
                key={group.id}
                group={group}
                details={details.data?.find((view) => view.conversationId === group.id)}
              />
            ))}
          </ul>
        )}
      </section>
      {dialog === 'create' && (
        <CreateGroupDialog
          onClose={() => {
            setDialog(undefined);
          }}
        />
      )}
      {dialog === 'join' && (
        <JoinGroupDialog
          onClose={() => {
            setDialog(undefined);
          }}
        />
      )}
    </div>
  );
}

function GroupRow({
  group,
  details,
}: {
  group: ConversationSummary;
  details: GroupView | undefined;
}) {
  const navigate = useNavigate();
  const standing = groupStanding(group.groupStatus);
  return (
    <li className="row">
      <span className="avatar avatar-group" aria-hidden="true">
        <Icon name="groups" />
      </span>
      <div className="row-main">
        <span className="row-title">{group.title}</span>
        <span className="row-sub">
          You are {group.persona.pseudonym}
          {details?.role !== undefined ? ` · ${roleLabel(details.role)}` : ''}
          {details !== undefined
            ? ` · ${details.members} ${details.members === 1 ? 'member' : 'members'}`
            : ''}
          {standing !== undefined ? ` · ${standing}` : ''}
        </span>
      </div>
      <div className="row-actions">
        <button
          type="button"
          className="button"
          aria-label={`Open chat in ${group.title}`}
          onClick={() => {
            navigate({ kind: 'conversation', id: group.id });
          }}
        >
          <Icon name="chat" />
          Open chat
        </button>
        <button
          type="button"
          className="button"
          aria-label={`Group page of ${group.title}`}
          onClick={() => {
            navigate({ kind: 'group', id: group.id, tab: 'about' });
          }}
        >
          <Icon name="info" />
          Group page
        </button>
      </div>
    </li>
  );
}

function usePersonas() {
  const api = useApi();
  const revision = useListsRevision();
  return useLoad('personas', revision, () => api.call('personas.list', {}));
}

function CreateGroupDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const id = useId();
  const navigate = useNavigate();
  const personas = usePersonas();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [rules, setRules] = useState('');
  const [joinByApproval, setJoinByApproval] = useState(false);
  const [slowModeSeconds, setSlowModeSeconds] = useState(0);
  const [persona, setPersona] = useState<PersonaChoiceValue>(FRESH_PERSONA);
  const action = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (name.trim() === '') return;
    action.run(async () => {
      const group = await api.call('groups.create', {
        name: name.trim(),
        description: description.trim(),
        rules: rules.trim(),
        joinByApproval,
        slowModeSeconds,
        ...personaArgs(persona),
      });
      onClose();
      navigate({ kind: 'conversation', id: group.conversationId });
    });
  };

  return (
    <Dialog title="Create a group" onClose={onClose} size="wide">
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-name`}>
            Group name
          </label>
          <input
            id={`${id}-name`}
            className="input"
            value={name}
            maxLength={100}
            required
            onChange={(event) => {
              setName(event.target.value);
            }}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-description`}>
            Description
          </label>
          <textarea
            id={`${id}-description`}
            className="input"
            rows={2}
            maxLength={1000}
            value={description}
            onChange={(event) => {
              setDescription(event.target.value);
            }}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-rules`}>
            Rules
          </label>
          <textarea
            id={`${id}-rules`}
            className="input"
            rows={4}
            maxLength={4000}
            value={rules}
            placeholder="Be kind. No medical advice as fact. What is said here stays here."
            onChange={(event) => {
              setRules(event.target.value);
            }}
          />
        </div>
        <label className="check">
          <input
            type="checkbox"
            checked={joinByApproval}
            onChange={(event) => {
              setJoinByApproval(event.target.checked);
            }}
          />
          New members need a moderator’s approval
        </label>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-slow`}>
            Slow mode
          </label>
          <select
            id={`${id}-slow`}
            className="input"
            value={slowModeSeconds}
            onChange={(event) => {
              setSlowModeSeconds(Number(event.target.value));
            }}
          >
            {SLOW_MODE_CHOICES.map((seconds) => (
              <option key={seconds} value={seconds}>
                {slowModeLabel(seconds)}
              </option>
            ))}
          </select>
        </div>
        <PersonaChoice value={persona} onChange={setPersona} personas={personas.data} />
        <ErrorText error={action.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={action.busy || name.trim() === ''}
          >
            {action.busy ? 'Creating…' : 'Create group'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function JoinGroupDialog({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const id = useId();
  const navigate = useNavigate();
  const personas = usePersonas();
  const [link, setLink] = useState('');
  const [persona, setPersona] = useState<PersonaChoiceValue>(FRESH_PERSONA);
  const action = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (link.trim() === '') return;
    action.run(async () => {
      const group = await api.call('groups.join', { link: link.trim(), ...personaArgs(persona) });
      onClose();
      navigate({ kind: 'conversation', id: group.conversationId });
    });
  };

  return (
    <Dialog title="Join a group" onClose={onClose} size="wide">
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label className="field-label" htmlFor={`${id}-link`}>
            Group invite link
          </label>
          <textarea
            id={`${id}-link`}
            className="input mono"
            rows={3}
            value={link}
            spellCheck={false}
            placeholder="kindred:group/…"
            onChange={(event) => {
              setLink(event.target.value);
            }}
          />
        </div>
        <PersonaChoice value={persona} onChange={setPersona} personas={personas.data} />
        <ErrorText error={action.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={action.busy || link.trim() === ''}
          >
            {action.busy ? 'Joining…' : 'Join group'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
