import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { Icon } from './Icon.dom.js';

export interface DialogProps {
  readonly title: string;
  /** Escape, the close button and the backdrop all call this; the parent unmounts the dialog. */
  readonly onClose: () => void;
  readonly children: ReactNode;
  /** Wider dialogs for forms with several sections. */
  readonly size?: 'normal' | 'wide';
}

/**
 * A modal dialog on the native `<dialog>`: the browser keeps focus inside, makes the rest of the
 * page inert and turns Escape into a cancel. Focus returns where it was when the dialog goes.
 */
export function Dialog({ title, onClose, children, size = 'normal' }: DialogProps) {
  const text = useText();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return undefined;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const onCancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      if (previous?.isConnected === true) previous.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={size === 'wide' ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      onMouseDown={(event) => {
        // A press on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === ref.current) onClose();
      }}
    >
      <div className="dialog-content">
        <div className="dialog-header">
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          <button
            type="button"
            className="icon-button"
            aria-label={text('components.close')}
            onClick={onClose}
          >
            <Icon name="close" />
          </button>
        </div>
        {children}
      </div>
    </dialog>
  );
}

export interface ConfirmDialogProps {
  readonly title: string;
  readonly children: ReactNode;
  readonly confirmLabel: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  readonly busy?: boolean;
  readonly error?: string | undefined;
  readonly danger?: boolean;
}

/** A yes/no question; the confirm button names the action ("Leave group"), never just "OK". */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy = false,
  error,
  danger = false,
}: ConfirmDialogProps) {
  return (
    <Dialog title={title} onClose={onCancel}>
      <div className="dialog-body">{children}</div>
      <ErrorText error={error} />
      <DialogActions
        confirmLabel={confirmLabel}
        onConfirm={onConfirm}
        onCancel={onCancel}
        disabled={busy}
        danger={danger}
      />
    </Dialog>
  );
}

export interface FormDialogProps {
  readonly title: string;
  /** The fields, and anything to read before them. */
  readonly children: ReactNode;
  /** Names the action ("Send report"), never just "OK". */
  readonly submitLabel: string;
  /** Called when the form is sent; the page does not reload. */
  readonly onSubmit: () => void;
  /** Cancel, Escape, the close button and the backdrop all call this. */
  readonly onClose: () => void;
  /** While a call runs, or while the form is not complete. */
  readonly submitDisabled: boolean;
  readonly error: string | undefined;
  readonly danger?: boolean | undefined;
  readonly size?: DialogProps['size'];
}

/** A dialog that asks for a few fields and then acts: Cancel beside a button that names the act. */
export function FormDialog({
  title,
  children,
  submitLabel,
  onSubmit,
  onClose,
  submitDisabled,
  error,
  danger = false,
  size = 'normal',
}: FormDialogProps) {
  return (
    <Dialog title={title} onClose={onClose} size={size}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        {children}
        <ErrorText error={error} />
        <DialogActions
          confirmLabel={submitLabel}
          onCancel={onClose}
          disabled={submitDisabled}
          danger={danger}
        />
      </form>
    </Dialog>
  );
}

/** Cancel, then the action; without `onConfirm` the action button sends the form it is in. */
function DialogActions({
  confirmLabel,
  onConfirm,
  onCancel,
  disabled,
  danger,
}: {
  confirmLabel: string;
  onConfirm?: () => void;
  onCancel: () => void;
  disabled: boolean;
  danger: boolean;
}) {
  const text = useText();
  return (
    <div className="dialog-actions">
      <button type="button" className="button" onClick={onCancel}>
        {text('components.cancel')}
      </button>
      <button
        type={onConfirm === undefined ? 'submit' : 'button'}
        className={danger ? 'button button-danger' : 'button button-primary'}
        onClick={onConfirm}
        disabled={disabled}
      >
        {confirmLabel}
      </button>
    </div>
  );
}

/** An error in plain words, announced when it appears. */
export function ErrorText({ error }: { error: string | undefined }) {
  if (error === undefined || error === '') return null;
  return (
    <p className="error-text" role="alert">
      <Icon name="warning" />
      <span>{error}</span>
    </p>
  );
}
