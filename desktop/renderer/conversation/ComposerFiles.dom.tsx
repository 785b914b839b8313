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
  return (
    <>
      <button
        type="button"
        className="icon-button composer-attach"
        aria-label="Attach files"
        title={`Attach files (up to ${MAX_ATTACHMENTS_PER_MESSAGE})`}
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
        aria-label="Files to attach"
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
  const chosen = useChosenFiles(files);
  const notice = useSyncExternalStore(files.subscribe, files.notice);
  const keepNames = useSyncExternalStore(files.subscribe, files.keepNames);
  if (chosen.length === 0 && notice === undefined) return null;
  const names = sentNames(chosen, keepNames);
  return (
    <div className="chosen-files">
      {chosen.length > 0 && (
        <ul className="chosen-file-list" aria-label="Files to send">
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
          Send file names
        </label>
      )}
      {notice !== undefined && (
        <p className="hint" role="status">
          {notice}
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
          <span className="chosen-file-meta chosen-file-sent-name">Sent as {sentName}</span>
        )}
        {staging && (
          <progress
            className="progress"
            max={100}
            value={percent({ done: file.staged, total: file.size })}
            aria-valuenow={percent({ done: file.staged, total: file.size })}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-label={`Preparing ${file.name}`}
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
            aria-label={`Uploading ${file.name}`}
          />
        )}
        {sending && file.state === 'ready' && (
          <span className="chosen-file-meta" aria-hidden="true">
            Uploading… {percent(upload)}%
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
        aria-label={`Remove ${file.name}`}
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
  return (
    <ConfirmDialog
      title="Send without removing hidden details?"
      confirmLabel="Send as it is"
      danger
      onConfirm={onSendAnyway}
      onCancel={onCancel}
    >
      <p>
        Kindred removes hidden details from photos and PDFs before they leave your computer. It
        could not do that for at least one of these files (for example an office document, a locked
        PDF or a file type it does not know).
      </p>
      <p>
        Such details can name you or where you are: the author’s name, the organisation, the
        computer or camera, the place a photo was taken. Anyone in this conversation could read
        them.
      </p>
      <p>
        Nothing was sent. You can send the files as they are, or cancel and remove the file (a
        screenshot or a PDF copy of it would be cleaned).
      </p>
    </ConfirmDialog>
  );
}
