import { useRef, useSyncExternalStore } from 'react';
import type { ConversationId } from '../../shared/api.std.js';
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../../shared/api.std.js';
import { ConfirmDialog } from '../components/Dialog.dom.js';
import { Icon } from '../components/Icon.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { formatSize } from '../i18n/sizes.dom.js';
import { useApi } from '../kindredContext.dom.js';
import type { ChosenFile, ChosenFiles } from './attachmentTransfers.dom.js';
import { percent, sentNames, uploadKey, useTransfer } from './attachmentTransfers.dom.js';

export function useChosenFiles(files: ChosenFiles): readonly ChosenFile[] {
  return useSyncExternalStore(files.subscribe, files.files);
}

/** The paperclip: a file picker for one or more files. */
export function AttachButton({ files, disabled }: { files: ChosenFiles; disabled: boolean }) {
  const input = useRef<HTMLInputElement>(null);
  const text = useText();
  return (
    <>
      <button
        type="button"
        className="icon-button composer-attach"
        aria-label={text('files.attach')}
        title={text('files.attachTitle', { max: MAX_ATTACHMENTS_PER_MESSAGE })}
        disabled={disabled}
        onClick={() => {
          input.current?.click();
        }}
      >
        <Icon name="paperclip" />
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        aria-label={text('files.toAttach')}
        onChange={(event) => {
          const chosen = event.target.files;
          if (chosen !== null) files.add(chosen);
          // The same file may be chosen again after it was removed.
          event.target.value = '';
        }}
      />
    </>
  );
}

/** The files chosen for the next message, each with its size, a thumbnail and a remove button. */
export function ChosenFileList({
  conversationId,
  files,
  sending,
}: {
  conversationId: ConversationId;
  files: ChosenFiles;
  sending: boolean;
}) {
  const text = useText();
  const chosen = useChosenFiles(files);
  const leftOut = useSyncExternalStore(files.subscribe, files.leftOut);
  const keepNames = useSyncExternalStore(files.subscribe, files.keepNames);
  if (chosen.length === 0 && !leftOut) return null;
  const names = sentNames(chosen, keepNames);
  return (
    <div className="chosen-files">
      {chosen.length > 0 && (
        <ul className="chosen-file-list" aria-label={text('files.toSend')}>
          {chosen.map((file, index) => (
            <ChosenFileItem
              key={file.key}
              conversationId={conversationId}
              file={file}
              index={index}
              sentName={names[index]}
              sending={sending}
              onRemove={() => {
                files.remove(file.key);
              }}
            />
          ))}
        </ul>
      )}
      {chosen.length > 0 && (
        // A file's name often names the patient: it goes only when the person says so.
        <label className="chosen-files-keep-names">
          <input
            type="checkbox"
            checked={keepNames}
            disabled={sending}
            onChange={(event) => {
              files.setKeepNames(event.target.checked);
            }}
          />
          {text('files.sendNames')}
        </label>
      )}
      {leftOut && (
        <p className="hint" role="status">
          {text('files.tooMany', { max: MAX_ATTACHMENTS_PER_MESSAGE })}
        </p>
      )}
    </div>
  );
}

function ChosenFileItem({
  conversationId,
  file,
  index,
  sentName,
  sending,
  onRemove,
}: {
  conversationId: ConversationId;
  file: ChosenFile;
  index: number;
  sentName: string | undefined;
  sending: boolean;
  onRemove: () => void;
}) {
  const upload = useTransfer(useApi(), uploadKey(conversationId, index));
  const text = useText();
  const staging = file.state === 'staging';
  return (
    <li className={file.state === 'failed' ? 'chosen-file chosen-file-failed' : 'chosen-file'}>
      {file.thumbnail !== undefined ? (
        <img className="chosen-file-thumbnail" src={file.thumbnail} alt="" />
      ) : (
        <Icon name="file" className="chosen-file-icon" />
      )}
      <div className="chosen-file-details">
        <span className="chosen-file-name">{file.name}</span>
        <span className="chosen-file-meta">{formatSize(text, file.size)}</span>
        {sentName !== undefined && (
          <span className="chosen-file-meta chosen-file-sent-name">
            {text('files.sentAs', { name: sentName })}
          </span>
        )}
        {staging && (
          <progress
            className="progress"
            max={100}
            value={percent({ done: file.staged, total: file.size })}
            aria-valuenow={percent({ done: file.staged, total: file.size })}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-label={text('files.preparing', { name: file.name })}
          />
        )}
        {sending && file.state === 'ready' && (
          <progress
            className="progress"
            max={100}
            value={percent(upload)}
            aria-valuenow={percent(upload)}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-label={text('files.uploadingNamed', { name: file.name })}
          />
        )}
        {sending && file.state === 'ready' && (
          <span className="chosen-file-meta" aria-hidden="true">
            {text('files.uploading', { percent: percent(upload) })}
          </span>
        )}
        {file.error !== undefined && (
          <span className="chosen-file-error" role="alert">
            {file.error}
          </span>
        )}
      </div>
      <button
        type="button"
        className="icon-button"
        aria-label={text('files.remove', { name: file.name })}
        disabled={sending}
        onClick={onRemove}
      >
        <Icon name="close" />
      </button>
    </li>
  );
}

/**
 * Asked before a file whose hidden details cannot be removed goes out: core refused to send it
 * (CORE_ATTACHMENT_NOT_CLEANED), and only the person may decide to send it as it is.
 */
export function UncleanedFilesDialog({
  onSendAnyway,
  onCancel,
}: {
  onSendAnyway: () => void;
  onCancel: () => void;
}) {
  const text = useText();
  return (
    <ConfirmDialog
      title={text('files.uncleanedTitle')}
      confirmLabel={text('files.uncleanedConfirm')}
      danger
      onConfirm={onSendAnyway}
      onCancel={onCancel}
    >
      <p>{text('files.uncleanedWhy')}</p>
      <p>{text('files.uncleanedRisk')}</p>
      <p>{text('files.uncleanedChoice')}</p>
    </ConfirmDialog>
  );
}
