import { toCanvas } from 'qrcode';
import { useEffect, useId, useRef, useState } from 'react';
import { useFormatting } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { useAnnounce } from '../kindredContext.dom.js';
import { Icon } from './Icon.dom.js';

export interface InviteLinkPanelProps {
  /** The text field's label ("Your invite link", "Group invite link"). */
  readonly label: string;
  readonly link: string;
  readonly expiresAt: number;
  /** Who the link is for, read under it ("Anyone with this link can…"). */
  readonly note: string;
  /** The QR code's accessible name ("QR code for joining the group"). */
  readonly qrLabel: string;
}

/** A fresh invite: the link as text with a Copy button, and the same link as a QR code. */
export function InviteLinkPanel({ label, link, expiresAt, note, qrLabel }: InviteLinkPanelProps) {
  const text = useText();
  const format = useFormatting();
  const fieldId = useId();
  const noteId = useId();
  const announce = useAnnounce();
  const [copied, setCopied] = useState(false);

  const copy = () => {
    void copyText(link).then((ok) => {
      setCopied(ok);
      announce(ok ? text('components.linkCopied') : text('components.copyFailed'));
    });
  };

  return (
    <div className="invite-panel">
      <div className="invite-text">
        <label htmlFor={fieldId} className="field-label">
          {label}
        </label>
        <textarea
          id={fieldId}
          className="input invite-link"
          readOnly
          rows={4}
          value={link}
          aria-describedby={noteId}
          onFocus={(event) => {
            event.currentTarget.select();
          }}
        />
        <p id={noteId} className="hint">
          {text('components.linkNote', { note, time: format.fullTime(expiresAt) })}
        </p>
        <button type="button" className="button" onClick={copy}>
          <Icon name={copied ? 'check' : 'copy'} />
          {copied ? text('components.copied') : text('components.copyLink')}
        </button>
      </div>
      <QrCode text={link} label={qrLabel} />
    </div>
  );
}

/** The link drawn as a QR code on a canvas, to scan from another device. */
export function QrCode({ text: link, label }: { text: string; label: string }) {
  const text = useText();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const canvas = canvasRef.current;
    if (canvas === null) return;
    setFailed(false);
    toCanvas(canvas, link, { width: 208, margin: 2, errorCorrectionLevel: 'M' }).catch(() => {
      setFailed(true);
    });
  }, [link]);
  return (
    <figure className="qr">
      <canvas ref={canvasRef} className="qr-canvas" role="img" aria-label={label} />
      {failed && <figcaption className="hint">{text('components.qrTooLong')}</figcaption>}
    </figure>
  );
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
