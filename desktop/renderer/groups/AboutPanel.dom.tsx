import { useId, useState, type SubmitEvent } from 'react';
import type { GroupView } from '../../shared/api.std.js';
import { ConfirmDialog, ErrorText } from '../components/Dialog.dom.js';
import { ForgetGroupSection } from './ForgetGroup.dom.js';
import { CheckboxField, SelectField } from '../components/FormFields.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';
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
  const moderates =
    group.status === 'active' && (group.role === 'owner' || group.role === 'moderator');
  return (
    <div className="panel-stack">
      {moderates ? (
        <>
          <InfoForm group={group} onChanged={onChanged} />
          <PolicyForm group={group} onChanged={onChanged} />
        </>
      ) : (
        <section className="card" aria-labelledby="about-info-title">
          <h2 id="about-info-title">About this group</h2>
          <h3>Description</h3>
          <p className="prewrap">
            {group.description === '' ? 'No description.' : group.description}
          </p>
          <h3>Rules</h3>
          <p className="prewrap rules-text">
            {group.rules === '' ? 'No written rules yet.' : group.rules}
          </p>
          <h3>How it runs</h3>
          <ul className="plain-list">
            <li>
              {group.policy.joinByApproval
                ? 'A moderator approves each new member.'
                : 'Anyone with an invite link can join.'}
            </li>
            <li>Slow mode: {slowModeLabel(group.policy.slowModeSeconds).toLowerCase()}.</li>
            <li>
              {group.policy.posting === 'moderators'
                ? 'Only moderators can post.'
                : 'Every member can post.'}
            </li>
            <li>
              {group.policy.requireImageWarnings
                ? 'Images need a content warning.'
                : 'Content warnings on images are up to each member.'}
            </li>
          </ul>
        </section>
      )}
      <LeaveSection group={group} />
    </div>
  );
}

function InfoForm({ group, onChanged }: { group: GroupView; onChanged: () => void }) {
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
      announce('Group info saved.');
      onChanged();
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Name, description and rules</h2>
      <form className="form" onSubmit={submit}>
        <GroupInfoFields value={info} onChange={setInfo} purpose="edit" />
        <p className="hint">Members see the change, and the moderation log says you made it.</p>
        <ErrorText error={action.error} />
        <button
          type="submit"
          className="button button-primary"
          disabled={action.busy || !changed || info.name.trim() === ''}
        >
          Save changes
        </button>
      </form>
    </section>
  );
}

function PolicyForm({ group, onChanged }: { group: GroupView; onChanged: () => void }) {
  const api = useApi();
  const id = useId();
  const announce = useAnnounce();
  const [joinByApproval, setJoinByApproval] = useState(group.policy.joinByApproval);
  const [slowModeSeconds, setSlowModeSeconds] = useState(group.policy.slowModeSeconds);
  const [posting, setPosting] = useState(group.policy.posting);
  const [requireImageWarnings, setRequireImageWarnings] = useState(
    group.policy.requireImageWarnings,
  );
  const action = useAction();
  const changed =
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
      });
      announce('Group settings saved.');
      onChanged();
    });
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>How the group runs</h2>
      <form className="form" onSubmit={submit}>
        <JoinByApprovalField checked={joinByApproval} onChange={setJoinByApproval} />
        <div className="field-row">
          <SlowModeField
            value={slowModeSeconds}
            onChange={setSlowModeSeconds}
            alsoOffer={group.policy.slowModeSeconds}
          />
          <SelectField
            label="Who can post"
            value={posting}
            onChange={(value) => {
              setPosting(value === 'moderators' ? 'moderators' : 'everyone');
            }}
          >
            <option value="everyone">Every member</option>
            <option value="moderators">Only moderators</option>
          </SelectField>
        </div>
        <CheckboxField
          label="Require warnings on images"
          checked={requireImageWarnings}
          onChange={setRequireImageWarnings}
          aria-describedby={`${id}-image-warnings`}
        />
        <p id={`${id}-image-warnings`} className="hint">
          Members then cannot send an image without a content warning, and anyone’s image that
          arrives without one is shown covered.
        </p>
        <ErrorText error={action.error} />
        <button type="submit" className="button button-primary" disabled={action.busy || !changed}>
          Save settings
        </button>
      </form>
    </section>
  );
}

function LeaveSection({ group }: { group: GroupView }) {
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
      <h2 id="leave-title">Leave</h2>
      {owner ? (
        <p className="hint">
          As the owner you cannot leave. Hand the group to another member first: in Members, choose
          Moderate beside them, then Hand the group over.
        </p>
      ) : (
        <>
          <p className="hint">
            You stop receiving messages. Members see in the log that you left. To come back, you
            need a new invite.
          </p>
          <button
            type="button"
            className="button button-danger"
            onClick={() => {
              setConfirming(true);
            }}
          >
            Leave this group
          </button>
        </>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Leave ${group.name}?`}
          confirmLabel="Leave group"
          danger
          busy={action.busy}
          error={action.error}
          onCancel={() => {
            setConfirming(false);
          }}
          onConfirm={() => {
            action.run(async () => {
              await api.call('groups.leave', { conversationId: group.conversationId });
              announce(`You left ${group.name}.`);
              setConfirming(false);
              navigate({ kind: 'groups' });
            });
          }}
        >
          <p>
            You will no longer receive this group’s messages. Your persona here,{' '}
            <strong>{group.persona.pseudonym}</strong>, stays on this device.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
