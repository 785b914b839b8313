import { useState } from 'react';
import type { MessageRequestView, RequestMessageView } from '../../shared/api.std.js';
import { warningWords } from '../../shared/i18n/warningWords.std.js';
import { ConfirmDialog, ErrorText } from '../components/Dialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { ReasonDialog } from '../components/ReasonDialog.dom.js';
import { formatFullTime, initialOf, isoTime } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import {
  useAction,
  useAnnounce,
  useApi,
  useListsRevision,
  useLoad,
} from '../kindredContext.dom.js';
import { useNavigate } from '../shell/navigation.dom.js';

/** Between the warning's kind and its words (kept out of JSX text, which is for words). */
const SPACE = ' ';
/** Between the group and the persona a request was written to. */
const DOT = ' · ';

type Asking = 'decline' | 'block' | 'report';

/**
 * The requests inbox (docs/messages.md, "Message requests"): first messages from fellow group
 * members who are not contacts. Nothing of them shows anywhere else until accepted, and the
 * sender learns nothing either way. Accept opens the conversation; decline, block and report are
 * confirmed first, and each outcome is said in words.
 */
export function RequestsScreen() {
  const text = useText();
  const api = useApi();
  const revision = useListsRevision();
  const requests = useLoad('requests', revision, () => api.call('requests.list', {}));
  const [outcome, setOutcome] = useState<string | undefined>(undefined);
  const list = requests.data ?? [];
  return (
    <section className="screen" aria-labelledby="requests-title">
      <h1 id="requests-title" tabIndex={-1}>
        {text('requests.nav')}
      </h1>
      <p className="lead">{text('requests.intro')}</p>
      {outcome !== undefined && (
        <p className="request-outcome" role="status">
          {outcome}
        </p>
      )}
      <ErrorText error={requests.error} />
      {requests.data !== undefined && list.length === 0 && (
        <p className="hint">{text('requests.none')}</p>
      )}
      {list.length > 0 && (
        <ul className="request-list" aria-label={text('requests.listLabel')}>
          {list.map((request) => (
            <li key={request.id}>
              <RequestCard
                request={request}
                onOutcome={(words) => {
                  setOutcome(words);
                  requests.reload();
                }}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RequestCard({
  request,
  onOutcome,
}: {
  request: MessageRequestView;
  onOutcome: (words: string) => void;
}) {
  const text = useText();
  const api = useApi();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const accept = useAction();
  const confirm = useAction();
  const [asking, setAsking] = useState<Asking | undefined>(undefined);
  const name = request.from;
  const group = request.groupName === '' ? text('requests.someGroup') : request.groupName;
  const headingId = `request-${request.id}`;

  const act = (work: () => Promise<string>) => {
    confirm.run(async () => {
      const words = await work();
      setAsking(undefined);
      announce(words);
      onOutcome(words);
    });
  };

  return (
    <article className="card request-card" aria-labelledby={headingId}>
      <header className="request-head">
        <span className="avatar" aria-hidden="true">
          {initialOf(name)}
        </span>
        <div className="row-main">
          <h2 id={headingId} className="row-title">
            {name}
          </h2>
          <span className="row-sub">
            {text('requests.via', { group })}
            {DOT}
            {text('requests.toPersona', { persona: request.persona.pseudonym })}
          </span>
        </div>
        <time className="row-aside" dateTime={isoTime(request.receivedAt)}>
          {formatFullTime(request.receivedAt)}
        </time>
      </header>
      <ol className="request-messages" aria-label={text('requests.messagesLabel', { name })}>
        {request.messages.map((message) => (
          <li key={message.id}>
            <RequestMessage message={message} />
          </li>
        ))}
      </ol>
      <ErrorText error={accept.error} />
      <div className="request-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={accept.busy}
          onClick={() => {
            accept.run(async () => {
              const { conversationId } = await api.call('requests.accept', {
                requestId: request.id,
              });
              announce(text('requests.accepted', { name }));
              navigate({ kind: 'conversation', id: conversationId });
            });
          }}
        >
          <Icon name="check" />
          {text('requests.accept')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setAsking('decline');
          }}
        >
          {text('requests.decline')}
        </button>
        <button
          type="button"
          className="button button-danger"
          onClick={() => {
            setAsking('block');
          }}
        >
          {text('requests.block')}
        </button>
        <button
          type="button"
          className="button"
          onClick={() => {
            setAsking('report');
          }}
        >
          <Icon name="shield" />
          {text('requests.report')}
        </button>
      </div>
      {(asking === 'decline' || asking === 'block') && (
        <ConfirmDialog
          title={text(asking === 'block' ? 'requests.blockTitle' : 'requests.declineTitle', {
            name,
          })}
          confirmLabel={text(asking === 'block' ? 'requests.block' : 'requests.decline')}
          danger
          busy={confirm.busy}
          error={confirm.error}
          onCancel={() => {
            setAsking(undefined);
          }}
          onConfirm={() => {
            if (asking === 'block') {
              act(async () => {
                const { revokedAtRelay } = await api.call('requests.block', {
                  requestId: request.id,
                });
                return text(revokedAtRelay ? 'requests.blocked' : 'requests.blockedLater');
              });
            } else {
              act(async () => {
                await api.call('requests.decline', { requestId: request.id });
                return text('requests.declined', { name });
              });
            }
          }}
        >
          <p>
            {text(asking === 'block' ? 'requests.blockExplain' : 'requests.declineExplain', {
              name,
            })}
          </p>
        </ConfirmDialog>
      )}
      {asking === 'report' && (
        <ReasonDialog
          title={text('requests.reportTitle', { name })}
          confirmLabel={text('requests.reportSend')}
          danger={false}
          reasonHint={text('requests.reportHint', { group })}
          onClose={() => {
            setAsking(undefined);
          }}
          onConfirm={async (reason) => {
            const { sentTo } = await api.call('requests.report', {
              requestId: request.id,
              ...reason,
            });
            const words = text('requests.reported', { count: sentTo });
            setAsking(undefined);
            announce(words);
            onOutcome(words);
          }}
        >
          <p>{text('requests.reportExplain', { name, group })}</p>
        </ReasonDialog>
      )}
    </article>
  );
}

/** One of the request's messages; one under a content warning stays covered until asked. */
function RequestMessage({ message }: { message: RequestMessageView }) {
  const text = useText();
  const [revealed, setRevealed] = useState(false);
  if (message.warning !== undefined && !revealed) {
    return (
      <div className="message-cover">
        <Icon name="warning" />
        <p className="message-cover-text">
          <span className="message-cover-kind">{text('delivery.warningKind')}</span>
          {SPACE}
          <span className="message-cover-label">{warningWords(text, message.warning)}</span>
        </p>
        <button
          type="button"
          className="button message-cover-reveal"
          onClick={() => {
            setRevealed(true);
          }}
        >
          {text('delivery.reveal')}
        </button>
      </div>
    );
  }
  return <p className="request-text">{message.text}</p>;
}
