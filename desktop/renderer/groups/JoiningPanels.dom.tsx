import { useState, type SubmitEvent } from 'react';
import type { GroupView, JoinRequestView } from '../../shared/api.std.js';
import { ErrorText } from '../components/Dialog.dom.js';
import { initialOf } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { InviteLinkPanel } from '../components/InviteLinkPanel.dom.js';
import { InviteOptions, type InviteOptionsValue } from '../components/InviteOptions.dom.js';
import { ReasonDialog } from '../components/ReasonDialog.dom.js';
import {
  useAction,
  useAnnounce,
  useApi,
  useConversationRevision,
  useLoad,
} from '../kindredContext.dom.js';

/** A moderator makes an invite link for the group: how many uses, how long. */
export function InvitePanel({ group }: { group: GroupView }) {
  const text = useText();
  const api = useApi();
  const [options, setOptions] = useState<InviteOptionsValue>({
    maxUses: 10,
    expiresInHours: 24 * 7,
  });
  const [invite, setInvite] = useState<{ link: string; expiresAt: number } | undefined>(undefined);
  const action = useAction();

  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    action.run(async () => {
      setInvite(
        await api.call('groups.invite', { conversationId: group.conversationId, ...options }),
      );
    });
  };

  return (
    <section className="card" aria-labelledby="group-invite-title">
      <h2 id="group-invite-title">{text('groupJoining.inviteTitle')}</h2>
      <form className="form" onSubmit={submit}>
        <p className="hint">
          {group.policy.joinByApproval
            ? text('groupJoining.inviteHintApproval')
            : text('groupJoining.inviteHintOpen')}
        </p>
        <InviteOptions value={options} onChange={setOptions} />
        <ErrorText error={action.error} />
        <button type="submit" className="button button-primary" disabled={action.busy}>
          {text('groupJoining.createLink')}
        </button>
      </form>
      {invite !== undefined && (
        <InviteLinkPanel
          label={text('groups.join.link')}
          qrLabel={text('groupJoining.qr')}
          link={invite.link}
          expiresAt={invite.expiresAt}
          note={text('groupJoining.linkUses', { count: options.maxUses })}
        />
      )}
      <ResetInvites group={group} />
    </section>
  );
}

/**
 * A link that went where it should not: every link made so far stops working, and the group
 * key changes, so no old link reads anything written from now on.
 */
function ResetInvites({ group }: { group: GroupView }) {
  const text = useText();
  const api = useApi();
  const announce = useAnnounce();
  const [confirming, setConfirming] = useState(false);
  const action = useAction();
  if (!confirming) {
    return (
      <p>
        <button
          type="button"
          className="button"
          onClick={() => {
            setConfirming(true);
          }}
        >
          {text('groupJoining.reset')}
        </button>
      </p>
    );
  }
  return (
    <div className="form" role="group" aria-label={text('groupJoining.reset')}>
      <p className="hint">{text('groupJoining.resetHint')}</p>
      <ErrorText error={action.error} />
      <div className="dialog-actions">
        <button
          type="button"
          className="button button-danger"
          disabled={action.busy}
          onClick={() => {
            action.run(async () => {
              await api.call('groups.resetInvites', { conversationId: group.conversationId });
              setConfirming(false);
              announce(text('groupJoining.linksStopped'));
            });
          }}
        >
          {text('groupJoining.stopLinks')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setConfirming(false);
          }}
        >
          {text('groupJoining.keepLinks')}
        </button>
      </div>
    </div>
  );
}

/** People waiting to be let in: approve or deny, each with a name to go by. */
export function RequestsPanel({ group }: { group: GroupView }) {
  const text = useText();
  const api = useApi();
  const announce = useAnnounce();
  const revision = useConversationRevision(group.conversationId);
  const requests = useLoad(`requests:${group.conversationId}`, revision, () =>
    api.call('groups.requests', { conversationId: group.conversationId }),
  );
  const [denying, setDenying] = useState<JoinRequestView | undefined>(undefined);
  const approve = useAction();

  return (
    <section aria-labelledby="requests-title">
      <h2 id="requests-title" className="panel-title">
        {text('groupJoining.requests')}
      </h2>
      <ErrorText error={requests.error ?? approve.error} />
      {requests.data?.length === 0 && <p className="hint">{text('groupJoining.nobodyWaiting')}</p>}
      <ul className="rows">
        {(requests.data ?? []).map((request) => (
          <li key={request.address} className="row">
            <span className="avatar" aria-hidden="true">
              {initialOf(request.pseudonym)}
            </span>
            <div className="row-main">
              <span className="row-title">{request.pseudonym}</span>
              <span className="row-sub">{text('groupJoining.askedToJoin')}</span>
              {request.introduction !== undefined && (
                <blockquote
                  className="quote request-introduction"
                  aria-label={text('groupJoining.introductionOf', { name: request.pseudonym })}
                >
                  {request.introduction}
                </blockquote>
              )}
            </div>
            <div className="row-actions">
              <button
                type="button"
                className="button button-primary"
                aria-label={text('groupJoining.approveNamed', { name: request.pseudonym })}
                disabled={approve.busy}
                onClick={() => {
                  approve.run(async () => {
                    await api.call('groups.moderate', {
                      conversationId: group.conversationId,
                      action: 'approve',
                      member: request.address,
                    });
                    announce(text('groupJoining.letIn', { name: request.pseudonym }));
                    requests.reload();
                  });
                }}
              >
                {text('groupJoining.approve')}
              </button>
              <button
                type="button"
                className="button"
                aria-label={text('groupJoining.denyNamed', { name: request.pseudonym })}
                onClick={() => {
                  setDenying(request);
                }}
              >
                {text('groupJoining.deny')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {denying !== undefined && (
        <DenyDialog
          group={group}
          request={denying}
          onClose={() => {
            setDenying(undefined);
          }}
          onDone={() => {
            setDenying(undefined);
            requests.reload();
          }}
        />
      )}
    </section>
  );
}

function DenyDialog({
  group,
  request,
  onClose,
  onDone,
}: {
  group: GroupView;
  request: JoinRequestView;
  onClose: () => void;
  onDone: () => void;
}) {
  const text = useText();
  const api = useApi();
  const announce = useAnnounce();
  return (
    <ReasonDialog
      title={text('groupJoining.denyTitle', { name: request.pseudonym })}
      confirmLabel={text('groupJoining.denyConfirm')}
      danger
      reasonHint={text('groupJoining.denyHint')}
      onClose={onClose}
      onConfirm={async (reason) => {
        await api.call('groups.moderate', {
          conversationId: group.conversationId,
          action: 'deny',
          member: request.address,
          ...reason,
        });
        announce(text('groupJoining.denied', { name: request.pseudonym }));
        onDone();
      }}
    />
  );
}
