import { toCanvas } from 'qrcode';
import { useEffect, useId, useRef, useState } from 'react';
import { useFormatting } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import type { InviteUseView } from '../../shared/api.std.js';
import { useAnnounce, useApi, useListsRevision, useLoad } from '../kindredContext.dom.js';
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

/**
 * A fresh invite: the link as text with a Copy button, and the same link as a QR code — while it
 * works. Once it is used up, expired or revoked, the panel says so instead, so a dead link is
 * never offered to share.
 */
export function InviteLinkPanel({ label, link, expiresAt, note, qrLabel }: InviteLinkPanelProps) {
  const text = useText();
  const format = useFormatting();
  const fieldId = useId();
  const noteId = useId();
  const announce = useAnnounce();
  const [copied, setCopied] = useState(false);
  const standing = useInviteStanding(link, expiresAt);

  if (standing !== undefined && standing.standing !== 'live') {
    return (
      <div className="invite-panel" role="status">
        <p className="status-line status-bad">
          <Icon name="warning" />
          {standing.standing === 'used-up'
            ? text('components.inviteUsedUp', { uses: standing.uses })
            : standing.standing === 'expired'
              ? text('components.inviteExpired')
              : text('components.inviteRevoked')}
        </p>
      </div>
    );
  }

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

/**
 * Where the link stands, asked again whenever contacts or conversations change (a use, a removal,
 * links reset) and once it expires. Undefined until the first answer.
 */
function useInviteStanding(link: string, expiresAt: number): InviteUseView | undefined {
  const api = useApi();
  const lists = useListsRevision();
  const [pastExpiry, setPastExpiry] = useState(false);
  useEffect(() => {
    const wait = expiresAt - Date.now();
    // setTimeout cannot wait longer than about 24.8 days; a link lasting longer is asked at
    // its next change instead.
    if (expiresAt === 0 || wait > MAX_TIMER_MS) return undefined;
    const timer = setTimeout(
      () => {
        setPastExpiry(true);
      },
      Math.max(0, wait) + EXPIRY_MARGIN_MS,
    );
    return () => {
      clearTimeout(timer);
    };
  }, [expiresAt]);
  return useLoad(`invite-use:${link}`, lists * 2 + (pastExpiry ? 1 : 0), () =>
    api.call('invites.use', { link }),
  ).data;
}

const MAX_TIMER_MS = 2 ** 31 - 1;
/** Asked a moment after the expiry, so the answer is past it on any clock rounding. */
const EXPIRY_MARGIN_MS = 500;

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
