import { useState } from 'react';
import type { ConversationSummary, GroupView } from '../../shared/api.std.js';
import { ErrorText, FormDialog } from '../components/Dialog.dom.js';
import { TextAreaField } from '../components/FormFields.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { OpenChatButton } from '../components/OpenChatButton.dom.js';
import { useAction, useApi, useListsRevision, useLoad } from '../kindredContext.dom.js';
import { groupStandingId, sortByActivity } from '../shell/ChatList.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { roleId } from './groupChoices.dom.js';
import {
  GroupInfoFields,
  JoinByApprovalField,
  SlowModeField,
  type GroupInfo,
} from './GroupFormFields.dom.js';
import { loadGroupDetails } from './groupDetails.dom.js';
import { GroupPreviewCard, IntroductionField, useGroupPreview } from './JoinPreview.dom.js';
import {
  FRESH_PERSONA,
  PersonaChoice,
  personaArgs,
  type PersonaChoiceValue,
} from './PersonaChoice.dom.js';

/** What a group invite link looks like (no words: the same in every language). */
const LINK_SHAPE = 'kindred:group/…';

/** Groups you are in, and the doors to create or join one. */
export function GroupsScreen() {
  const text = useText();
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
        <h1 tabIndex={-1}>{text('groups.list.title')}</h1>
        <p className="lead">{text('groups.list.lead')}</p>
        <div className="screen-actions">
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setDialog('create');
            }}
          >
            <Icon name="plus" />
            {text('groups.create.title')}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setDialog('join');
            }}
          >
            <Icon name="groups" />
            {text('groups.join.title')}
          </button>
        </div>
      </header>
      <section className="card" aria-labelledby="groups-list-title">
        <h2 id="groups-list-title">{text('groups.list.yours')}</h2>
        <ErrorText error={conversations.error} />
        {conversations.data !== undefined && groups.length === 0 && (
          <p className="hint">{text('groups.list.none')}</p>
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
  const text = useText();
  const navigate = useNavigate();
  const standing = groupStandingId(group.groupStatus);
  return (
    <li className="row">
      <span className="avatar avatar-group" aria-hidden="true">
        <Icon name="groups" />
      </span>
      <div className="row-main">
        <span className="row-title">{group.title}</span>
        <span className="row-sub">
          {text('groups.row.you', { persona: group.persona.pseudonym })}
          {details?.role !== undefined
            ? text('groups.row.part', { part: text(roleId(details.role)) })
            : ''}
          {details !== undefined ? text('groups.row.members', { count: details.members }) : ''}
          {standing !== undefined ? text('groups.row.part', { part: text(standing) }) : ''}
        </span>
      </div>
      <div className="row-actions">
        <OpenChatButton
          conversationId={group.id}
          label={text('groups.row.openChat', { title: group.title })}
        />
        <button
          type="button"
          className="button"
          aria-label={text('groups.row.pageOf', { title: group.title })}
          onClick={() => {
            navigate({ kind: 'group', id: group.id, tab: 'about' });
          }}
        >
          <Icon name="info" />
          {text('groups.row.page')}
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
  const text = useText();
  const api = useApi();
  const navigate = useNavigate();
  const personas = usePersonas();
  const [info, setInfo] = useState<GroupInfo>({ name: '', description: '', rules: '' });
  const [joinByApproval, setJoinByApproval] = useState(false);
  const [slowModeSeconds, setSlowModeSeconds] = useState(0);
  const [persona, setPersona] = useState<PersonaChoiceValue>(FRESH_PERSONA);
  const action = useAction();

  const submit = () => {
    if (info.name.trim() === '') return;
    action.run(async () => {
      const group = await api.call('groups.create', {
        name: info.name.trim(),
        description: info.description.trim(),
        rules: info.rules.trim(),
        joinByApproval,
        slowModeSeconds,
        ...personaArgs(persona),
      });
      onClose();
      navigate({ kind: 'conversation', id: group.conversationId });
    });
  };

  return (
    <FormDialog
      title={text('groups.create.title')}
      size="wide"
      submitLabel={text(action.busy ? 'groups.create.busy' : 'groups.create.submit')}
      submitDisabled={action.busy || info.name.trim() === ''}
      error={action.error}
      onSubmit={submit}
      onClose={onClose}
    >
      <GroupInfoFields value={info} onChange={setInfo} purpose="create" />
      <JoinByApprovalField checked={joinByApproval} onChange={setJoinByApproval} />
      <SlowModeField value={slowModeSeconds} onChange={setSlowModeSeconds} />
      <PersonaChoice value={persona} onChange={setPersona} personas={personas.data} />
    </FormDialog>
  );
}

function JoinGroupDialog({ onClose }: { onClose: () => void }) {
  const text = useText();
  const api = useApi();
  const navigate = useNavigate();
  const personas = usePersonas();
  const [link, setLink] = useState('');
  const [persona, setPersona] = useState<PersonaChoiceValue>(FRESH_PERSONA);
  const [introduction, setIntroduction] = useState('');
  const preview = useGroupPreview(link);
  const shown = preview.data;
  const action = useAction();

  const submit = () => {
    if (link.trim() === '' || shown === undefined || shown.alreadyIn) return;
    action.run(async () => {
      const group = await api.call('groups.join', {
        link: link.trim(),
        ...personaArgs(persona),
        ...(shown.joinByApproval && introduction.trim() !== ''
          ? { introduction: introduction.trim() }
          : {}),
      });
      onClose();
      navigate({ kind: 'conversation', id: group.conversationId });
    });
  };

  return (
    <FormDialog
      title={text('groups.join.title')}
      size="wide"
      submitLabel={text(action.busy ? 'groups.join.busy' : 'groups.join.submit')}
      submitDisabled={action.busy || shown === undefined || shown.alreadyIn}
      error={action.error}
      onSubmit={submit}
      onClose={onClose}
    >
      <TextAreaField
        label={text('groups.join.link')}
        mono
        rows={3}
        value={link}
        spellCheck={false}
        placeholder={LINK_SHAPE}
        onChange={setLink}
      />
      <GroupPreviewCard preview={preview} />
      {shown !== undefined && !shown.alreadyIn && (
        <>
          <PersonaChoice value={persona} onChange={setPersona} personas={personas.data} />
          {shown.joinByApproval && (
            <IntroductionField value={introduction} onChange={setIntroduction} />
          )}
        </>
      )}
    </FormDialog>
  );
}
