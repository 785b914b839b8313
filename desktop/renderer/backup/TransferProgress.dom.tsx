import { useEffect, useState } from 'react';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { formatSize } from '../i18n/sizes.dom.js';
import { useApi } from '../kindredContext.dom.js';

/** Bytes done of `total` (undefined: not known yet), for one step of a backup or a restore. */
export interface ProgressState {
  readonly label: string;
  readonly done: number;
  readonly total?: number;
}

/**
 * Main's `backup-progress` events for `stage` while `active`: how much of the backup was written,
 * or of the restore read. Undefined until the first one.
 */
export function useMainProgress(
  stage: 'backup' | 'restore',
  active: boolean,
): { bytes: number; total?: number } | undefined {
  const api = useApi();
  const [progress, setProgress] = useState<{ bytes: number; total?: number } | undefined>();
  useEffect(() => {
    if (!active) {
      setProgress(undefined);
      return undefined;
    }
    return api.onEvent((event) => {
      if (event.type !== 'backup-progress' || event.stage !== stage) return;
      setProgress(
        event.total === undefined
          ? { bytes: event.bytes }
          : { bytes: event.bytes, total: event.total },
      );
    });
  }, [api, stage, active]);
  return progress;
}

/** A labelled progress bar with the amount in words (a bar without `total` just moves). */
export function TransferProgress({ progress }: { progress: ProgressState }) {
  const text = useText();
  const { label, done, total } = progress;
  const percent =
    total === undefined || total === 0
      ? undefined
      : Math.min(100, Math.floor((done / total) * 100));
  return (
    <div className="transfer-progress">
      {percent === undefined ? (
        <progress aria-label={label} />
      ) : (
        <progress aria-label={label} max={100} value={percent} />
      )}
      <p className="hint">
        {total === undefined
          ? text('backup.progress', { label, done: formatSize(text, done) })
          : text('backup.progressOf', {
              label,
              done: formatSize(text, done),
              total: formatSize(text, total),
              percent: percent ?? 0,
            })}
      </p>
    </div>
  );
}
