import { useState } from 'react';
import { useIntl } from 'react-intl';
import type { GroupView } from '../../shared/api.std.js';
import { ConfirmDialog } from '../components/Dialog.dom.js';
import { useAction, useAnnounce, useApi } from '../kindredContext.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { groupStandingId } from '../shell/ChatList.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';

/**
 * A group we are out of (removed, banned, left): what happened, and a way to forget it, so it
 * does not sit in the chat list for ever. Nothing for a group we are in or asking to join.
 */
export function ForgetGroupSection({ group }: { group: GroupView }) {
  const text = useText();
  const intl = useIntl();
  const api = useApi();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  const standing = groupStandingId(group.status);
  if (standing === undefined || group.status === 'requested') return null;
  return (
    <section className="card card-quiet forget-group" aria-labelledby="forget-title">
      <h2 id="forget-title">{text(standing)}</h2>
      <p className="hint">{text('groupPage.forgetHint')}</p>
      <button
        type="button"
        className="button button-danger"
        onClick={() => {
          setConfirming(true);
        }}
      >
        {text('groupPage.forgetThis')}
      </button>
      {confirming && (
        <ConfirmDialog
          title={text('groupPage.forgetTitle', { name: group.name })}
          confirmLabel={text('groupPage.forgetConfirm')}
          danger
          busy={action.busy}
          error={action.error}
          onCancel={() => {
            setConfirming(false);
          }}
          onConfirm={() => {
            action.run(async () => {
              await api.call('groups.forget', { conversationId: group.conversationId });
              announce(text('groupPage.forgotten', { name: group.name }));
              setConfirming(false);
              navigate({ kind: 'groups' });
            });
          }}
        >
          <p>
            {intl.formatMessage(
              { id: 'groupPage.forgetExplain' },
              { pseudonym: <strong key="pseudonym">{group.persona.pseudonym}</strong> },
            )}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
