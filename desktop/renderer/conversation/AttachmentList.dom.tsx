import { useEffect, useState } from 'react';
import type { AttachmentView, MessageView } from '../../shared/api.std.js';
import { Dialog, ErrorText } from '../components/Dialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useText, type TextOf } from '../i18n/LanguageProvider.dom.js';
import { formatSize } from '../i18n/sizes.dom.js';
import { useAction, useApi } from '../kindredContext.dom.js';
import { downloadKey, percent, readAttachment, useTransfer } from './attachmentTransfers.dom.js';

/** The files of a message: previews of images, cards for other files, progress, open and save. */
export function AttachmentList({
  message,
  conversationId,
}: {
  message: MessageView;
  conversationId: string;
}) {
  const attachments = message.attachments;
  if (attachments === undefined || message.deleted) return null;
  return (
    <AttachmentItems
      attachments={attachments}
      conversationId={conversationId}
      messageId={message.id}
    />
  );
}

/**
 * The files of one message of a conversation, wherever the window shows them (a chat, a journal
 * update): previews, progress, the viewer and "Save as…", through the conversation's calls.
 */
export function AttachmentItems({
  attachments,
  conversationId,
  messageId,
}: {
  attachments: readonly AttachmentView[];
  conversationId: string;
  messageId: string;
}) {
  const text = useText();
  if (attachments.length === 0) return null;
  return (
    <ul className="attachments" aria-label={text('attachments.list')}>
      {attachments.map((attachment) => (
        <AttachmentItem
          key={attachment.index}
          conversationId={conversationId}
          messageId={messageId}
          attachment={attachment}
        />
      ))}
    </ul>
  );
}

/** A file's kind in words, from its content type. */
export function kindWords(text: TextOf, contentType: string): string {
  if (contentType === 'application/pdf') return text('attachments.pdf');
  if (contentType.startsWith('image/')) {
    return text('attachments.image', { format: contentType.slice(6).toUpperCase() });
  }
  if (contentType.startsWith('application/vnd.openxmlformats-officedocument')) {
    return text('attachments.office');
  }
  if (contentType.startsWith('text/')) return text('attachments.text');
  return text('attachments.file');
}

/** Why a download failed, in words, by the error code the main process recorded. */
function failureWords(text: TextOf, code: string | undefined): string {
  switch (code) {
    case 'CORE_ATTACHMENT_CORRUPT':
      return text('attachments.corrupt');
    case 'CORE_BLOB_NOT_FOUND':
      return text('attachments.notFound');
    default:
      return text('attachments.failed');
  }
}

function AttachmentItem({
  conversationId,
  messageId,
  attachment,
}: {
  conversationId: string;
  messageId: string;
  attachment: AttachmentView;
}) {
  const api = useApi();
  const text = useText();
  const progress = useTransfer(api, downloadKey(conversationId, messageId, attachment.index));
  const action = useAction();
  const [viewing, setViewing] = useState<{ url: string; name: string } | undefined>(undefined);
  const label = attachment.name === '' ? text('attachments.unnamed') : attachment.name;
  const isImage = attachment.contentType.startsWith('image/');
  const waiting = attachment.state === 'pending' || attachment.state === 'downloading';
  const checking = waiting && progress !== undefined && progress.done >= progress.total;

  useEffect(
    () => () => {
      if (viewing !== undefined) URL.revokeObjectURL(viewing.url);
    },
    [viewing],
  );

  const open = () => {
    action.run(async () => {
      const { blob, name } = await readAttachment(api, conversationId, messageId, attachment.index);
      setViewing({ url: URL.createObjectURL(blob), name: name === '' ? label : name });
    });
  };

  const save = () => {
    action.run(async () => {
      if (api.inElectron) {
        await api.call('attachments.saveAs', {
          conversationId,
          messageId,
          index: attachment.index,
        });
        return;
      }
      // A browser page cannot write files: the bytes become a download the browser saves.
      const { blob, name } = await readAttachment(api, conversationId, messageId, attachment.index);
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = name === '' ? label : name;
      link.rel = 'noopener';
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => {
        URL.revokeObjectURL(url);
      }, 60_000);
    });
  };

  const retry = () => {
    action.run(async () => {
      await api.call('attachments.retry', { conversationId, messageId });
    });
  };

  return (
    <li className={attachment.preview === undefined ? 'attachment attachment-file' : 'attachment'}>
      {attachment.preview !== undefined ? (
        <img
          className="attachment-preview"
          src={attachment.preview}
          alt={text('attachments.preview', { name: label })}
          {...(attachment.width === undefined || attachment.height === undefined
            ? {}
            : { width: attachment.width, height: attachment.height })}
        />
      ) : (
        <Icon name={isImage ? 'image' : 'file'} className="attachment-icon" />
      )}
      <div className="attachment-details">
        <span className="attachment-name">{label}</span>
        <span className="attachment-meta">
          {text('attachments.meta', {
            size: formatSize(text, attachment.size),
            kind: kindWords(text, attachment.contentType),
          })}
        </span>
        {waiting && (
          <progress
            className="progress"
            max={100}
            value={percent(progress)}
            aria-valuenow={percent(progress)}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-label={text('attachments.downloading', { name: label })}
          />
        )}
        {waiting && (
          <span className="attachment-meta" aria-hidden="true">
            {checking
              ? text('attachments.checking')
              : text('attachments.progress', { percent: percent(progress) })}
          </span>
        )}
        {attachment.state === 'failed' && (
          <span className="attachment-failed" role="status">
            <Icon name="warning" />
            {failureWords(text, attachment.error)}
          </span>
        )}
        <ErrorText error={action.error} />
        <div className="attachment-actions">
          {attachment.state === 'downloaded' && isImage && (
            <button
              type="button"
              className="button button-quiet"
              aria-label={text('attachments.openNamed', { name: label })}
              disabled={action.busy}
              onClick={open}
            >
              <Icon name="image" />
              {text('attachments.open')}
            </button>
          )}
          {attachment.state === 'downloaded' && (
            <button
              type="button"
              className="button button-quiet"
              aria-label={text('attachments.saveNamed', { name: label })}
              disabled={action.busy}
              onClick={save}
            >
              <Icon name="download" />
              {text('attachments.save')}
            </button>
          )}
          {attachment.state === 'failed' && (
            <button
              type="button"
              className="button button-quiet"
              aria-label={text('attachments.retryNamed', { name: label })}
              disabled={action.busy}
              onClick={retry}
            >
              {text('attachments.retry')}
            </button>
          )}
        </div>
      </div>
      {viewing !== undefined && (
        <Dialog
          title={viewing.name}
          size="wide"
          onClose={() => {
            setViewing(undefined);
          }}
        >
          <img className="attachment-full" src={viewing.url} alt={viewing.name} />
        </Dialog>
      )}
    </li>
  );
}
