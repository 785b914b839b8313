import { useState } from 'react';
import type { GroupView } from '../../shared/api.std.js';
import { ConfirmDialog } from '../components/Dialog.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';
import { groupStanding } from '../shell/ChatList.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';

/**
 * A group we are out of (removed, banned, left): what happened, and a way to forget it, so it
 * does not sit in the chat list for ever. Nothing for a group we are in or asking to join.
 */
export function ForgetGroupSection({ group }: { group: GroupView }) {
  const api = useApi();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  if (group.status === 'active' || group.status === 'requested') return null;
  return (
    <section className="card card-quiet forget-group" aria-labelledby="forget-title">
      <h2 id="forget-title">{groupStanding(group.status)}</h2>
      <p className="hint">
        You are no longer in this group: you receive nothing new, and cannot post. You can still
        read what you received, and the moderation log up to when you went. Forget the group to
        remove it, its messages and its log from this device.
      </p>
      <button
        type="button"
        className="button button-danger"
        onClick={() => {
          setConfirming(true);
        }}
      >
        Forget this group
      </button>
      {confirming && (
        <ConfirmDialog
          title={`Forget ${group.name}?`}
          confirmLabel="Forget group"
          danger
          busy={action.busy}
          error={action.error}
          onCancel={() => {
            setConfirming(false);
          }}
          onConfirm={() => {
            action.run(async () => {
              await api.call('groups.forget', { conversationId: group.conversationId });
              announce(`${group.name} was removed from this device.`);
              setConfirming(false);
              navigate({ kind: 'groups' });
            });
          }}
        >
          <p>
            Its messages and log leave this device for good. Your persona here,{' '}
            <strong>{group.persona.pseudonym}</strong>, stays.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
