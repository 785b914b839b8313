import { useEffect, useRef } from 'react';
import { anyLayerOpen } from './components/openLayers.dom.js';

/** Two presses of Escape closer than this are a quick exit (when that setting is on). */
const DOUBLE_ESCAPE_MS = 500;

/**
 * Quick exit from the keyboard: Ctrl+Shift+Q always; Escape twice in quick succession only when
 * `escapeTwice` is on (Settings, off by default) and only when nothing is open: an Escape that
 * closes a dialog, a menu, a popover or a reply in progress is that, and never the first half of
 * a quick exit. Listens in the capture phase, so it sees what is open before the Escape closes it
 * and no field can swallow the keys first.
 */
export function useQuickExitShortcut(onExit: () => void, escapeTwice: boolean): void {
  const onExitRef = useRef(onExit);
  onExitRef.current = onExit;
  useEffect(() => {
    let lastEscape = 0;
    const onKeyDown = (event: KeyboardEvent) => {
      if (
        event.ctrlKey &&
        event.shiftKey &&
        (event.code === 'KeyQ' || event.key.toLowerCase() === 'q')
      ) {
        event.preventDefault();
        onExitRef.current();
        return;
      }
      if (!escapeTwice || event.key !== 'Escape' || event.repeat) return;
      if (anyLayerOpen()) {
        lastEscape = 0;
        return;
      }
      const now = event.timeStamp;
      if (lastEscape !== 0 && now - lastEscape < DOUBLE_ESCAPE_MS) {
        lastEscape = 0;
        onExitRef.current();
        return;
      }
      lastEscape = now;
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
    };
  }, [escapeTwice]);
}
