import { Fragment, useId, useState } from 'react';
import type { ConversationId } from '../../shared/api.std.js';
import { ConfirmDialog, Dialog, ErrorText } from '../components/Dialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction, useApi, useAnnounce, useLoad } from '../kindredContext.dom.js';

const SPACE = ' ';

/** Only digits count when comparing; spaces and dashes are how people write them down. */
function digitsOnly(text: string): string {
  return text.replace(/\D/gu, '');
}

/**
 * The safety number of a 1:1 chat: twelve groups of five digits to compare with the contact's
 * (in person, or on a call you trust). A pasted copy of theirs is compared here, and a match
 * marks the contact verified at once; without one, marking it verified asks once more.
 */
export function SafetyNumberDialog({
  conversationId,
  name,
  onClose,
}: {
  conversationId: ConversationId;
  name: string;
  onClose: () => void;
}) {
  const api = useApi();
  const id = useId();
  const announce = useAnnounce();
  const [revision, setRevision] = useState(0);
  const safety = useLoad(`safety:${conversationId}`, revision, () =>
    api.call('contacts.safetyNumber', { conversationId }),
  );
  const [theirs, setTheirs] = useState('');
  const [confirming, setConfirming] = useState(false);
  const verify = useAction();
  const text = useText();

  const digits = safety.data?.digits ?? '';
  const groups = digits.split(/\s+/u).filter((group) => group !== '');
  const typed = digitsOnly(theirs);
  const comparison =
    typed === '' ? undefined : typed === digitsOnly(digits) ? 'match' : 'different';

  const markVerified = (): void => {
    verify.run(async () => {
      await api.call('contacts.verify', {
        conversationId,
        digits: typed === '' ? digits : theirs,
      });
      announce(text('contacts.markedVerified', { name }));
      setConfirming(false);
      setRevision((count) => count + 1);
    });
  };

  if (confirming) {
    return (
      <ConfirmDialog
        title={text('contacts.markVerifiedTitle', { name })}
        confirmLabel={text('contacts.markVerified')}
        busy={verify.busy}
        error={verify.error}
        onCancel={() => {
          setConfirming(false);
        }}
        onConfirm={markVerified}
      >
        <p>{text('contacts.markVerifiedWarning', { name })}</p>
      </ConfirmDialog>
    );
  }

  return (
    <Dialog title={text('contacts.safetyNumberWith', { name })} onClose={onClose}>
      <div className="dialog-body">
        <p>{text('contacts.compare', { name })}</p>
        <ErrorText error={safety.error} />
        <ErrorText error={verify.error} />
        {safety.data !== undefined && (
          <>
            {/* Read out, not only labelled: a screen reader moves through the twelve groups
                (the spaces keep them apart when copied or read as text). */}
            <div
              className="safety-number"
              role="group"
              aria-label={text('contacts.safetyNumber')}
              // Digits read left to right in every language, so two screens compare group by group.
              dir="ltr"
            >
              {groups.map((group, index) => (
                <Fragment key={index}>
                  {index > 0 && SPACE}
                  <span className="safety-group">{group}</span>
                </Fragment>
              ))}
            </div>
            <p className={safety.data.verified ? 'status-line status-good' : 'status-line'}>
              <Icon name={safety.data.verified ? 'verified' : 'info'} />
              {text(safety.data.verified ? 'contacts.youVerified' : 'contacts.notVerifiedYet', {
                name,
              })}
            </p>
            <div className="field">
              <label className="field-label" htmlFor={`${id}-theirs`}>
                {text('contacts.theirNumber')}
              </label>
              <textarea
                id={`${id}-theirs`}
                className="input mono"
                rows={2}
                value={theirs}
                spellCheck={false}
                aria-describedby={`${id}-comparison`}
                onChange={(event) => {
                  setTheirs(event.target.value);
                }}
              />
              <p id={`${id}-comparison`} className="hint" aria-live="polite">
                {comparison === 'match' && (
                  <span className="status-good">
                    <Icon name="check" /> {text('contacts.numbersMatch')}
                  </span>
                )}
                {comparison === 'different' && (
                  <span className="status-bad">
                    <Icon name="warning" /> {text('contacts.numbersDiffer', { name })}
                  </span>
                )}
              </p>
            </div>
          </>
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {text('contacts.done')}
        </button>
        {safety.data !== undefined && (
          <button
            type="button"
            className="button button-primary"
            disabled={comparison === 'different' || verify.busy}
            onClick={() => {
              // Their number, pasted, matched ours: that was the comparison the question asks
              // about, so it is not asked again. Otherwise the person confirms they compared.
              if (comparison === 'match') markVerified();
              else setConfirming(true);
            }}
          >
            {text(safety.data.verified ? 'contacts.verifyAgain' : 'contacts.markVerified')}
          </button>
        )}
      </div>
    </Dialog>
  );
}
