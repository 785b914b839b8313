import { useState } from 'react';
import type { DeliveryFailure, MessageView } from '../../shared/api.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { describeError, useApi } from '../kindredContext.dom.js';

/** Why a message was not delivered, by the reason main sends (apiViews.std.ts). */
const FAILURE_WORDS: Readonly<Record<DeliveryFailure, MessageId>> = {
  'unknown-recipient': 'deliveryReasons.unknownRecipient',
  'access-denied': 'deliveryReasons.accessDenied',
  'mailbox-full': 'deliveryReasons.mailboxFull',
  'too-large': 'deliveryReasons.tooLarge',
  'rate-limited': 'deliveryReasons.rateLimited',
  'bad-retention': 'deliveryReasons.badRetention',
  unreachable: 'deliveryReasons.unreachable',
  timeout: 'deliveryReasons.timeout',
  'link-used': 'deliveryReasons.linkUsed',
  other: 'deliveryReasons.other',
};

/**
 * Where one of our messages stands, and only what is true: "Sending…" until the relay took it,
 * "Sent" (the relay holds it), "Delivered" (their device stored it: their receipt), "Read" (it
 * was on their screen: only from someone who sends us read receipts), or "Not delivered" with
 * the reason and a Retry button. A group message never goes past "Sent" (docs/messages.md).
 */
export function DeliveryMark({
  message,
  online,
  conversationId,
}: {
  message: MessageView;
  online: boolean;
  conversationId: string;
}) {
  const text = useText();
  // A request not accepted yet: no receipt can come, so no delivery state is claimed.
  if (message.asRequest === true && message.delivery !== 'failed') {
    return (
      <span className="delivery delivery-request">
        <Icon name="clock" />
        {text('requests.sentAsRequest')}
      </span>
    );
  }
  switch (message.delivery) {
    case 'pending':
      return (
        <span className="delivery delivery-pending">
          <Icon name="clock" />
          {online ? text('delivery.sending') : text('delivery.waiting')}
        </span>
      );
    case 'sent':
      return (
        <span className="delivery delivery-sent">
          <Icon name="check" />
          {text('delivery.sent')}
        </span>
      );
    case 'delivered':
      return (
        <span className="delivery delivery-delivered">
          <Icon name="check" />
          {text('delivery.delivered')}
        </span>
      );
    case 'read':
      return (
        <span className="delivery delivery-read">
          <Icon name="check" />
          {text('delivery.read')}
        </span>
      );
    case 'failed':
      return <NotDelivered message={message} conversationId={conversationId} />;
    case 'received':
      return null;
  }
}

function NotDelivered({
  message,
  conversationId,
}: {
  message: MessageView;
  conversationId: string;
}) {
  const api = useApi();
  const text = useText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  // Group messages keep "Not sent" (their outbox retries on its own; no retry call for them).
  const retryable = message.failure !== undefined && conversationId !== '';
  return (
    <span className="delivery delivery-failed">
      <Icon name="warning" />
      {message.failure === undefined
        ? text('delivery.notSent')
        : text('delivery.notDelivered', { reason: text(FAILURE_WORDS[message.failure]) })}
      {retryable && (
        <button
          type="button"
          className="delivery-retry"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            setError(undefined);
            api.call('conversations.retry', { conversationId, messageId: message.id }).then(
              () => {
                setBusy(false);
              },
              (failure: unknown) => {
                setBusy(false);
                setError(describeError(failure));
              },
            );
          }}
        >
          {text('delivery.retry')}
        </button>
      )}
      {error !== undefined && <span role="alert">{error}</span>}
    </span>
  );
}
