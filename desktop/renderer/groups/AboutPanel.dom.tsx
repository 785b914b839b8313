import { useId, useState, type SubmitEvent } from 'react';
import type { GroupView } from '../../shared/api.std.js';
import { ConfirmDialog, ErrorText } from '../components/Dialog.dom.js';
import { GroupResourceList } from '../crisis/GroupResources.dom.js';
import { ForgetGroupSection } from './ForgetGroup.dom.js';
import { ListGroupSection } from '../directory/ListGroupSection.dom.js';
import { ResourceEditor } from './ResourceEditor.dom.js';
import { CheckboxField, SelectField } from '../components/FormFields.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';
import { slowModeLabel } from './groupChoices.dom.js';
import {
  GroupInfoFields,
  JoinByApprovalField,
  SlowModeField,
  type GroupInfo,
} from './GroupFormFields.dom.js';

/** The group's description, rules and policy; moderators edit them here; anyone but the owner may leave. */
export function AboutPanel({ group, onChanged }: { group: GroupView; onChanged: () => void }) {
  const text = useText();
  const moderates =
    group.status === 'active' && (group.role === 'owner' || group.role === 'moderator');
  return (
    <div className="panel-stack">
      {moderates ? (
        <>
          <InfoForm group={group} onChanged={onChanged} />
          <PolicyForm group={group} onChanged={onChanged} />
          <ListGroupSection group={group} />
        </>
      ) : (
        <section className="card" aria-labelledby="about-info-title">
          <h2 id="about-info-title">{text('groups.about.title')}</h2>
          <h3>{text('groups.about.description')}</h3>
          <p className="prewrap" dir="auto">
            {group.description === '' ? text('groups.about.noDescription') : group.description}
          </p>
          <h3>{text('groups.about.rules')}</h3>
          <p className="prewrap rules-text" dir="auto">
            {group.rules === '' ? text('groups.about.noRules') : group.rules}
          </p>
          <h3>{text('groups.about.howItRuns')}</h3>
          <ul className="plain-list">
            <li>
              {group.policy.joinByApproval
                ? text('groups.about.byApproval')
                : text('groups.about.byLink')}
            </li>
            <li>
              {text('groups.about.slowMode', {
                mode: slowModeLabel(text, group.policy.slowModeSeconds, true),
              })}
            </li>
            <li>
              {group.policy.posting === 'moderators'
                ? text('groups.about.moderatorsPost')
                : text('groups.about.everyonePosts')}
            </li>
            <li>
              {group.policy.requireImageWarnings
                ? text('groups.about.warningsRequired')
                : text('groups.about.warningsOptional')}
            </li>
            <li>
              {group.policy.membersCreateTopics
                ? text('topics.aboutMembersCreate')
                : text('topics.aboutModeratorsCreate')}
            </li>
            <li>
              {group.policy.membersMessagePrivately
                ? text('requests.aboutOn')
                : text('requests.aboutOff')}
            </li>
          </ul>
        </section>
      )}
      {moderates ? (
        <ResourceEditor conversationId={group.conversationId} />
      ) : (
        <GroupResourceList conversationId={group.conversationId} place="about" card />
      )}
      <LeaveSection group={group} />
    </div>
  );
}

function InfoForm({ group, onChanged }: { group: GroupView; onChanged: () => void }) {
  const text = useText();
  const api = useApi();
  const id = useId();
  const announce = useAnnounce();
  const [info, setInfo] = useState<GroupInfo>({
    name: group.name,
    description: group.description,
    rules: group.rules,
  });
  const action = useAction();
  const changed =
    info.name !== group.name ||
    info.description !== group.description ||
    info.rules !== group.rules;

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    if (info.name.trim() === '') return;
    action.run(async () => {
      await api.call('groups.setInfo', {
        conversationId: group.conversationId,
        ...(info.name !== group.name ? { name: info.name.trim() } : {}),
        ...(info.description !== group.description ? { description: info.description } : {}),
        ...(info.rules !== group.rules ? { rules: info.rules } : {}),
      });
      announce(text('groups.about.infoSaved'));
      onChanged();
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{text('groups.about.infoTitle')}</h2>
      <form className="form" onSubmit={submit}>
        <GroupInfoFields value={info} onChange={setInfo} purpose="edit" />
        <p className="hint">{text('groups.about.infoHint')}</p>
        <ErrorText error={action.error} />
        <button
          type="submit"
          className="button button-primary"
          disabled={action.busy || !changed || info.name.trim() === ''}
        >
          {text('groups.about.saveChanges')}
        </button>
      </form>
    </section>
  );
}

function PolicyForm({ group, onChanged }: { group: GroupView; onChanged: () => void }) {
  const text = useText();
  const api = useApi();
  const id = useId();
  const announce = useAnnounce();
  const [joinByApproval, setJoinByApproval] = useState(group.policy.joinByApproval);
  const [slowModeSeconds, setSlowModeSeconds] = useState(group.policy.slowModeSeconds);
  const [posting, setPosting] = useState(group.policy.posting);
  const [requireImageWarnings, setRequireImageWarnings] = useState(
    group.policy.requireImageWarnings,
  );
  const [membersCreateTopics, setMembersCreateTopics] = useState(group.policy.membersCreateTopics);
  const [membersMessagePrivately, setMembersMessagePrivately] = useState(
    group.policy.membersMessagePrivately,
  );
  const action = useAction();
  const changed =
    membersCreateTopics !== group.policy.membersCreateTopics ||
    membersMessagePrivately !== group.policy.membersMessagePrivately ||
    joinByApproval !== group.policy.joinByApproval ||
    slowModeSeconds !== group.policy.slowModeSeconds ||
    posting !== group.policy.posting ||
    requireImageWarnings !== group.policy.requireImageWarnings;

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    action.run(async () => {
      await api.call('groups.setPolicy', {
        conversationId: group.conversationId,
        joinByApproval,
        slowModeSeconds,
        posting,
        requireImageWarnings,
        membersCreateTopics,
        membersMessagePrivately,
      });
      announce(text('groups.about.policySaved'));
      onChanged();
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{text('groups.about.policyTitle')}</h2>
      <form className="form" onSubmit={submit}>
        <JoinByApprovalField checked={joinByApproval} onChange={setJoinByApproval} />
        <div className="field-row">
          <SlowModeField
            value={slowModeSeconds}
            onChange={setSlowModeSeconds}
            alsoOffer={group.policy.slowModeSeconds}
          />
          <SelectField
            label={text('groups.about.whoPosts')}
            value={posting}
            onChange={(value) => {
              setPosting(value === 'moderators' ? 'moderators' : 'everyone');
            }}
          >
            <option value="everyone">{text('groups.about.everyMember')}</option>
            <option value="moderators">{text('groups.about.onlyModerators')}</option>
          </SelectField>
        </div>
        <CheckboxField
          label={text('groups.about.requireWarnings')}
          checked={requireImageWarnings}
          onChange={setRequireImageWarnings}
          aria-describedby={`${id}-image-warnings`}
        />
        <p id={`${id}-image-warnings`} className="hint">
          {text('groups.about.requireWarningsHint')}
        </p>
        <CheckboxField
          label={text('topics.membersCreate')}
          checked={membersCreateTopics}
          onChange={setMembersCreateTopics}
          aria-describedby={`${id}-members-create-topics`}
        />
        <p id={`${id}-members-create-topics`} className="hint">
          {text('topics.membersCreateHint')}
        </p>
        <CheckboxField
          label={text('requests.policy.label')}
          checked={membersMessagePrivately}
          onChange={setMembersMessagePrivately}
          aria-describedby={`${id}-members-message-privately`}
        />
        <p id={`${id}-members-message-privately`} className="hint">
          {text('requests.policy.hint')}
        </p>
        <ErrorText error={action.error} />
        <button type="submit" className="button button-primary" disabled={action.busy || !changed}>
          {text('groups.about.saveSettings')}
        </button>
      </form>
    </section>
  );
}

function LeaveSection({ group }: { group: GroupView }) {
  const text = useText();
  const api = useApi();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  if (group.status !== 'active' && group.status !== 'requested') {
    return <ForgetGroupSection group={group} />;
  }
  const owner = group.role === 'owner';
  return (
    <section className="card card-quiet" aria-labelledby="leave-title">
      <h2 id="leave-title">{text('groups.leave.title')}</h2>
      {owner ? (
        <p className="hint">{text('groups.leave.owner')}</p>
      ) : (
        <>
          <p className="hint">{text('groups.leave.hint')}</p>
          <button
            type="button"
            className="button button-danger"
            onClick={() => {
              setConfirming(true);
            }}
          >
            {text('groups.leave.button')}
          </button>
        </>
      )}
      {confirming && (
        <ConfirmDialog
          title={text('groups.leave.confirmTitle', { name: group.name })}
          confirmLabel={text('groups.leave.confirm')}
          danger
          busy={action.busy}
          error={action.error}
          onCancel={() => {
            setConfirming(false);
          }}
          onConfirm={() => {
            action.run(async () => {
              await api.call('groups.leave', { conversationId: group.conversationId });
              announce(text('groups.leave.done', { name: group.name }));
              setConfirming(false);
              navigate({ kind: 'groups' });
            });
          }}
        >
          <p>{text('groups.leave.persona', { persona: group.persona.pseudonym })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
