import { useEffect, useRef } from 'react';

/** Two presses of Escape closer than this are a quick exit. */
const DOUBLE_ESCAPE_MS = 500;

/**
 * Quick exit from the keyboard: Ctrl+Shift+Q, or Escape twice in quick succession. Listens in the
 * capture phase so no dialog or field can swallow the keys first.
 */
export function useQuickExitShortcut(onExit: () => void): void {
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
      if (event.key !== 'Escape' || event.repeat) return;
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
  }, []);
}
