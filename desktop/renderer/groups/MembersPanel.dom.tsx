import { useState } from 'react';
import type { GroupRole, GroupView, MemberView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { SelectField } from '../components/FormFields.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { MenuButton, type MenuItem } from '../components/Menu.dom.js';
import { ReasonDialog } from '../components/ReasonDialog.dom.js';
import { formatFullTime, initialOf } from '../formatting.dom.js';
import { useAnnounce, useApi, useConversationRevision, useLoad } from '../kindredContext.dom.js';
import { MUTE_CHOICES, ROLE_RANK, roleLabel } from './groupChoices.dom.js';

export type MemberAction =
  'remove' | 'ban' | 'mute' | 'unmute' | 'promote' | 'demote' | 'transferOwnership';

const ACTION_WORDS: Readonly<
  Record<
    MemberAction,
    {
      menu: string;
      title: (name: string) => string;
      confirm: string;
      done: (name: string) => string;
      explain: string;
    }
  >
> = {
  mute: {
    menu: 'Mute…',
    title: (name) => `Mute ${name}`,
    confirm: 'Mute',
    done: (name) => `${name} is muted.`,
    explain: 'They can still read, but cannot post until the time is up.',
  },
  unmute: {
    menu: 'Unmute',
    title: (name) => `Unmute ${name}`,
    confirm: 'Unmute',
    done: (name) => `${name} can post again.`,
    explain: 'They can post again at once.',
  },
  remove: {
    menu: 'Remove from group…',
    title: (name) => `Remove ${name} from the group`,
    confirm: 'Remove',
    done: (name) => `${name} was removed.`,
    explain: 'They stop receiving messages. They could come back with a new invite.',
  },
  ban: {
    menu: 'Ban…',
    title: (name) => `Ban ${name}`,
    confirm: 'Ban',
    done: (name) => `${name} was banned.`,
    explain: 'They are removed and cannot come back with any invite.',
  },
  promote: {
    menu: 'Make moderator…',
    title: (name) => `Make ${name} a moderator`,
    confirm: 'Make moderator',
    done: (name) => `${name} is now a moderator.`,
    explain: 'Moderators can admit, mute, remove and ban members, and delete or pin messages.',
  },
  demote: {
    menu: 'Make member again…',
    title: (name) => `Make ${name} a member again`,
    confirm: 'Make member',
    done: (name) => `${name} is a member again.`,
    explain: 'They lose their moderator rights.',
  },
  transferOwnership: {
    menu: 'Hand the group over…',
    title: (name) => `Hand the group over to ${name}?`,
    confirm: 'Hand it over',
    done: (name) => `${name} is now the owner. You are a moderator.`,
    explain:
      'They become the owner, with every right over the group, and you become a moderator. Only they can hand it back.',
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
  const api = useApi();
  const revision = useConversationRevision(group.conversationId);
  const members = useLoad(`members:${group.conversationId}`, revision, () =>
    api.call('groups.members', { conversationId: group.conversationId }),
  );
  const [acting, setActing] = useState<{ member: MemberView; action: MemberAction } | undefined>(
    undefined,
  );
  const actor = group.status === 'active' ? group.role : undefined;
  const sorted = [...(members.data ?? [])].sort(
    (a, b) => ROLE_RANK[b.role] - ROLE_RANK[a.role] || a.pseudonym.localeCompare(b.pseudonym),
  );

  return (
    <section aria-labelledby="members-title">
      <h2 id="members-title" className="panel-title">
        Members
      </h2>
      <ErrorText error={members.error} />
      <ul className="rows">
        {sorted.map((member) => {
          const actions = memberActions(actor, member);
          const muted = member.mutedUntil > Date.now();
          const items: MenuItem[] = actions.map((action) => ({
            label: ACTION_WORDS[action].menu,
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
                  {member.self && <span className="row-aside"> (you)</span>}
                </span>
                <span className="row-sub">
                  <span className={member.role === 'member' ? 'tag' : 'tag tag-role'}>
                    {roleLabel(member.role)}
                  </span>
                  {muted && (
                    <span className="tag tag-muted">
                      Muted until {formatFullTime(member.mutedUntil)}
                    </span>
                  )}
                </span>
              </div>
              {items.length > 0 && (
                <div className="row-actions">
                  <MenuButton
                    label={`Moderate ${member.pseudonym}`}
                    items={items}
                    buttonClassName="button"
                    align="end"
                  >
                    Moderate
                    <Icon name="more" />
                  </MenuButton>
                </div>
              )}
            </li>
          );
        })}
      </ul>
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
  const api = useApi();
  const announce = useAnnounce();
  const [muteFor, setMuteFor] = useState(MUTE_CHOICES[2]?.ms ?? 86_400_000);
  const words = ACTION_WORDS[action];

  return (
    <ReasonDialog
      title={words.title(member.pseudonym)}
      confirmLabel={words.confirm}
      danger={action === 'remove' || action === 'ban' || action === 'transferOwnership'}
      reasonHint="Every member reads it in the moderation log, with your pseudonym in this group."
      onClose={onClose}
      onConfirm={async (reason) => {
        await api.call('groups.moderate', {
          conversationId: group.conversationId,
          action,
          member: member.address,
          ...reason,
          ...(action === 'mute' ? { until: Date.now() + muteFor } : {}),
        });
        announce(words.done(member.pseudonym));
        onDone();
      }}
    >
      <p>{words.explain}</p>
      {action === 'mute' && (
        <SelectField
          label="Mute for"
          value={muteFor}
          onChange={(value) => {
            setMuteFor(Number(value));
          }}
        >
          {MUTE_CHOICES.map((choice) => (
            <option key={choice.ms} value={choice.ms}>
              {choice.label}
            </option>
          ))}
        </SelectField>
      )}
    </ReasonDialog>
  );
}
