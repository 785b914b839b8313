import { useState } from 'react';
import type { ConversationId, GroupView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { SelectField } from '../components/FormFields.dom.js';
import { useApi, useListsRevision, useLoad } from '../kindredContext.dom.js';
import type { GroupTab } from '../shell/navigation.dom.js';
import { groupStandingId } from '../shell/ChatList.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { ForgetGroupSection } from './ForgetGroup.dom.js';
import { GroupPanels, moderates } from './GroupScreen.dom.js';
import { roleId } from './groupChoices.dom.js';
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
  const text = useText();
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
        <h1 tabIndex={-1}>{text('shell.moderation')}</h1>
        <p className="lead">
          {moderated.length > 0
            ? text('groupPage.moderating', { count: moderated.length })
            : text('groupPage.notModerating')}
        </p>
      </header>
      <ErrorText error={groups.error} />
      {groups.data !== undefined && list.length === 0 && (
        <p className="hint">{text('groupPage.noGroups')}</p>
      )}
      {group !== undefined && (
        <>
          <SelectField
            label={text('groupPage.group')}
            layout="inline"
            value={group.conversationId}
            onChange={setChosen}
          >
            {list.map((candidate) => {
              const standing = groupStandingId(candidate.status);
              return (
                <option key={candidate.conversationId} value={candidate.conversationId}>
                  {candidate.name}
                  {candidate.status === 'active' && candidate.role !== undefined
                    ? text('groupPage.choicePart', { part: text(roleId(candidate.role)) })
                    : ''}
                  {standing === undefined
                    ? ''
                    : text('groupPage.choicePart', { part: text(standing) })}
                  {moderates(candidate) && candidate.requests > 0
                    ? text('groupPage.choiceWaiting', { count: candidate.requests })
                    : ''}
                  {moderates(candidate) && candidate.openReports > 0
                    ? text('groupPage.choiceReports', { count: candidate.openReports })
                    : ''}
                </option>
              );
            })}
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
