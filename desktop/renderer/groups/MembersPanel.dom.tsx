import { useState } from 'react';
import type { GroupRole, GroupView, MemberView } from '../../shared/api.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { SelectField } from '../components/FormFields.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { MenuButton, type MenuItem } from '../components/Menu.dom.js';
import { ReasonDialog } from '../components/ReasonDialog.dom.js';
import { WritePrivatelyDialog } from '../requests/WritePrivatelyDialog.dom.js';
import { formatFullTime, initialOf } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAnnounce, useApi, useConversationRevision, useLoad } from '../kindredContext.dom.js';
import { FacilitatorBadge } from './FacilitatorBadge.dom.js';
import { MUTE_CHOICES, ROLE_RANK, muteLabel, roleId } from './groupChoices.dom.js';

export type MemberAction =
  'remove' | 'ban' | 'mute' | 'unmute' | 'promote' | 'demote' | 'transferOwnership';

/** The words of each action, by message id: `text(ACTION_WORDS.mute.title, { name })`. */
const ACTION_WORDS: Readonly<
  Record<
    MemberAction,
    {
      menu: MessageId;
      title: MessageId;
      confirm: MessageId;
      done: MessageId;
      explain: MessageId;
    }
  >
> = {
  mute: {
    menu: 'groupMembers.mute.menu',
    title: 'groupMembers.mute.title',
    confirm: 'groupMembers.mute.confirm',
    done: 'groupMembers.mute.done',
    explain: 'groupMembers.mute.explain',
  },
  unmute: {
    menu: 'groupMembers.unmute.menu',
    title: 'groupMembers.unmute.title',
    confirm: 'groupMembers.unmute.confirm',
    done: 'groupMembers.unmute.done',
    explain: 'groupMembers.unmute.explain',
  },
  remove: {
    menu: 'groupMembers.remove.menu',
    title: 'groupMembers.remove.title',
    confirm: 'groupMembers.remove.confirm',
    done: 'groupMembers.remove.done',
    explain: 'groupMembers.remove.explain',
  },
  ban: {
    menu: 'groupMembers.ban.menu',
    title: 'groupMembers.ban.title',
    confirm: 'groupMembers.ban.confirm',
    done: 'groupMembers.ban.done',
    explain: 'groupMembers.ban.explain',
  },
  promote: {
    menu: 'groupMembers.promote.menu',
    title: 'groupMembers.promote.title',
    confirm: 'groupMembers.promote.confirm',
    done: 'groupMembers.promote.done',
    explain: 'groupMembers.promote.explain',
  },
  demote: {
    menu: 'groupMembers.demote.menu',
    title: 'groupMembers.demote.title',
    confirm: 'groupMembers.demote.confirm',
    done: 'groupMembers.demote.done',
    explain: 'groupMembers.demote.explain',
  },
  transferOwnership: {
    menu: 'groupMembers.transferOwnership.menu',
    title: 'groupMembers.transferOwnership.title',
    confirm: 'groupMembers.transferOwnership.confirm',
    done: 'groupMembers.transferOwnership.done',
    explain: 'groupMembers.transferOwnership.explain',
  },
};

/** What `actor` may do to `member` under the group's rules (docs/groups.md). */
export function memberActions(actor: GroupRole | undefined, member: MemberView): MemberAction[] {
  if (actor === undefined || member.self || actor === 'member') return [];
  if (ROLE_RANK[actor] <= ROLE_RANK[member.role]) return [];
  const actions: MemberAction[] = [];
  actions.push(member.mutedUntil > Date.now() ? 'unmute' : 'mute');
  actions.push('remove', 'ban');
  if (actor === 'owner' && member.role === 'member') actions.push('promote');
  if (actor === 'owner' && member.role === 'moderator') actions.push('demote');
  if (actor === 'owner') actions.push('transferOwnership');
  return actions;
}

/** Members and their roles; moderators act on those they outrank, always with a reason. */
export function MembersPanel({ group }: { group: GroupView }) {
  const text = useText();
  const api = useApi();
  const revision = useConversationRevision(group.conversationId);
  const members = useLoad(`members:${group.conversationId}`, revision, () =>
    api.call('groups.members', { conversationId: group.conversationId }),
  );
  const [acting, setActing] = useState<{ member: MemberView; action: MemberAction } | undefined>(
    undefined,
  );
  const [writingTo, setWritingTo] = useState<MemberView | undefined>(undefined);
  const actor = group.status === 'active' ? group.role : undefined;
  // Only where the group's policy lets members write to each other (core refuses otherwise).
  const canWritePrivately = group.status === 'active' && group.policy.membersMessagePrivately;
  const sorted = [...(members.data ?? [])].sort(
    (a, b) => ROLE_RANK[b.role] - ROLE_RANK[a.role] || a.pseudonym.localeCompare(b.pseudonym),
  );

  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title" className="panel-title">
        {text('groupMembers.title')}
      </h2>
      <ErrorText error={members.error} />
      <ul className="rows">
        {sorted.map((member) => {
          const actions = memberActions(actor, member);
          const muted = member.mutedUntil > Date.now();
          const items: MenuItem[] = actions.map((action) => ({
            label: text(ACTION_WORDS[action].menu),
            danger: action === 'remove' || action === 'ban' || action === 'transferOwnership',
            onSelect: () => {
              setActing({ member, action });
            },
          }));
          return (
            <li key={member.address} className="row">
              <span className="avatar" aria-hidden="true">
                {initialOf(member.pseudonym)}
              </span>
              <div className="row-main">
                <span className="row-title">
                  {member.pseudonym}
                  <FacilitatorBadge role={member.badge} />
                  {member.self && <span className="row-aside">{text('groupMembers.you')}</span>}
                </span>
                <span className="row-sub">
                  <span className={member.role === 'member' ? 'tag' : 'tag tag-role'}>
                    {text(roleId(member.role))}
                  </span>
                  {muted && (
                    <span className="tag tag-muted">
                      {text('groupMembers.mutedUntil', {
                        time: formatFullTime(member.mutedUntil),
                      })}
                    </span>
                  )}
                </span>
              </div>
              {(items.length > 0 || (canWritePrivately && !member.self)) && (
                <div className="row-actions">
                  {canWritePrivately && !member.self && (
                    <button
                      type="button"
                      className="button"
                      aria-label={text('requests.writeNamed', { name: member.pseudonym })}
                      onClick={() => {
                        setWritingTo(member);
                      }}
                    >
                      <Icon name="send" />
                      {text('requests.write')}
                    </button>
                  )}
                  {items.length > 0 && (
                    <MenuButton
                      label={text('groupMembers.moderateNamed', { name: member.pseudonym })}
                      items={items}
                      buttonClassName="button"
                      align="end"
                    >
                      {text('groupMembers.moderate')}
                      <Icon name="more" />
                    </MenuButton>
                  )}
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {writingTo !== undefined && (
        <WritePrivatelyDialog
          groupConversationId={group.conversationId}
          member={writingTo}
          onClose={() => {
            setWritingTo(undefined);
          }}
        />
      )}
      {acting !== undefined && (
        <ModerateMemberDialog
          group={group}
          member={acting.member}
          action={acting.action}
          onClose={() => {
            setActing(undefined);
          }}
          onDone={() => {
            setActing(undefined);
            members.reload();
          }}
        />
      )}
    </section>
  );
}

function ModerateMemberDialog({
  group,
  member,
  action,
  onClose,
  onDone,
}: {
  group: GroupView;
  member: MemberView;
  action: MemberAction;
  onClose: () => void;
  onDone: () => void;
}) {
  const text = useText();
  const api = useApi();
  const announce = useAnnounce();
  const [muteFor, setMuteFor] = useState(MUTE_CHOICES[2]?.ms ?? 86_400_000);
  const words = ACTION_WORDS[action];

  return (
    <ReasonDialog
      title={text(words.title, { name: member.pseudonym })}
      confirmLabel={text(words.confirm)}
      danger={action === 'remove' || action === 'ban' || action === 'transferOwnership'}
      reasonHint={text('groupMembers.reasonHint')}
      onClose={onClose}
      onConfirm={async (reason) => {
        await api.call('groups.moderate', {
          conversationId: group.conversationId,
          action,
          member: member.address,
          ...reason,
          ...(action === 'mute' ? { until: Date.now() + muteFor } : {}),
        });
        announce(text(words.done, { name: member.pseudonym }));
        onDone();
      }}
    >
      <p>{text(words.explain)}</p>
      {action === 'mute' && (
        <SelectField
          label={text('groupMembers.muteFor')}
          value={muteFor}
          onChange={(value) => {
            setMuteFor(Number(value));
          }}
        >
          {MUTE_CHOICES.map((choice) => (
            <option key={choice.ms} value={choice.ms}>
              {muteLabel(text, choice)}
            </option>
          ))}
        </SelectField>
      )}
    </ReasonDialog>
  );
}
