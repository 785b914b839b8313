import { useState } from 'react';
import { soundsLikeCrisis } from '../../shared/crisisPhrases.std.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useOpenCrisisHelp } from './CrisisHelp.dom.js';
import { mayOffer, quietOffer, useCrisisNoticeOn } from './crisisNotice.dom.js';

/**
 * Above the composer: when the person turned the notice on and their draft sounds like crisis,
 * a gentle offer of the "Get help now" panel. Dismissed (or taken), it stays quiet in this
 * conversation for a while. Reads the draft in the window only; never calls main.
 */
export function CrisisLanguageNotice({
  conversationId,
  draft,
}: {
  conversationId: string;
  draft: string;
}) {
  const text = useText();
  const on = useCrisisNoticeOn();
  const openHelp = useOpenCrisisHelp();
  // Re-render once quieted (the quiet map is outside React).
  const [, setQuieted] = useState(0);
  if (!on || !mayOffer(conversationId) || !soundsLikeCrisis(draft)) return null;
  const quiet = () => {
    quietOffer(conversationId);
    setQuieted((count) => count + 1);
  };
  return (
    <div className="crisis-notice" role="status">
      <p>{text('crisis.noticeText')}</p>
      <div className="crisis-notice-actions">
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            quiet();
            openHelp();
          }}
        >
          {text('crisis.open')}
        </button>
        <button type="button" className="button button-quiet" onClick={quiet}>
          {text('crisis.noticeDismiss')}
        </button>
      </div>
    </div>
  );
}
