import { useState, type ReactNode } from 'react';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAction } from '../kindredContext.dom.js';
import { FormDialog } from './Dialog.dom.js';
import { TextAreaField } from './FormFields.dom.js';

/** The API's optional reason field: absent when none was typed. */
export interface ReasonArgs {
  readonly reason?: string;
}

export interface ReasonDialogProps {
  readonly title: string;
  readonly confirmLabel: string;
  /** For acts that take something away (delete, remove, ban, deny). */
  readonly danger: boolean;
  /** Who will read the reason; said under the field. */
  readonly reasonHint: string;
  readonly onClose: () => void;
  /** Does the act; a failure is shown in the dialog, which stays open. */
  readonly onConfirm: (reason: ReasonArgs) => Promise<void>;
  /** What to read or choose before the reason. */
  readonly children?: ReactNode;
}

/** A moderator's act, confirmed with an optional reason that the moderation log keeps. */
export function ReasonDialog({
  title,
  confirmLabel,
  danger,
  reasonHint,
  onClose,
  onConfirm,
  children,
}: ReasonDialogProps) {
  const [reason, setReason] = useState('');
  const action = useAction();
  const text = useText();
  return (
    <FormDialog
      title={title}
      submitLabel={confirmLabel}
      danger={danger}
      submitDisabled={action.busy}
      error={action.error}
      onClose={onClose}
      onSubmit={() => {
        const trimmed = reason.trim();
        action.run(() => onConfirm(trimmed === '' ? {} : { reason: trimmed }));
      }}
    >
      {children}
      <TextAreaField
        label={text('components.reason')}
        rows={2}
        maxLength={500}
        value={reason}
        onChange={setReason}
        hint={reasonHint}
      />
    </FormDialog>
  );
}
