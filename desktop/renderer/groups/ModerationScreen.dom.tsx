import { useState } from 'react';
import type { ConversationId, GroupView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { SelectField } from '../components/FormFields.dom.js';
import { useApi, useListsRevision, useLoad } from '../kindredContext.dom.js';
import type { GroupTab } from '../shell/navigation.dom.js';
import { groupStanding } from '../shell/ChatList.dom.js';
import { ForgetGroupSection } from './ForgetGroup.dom.js';
import { GroupPanels, moderates } from './GroupScreen.dom.js';
import { roleLabel } from './groupChoices.dom.js';
import { loadGroupDetails } from './groupDetails.dom.js';

/**
 * One place for moderation across groups: the reports queue, join requests and member actions
 * where we moderate; the moderation log and warnings of every group we are in.
 */
export function ModerationScreen({
  conversationId,
  tab,
}: {
  conversationId?: ConversationId | undefined;
  tab?: GroupTab | undefined;
}) {
  const api = useApi();
  const revision = useListsRevision();
  // Every group the Groups page lists, with our standing in it: a group we were removed from
  // still has a log to read (up to our removal), and a way to forget it.
  const groups = useLoad('moderation-groups', revision, async () =>
    loadGroupDetails(api, await api.call('conversations.list', {})),
  );
  const list = groups.data ?? [];
  const moderated = list.filter(moderates);
  const [chosen, setChosen] = useState<ConversationId | undefined>(conversationId);
  const group: GroupView | undefined =
    list.find((candidate) => candidate.conversationId === chosen) ?? moderated[0] ?? list[0];
  const tabs: GroupTab[] =
    group !== undefined && moderates(group)
      ? ['reports', 'requests', 'members', 'log', 'warnings']
      : ['log', 'warnings'];

  return (
    <div className="screen">
      <header className="screen-header">
        <h1 tabIndex={-1}>Moderation</h1>
        <p className="lead">
          {moderated.length > 0
            ? `You moderate ${moderated.length === 1 ? 'one group' : `${moderated.length} groups`}. Reports reach moderators only; every action you take is in the group’s log, for every member to read.`
            : 'You do not moderate any group. You can still read what moderators did in each of your groups, and why.'}
        </p>
      </header>
      <ErrorText error={groups.error} />
      {groups.data !== undefined && list.length === 0 && (
        <p className="hint">You are not in any group yet.</p>
      )}
      {group !== undefined && (
        <>
          <SelectField
            label="Group"
            layout="inline"
            value={group.conversationId}
            onChange={setChosen}
          >
            {list.map((candidate) => (
              <option key={candidate.conversationId} value={candidate.conversationId}>
                {candidate.name}
                {candidate.status === 'active' && candidate.role !== undefined
                  ? ` — ${roleLabel(candidate.role)}`
                  : ''}
                {groupStanding(candidate.status) === undefined
                  ? ''
                  : ` — ${groupStanding(candidate.status)}`}
                {moderates(candidate) && candidate.requests > 0
                  ? ` — ${candidate.requests} waiting`
                  : ''}
                {moderates(candidate) && candidate.openReports > 0
                  ? ` — ${candidate.openReports} ${candidate.openReports === 1 ? 'report' : 'reports'}`
                  : ''}
              </option>
            ))}
          </SelectField>
          <ForgetGroupSection group={group} />
          <GroupPanels
            key={group.conversationId}
            group={group}
            tabs={tabs}
            initialTab={tab ?? tabs[0] ?? 'log'}
            onGroupChanged={groups.reload}
          />
        </>
      )}
    </div>
  );
}
