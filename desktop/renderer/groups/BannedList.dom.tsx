import { useState } from 'react';
import type { BannedView, GroupView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { ReasonDialog } from '../components/ReasonDialog.dom.js';
import { initialOf } from '../formatting.dom.js';
import { useAnnounce, useApi, useConversationRevision, useLoad } from '../kindredContext.dom.js';

/** Who is banned from the group, for moderators: a ban can be lifted here, with a reason. */
export function BannedList({ group }: { group: GroupView }) {
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
        Banned
      </h2>
      <ErrorText error={banned.error} />
      {banned.data?.length === 0 && <p className="hint">Nobody is banned.</p>}
      <ul className="rows">
        {(banned.data ?? []).map((person) => (
          <li key={person.address} className="row">
            <span className="avatar" aria-hidden="true">
              {initialOf(person.pseudonym)}
            </span>
            <div className="row-main">
              <span className="row-title">{person.pseudonym}</span>
              <span className="row-sub">Cannot join with any invite</span>
            </div>
            <div className="row-actions">
              <button
                type="button"
                className="button"
                aria-label={`Lift the ban on ${person.pseudonym}`}
                onClick={() => {
                  setLifting(person);
                }}
              >
                Lift the ban
              </button>
            </div>
          </li>
        ))}
      </ul>
      {lifting !== undefined && (
        <ReasonDialog
          title={`Lift the ban on ${lifting.pseudonym}?`}
          confirmLabel="Lift the ban"
          danger={false}
          reasonHint="Every member reads it in the moderation log, with your pseudonym in this group."
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
            announce(`${lifting.pseudonym} may join again with a new invite.`);
            setLifting(undefined);
            banned.reload();
          }}
        >
          <p>They stay outside the group, but a new invite link lets them ask to join again.</p>
        </ReasonDialog>
      )}
    </section>
  );
}
