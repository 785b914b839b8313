import { useState } from 'react';
import type { BannedView, GroupView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { ReasonDialog } from '../components/ReasonDialog.dom.js';
import { initialOf } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAnnounce, useApi, useConversationRevision, useLoad } from '../kindredContext.dom.js';

/** Who is banned from the group, for moderators: a ban can be lifted here, with a reason. */
export function BannedList({ group }: { group: GroupView }) {
  const text = useText();
  const api = useApi();
  const announce = useAnnounce();
  const revision = useConversationRevision(group.conversationId);
  const banned = useLoad(`banned:${group.conversationId}`, revision, () =>
    api.call('groups.banned', { conversationId: group.conversationId }),
  );
  const [lifting, setLifting] = useState<BannedView | undefined>(undefined);

  return (
    <section className="banned-list" aria-labelledby="banned-title">
      <h2 id="banned-title" className="panel-title">
        {text('groupMembers.banned')}
      </h2>
      <ErrorText error={banned.error} />
      {banned.data?.length === 0 && <p className="hint">{text('groupMembers.nobodyBanned')}</p>}
      <ul className="rows">
        {(banned.data ?? []).map((person) => (
          <li key={person.address} className="row">
            <span className="avatar" aria-hidden="true">
              {initialOf(person.pseudonym)}
            </span>
            <div className="row-main">
              <span className="row-title">{person.pseudonym}</span>
              <span className="row-sub">{text('groupMembers.bannedSub')}</span>
            </div>
            <div className="row-actions">
              <button
                type="button"
                className="button"
                aria-label={text('groupMembers.liftBanNamed', { name: person.pseudonym })}
                onClick={() => {
                  setLifting(person);
                }}
              >
                {text('groupMembers.liftBan')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {lifting !== undefined && (
        <ReasonDialog
          title={text('groupMembers.liftBanTitle', { name: lifting.pseudonym })}
          confirmLabel={text('groupMembers.liftBan')}
          danger={false}
          reasonHint={text('groupMembers.reasonHint')}
          onClose={() => {
            setLifting(undefined);
          }}
          onConfirm={async (reason) => {
            await api.call('groups.moderate', {
              conversationId: group.conversationId,
              action: 'unban',
              member: lifting.address,
              ...reason,
            });
            announce(text('groupMembers.banLifted', { name: lifting.pseudonym }));
            setLifting(undefined);
            banned.reload();
          }}
        >
          <p>{text('groupMembers.liftBanExplain')}</p>
        </ReasonDialog>
      )}
    </section>
  );
}
