import { useEffect, useId, useRef, type ReactNode } from 'react';
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
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
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
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className={danger ? 'button button-danger' : 'button button-primary'}
          onClick={onConfirm}
          disabled={busy}
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
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
