import type { DragEvent } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ConversationId } from '../../shared/api.std.js';
import type { KindredApi } from '../bridge.dom.js';
import type { TransferTracker } from './attachmentTransfers.dom.js';
import { ChosenFiles, transferTrackerFor } from './attachmentTransfers.dom.js';

export interface ConversationFiles {
  readonly tracker: TransferTracker;
  readonly chosen: ChosenFiles;
  /** Files are being dragged over the conversation (it shows where they will go). */
  readonly dragging: boolean;
  readonly dropHandlers: {
    readonly onDragEnter: (event: DragEvent) => void;
    readonly onDragOver: (event: DragEvent) => void;
    readonly onDragLeave: (event: DragEvent) => void;
    readonly onDrop: (event: DragEvent) => void;
  };
}

function carriesFiles(event: DragEvent): boolean {
  // 'Files' is the type a drag of files carries, not words.
  return event.dataTransfer.types.some((type) => type === 'Files');
}

/**
 * One conversation's attachments in the window: the progress of transfers (from `transfer`
 * events), the files chosen for the next message (staged as soon as chosen, removed when the
 * conversation closes unsent) and dropping files anywhere on the conversation to attach them.
 */
export function useConversationFiles(
  api: KindredApi,
  conversationId: ConversationId,
): ConversationFiles {
  const tracker = transferTrackerFor(api);
  const chosen = useMemo(() => new ChosenFiles(api), [api, conversationId]);
  useEffect(
    () => () => {
      chosen.dispose();
    },
    [chosen],
  );

  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them to know when it really left.
  const depth = useRef(0);
  const dropHandlers = useMemo(
    () => ({
      onDragEnter: (event: DragEvent) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth.current++;
        setDragging(true);
      },
      onDragOver: (event: DragEvent) => {
        if (!carriesFiles(event)) return;
        // Without this the browser would open the file instead of dropping it here.
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      },
      onDragLeave: (event: DragEvent) => {
        if (!carriesFiles(event)) return;
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setDragging(false);
      },
      onDrop: (event: DragEvent) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        depth.current = 0;
        setDragging(false);
        chosen.add(event.dataTransfer.files);
      },
    }),
    [chosen],
  );
  return { tracker, chosen, dragging, dropHandlers };
}
