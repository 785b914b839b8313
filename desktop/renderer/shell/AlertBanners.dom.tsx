import type { AlertAbout, AppEvent, ConversationId } from '../../shared/api.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';

export type AlertNotice = Extract<AppEvent, { type: 'alert' }> & { readonly serial: number };

/** Headings for the alert codes we know; the alert's facts give the detail. */
function alertHeading(code: string): MessageId {
  if (code === 'DESKTOP_GROUP_WARNING') return 'shell.groupWarning';
  if (code.includes('IDENTITY')) return 'shell.safetyWarning';
  return 'shell.attention';
}

/** Each group warning's words, by core's kind (an unknown kind reads as the general one). */
const WARNING_WORDS: Readonly<Record<string, MessageId>> = {
  'forged-operation': 'alerts.forgedOperation',
  fork: 'alerts.fork',
  'withheld-operations': 'alerts.withheldOperations',
  'ghost-member': 'alerts.ghostMember',
  'muted-post': 'alerts.mutedPost',
  'restricted-post': 'alerts.restrictedPost',
  'slow-mode-post': 'alerts.slowModePost',
  'withheld-posts': 'alerts.withheldPosts',
  'reordered-posts': 'alerts.reorderedPosts',
  'facilitator-credential': 'alerts.facilitatorCredential',
};

/** What an alert says happened. */
function alertWords(about: AlertAbout): MessageId {
  switch (about.kind) {
    case 'impersonation':
      return 'alerts.impersonation';
    case 'relay-failure':
      return 'alerts.relayFailure';
    case 'group-warning':
      return WARNING_WORDS[about.warning] ?? 'alerts.otherWarning';
  }
}

/**
 * Things the person must see: an identity key that changed, a relay caught lying. Each stays
 * until it is dismissed.
 */
export function AlertBanners({
  alerts,
  onDismiss,
  onOpen,
}: {
  alerts: readonly AlertNotice[];
  onDismiss: (serial: number) => void;
  onOpen: (id: ConversationId) => void;
}) {
  const text = useText();
  if (alerts.length === 0) return null;
  return (
    <section className="alerts" aria-label={text('shell.alerts')}>
      {alerts.map((alert) => (
        <div key={alert.serial} className="banner banner-alert" role="alert">
          <Icon name="warning" />
          <div className="banner-text">
            <strong>{text(alertHeading(alert.code))}</strong>
            <span>{text(alertWords(alert.about))}</span>
          </div>
          <div className="banner-actions">
            {alert.conversationId !== undefined && (
              <button
                type="button"
                className="button"
                onClick={() => {
                  if (alert.conversationId !== undefined) onOpen(alert.conversationId);
                }}
              >
                {text('shell.openChat')}
              </button>
            )}
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                onDismiss(alert.serial);
              }}
            >
              {text('shell.dismiss')}
            </button>
          </div>
        </div>
      ))}
    </section>
  );
}
