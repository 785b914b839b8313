import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { CrisisPanel } from './CrisisPanel.dom.js';

/** Opens the "Get help now" panel; everything under CrisisHelp can call it. */
const OpenCrisisHelp = createContext<() => void>(() => undefined);

/**
 * "Get help now" on every screen: holds the panel and its shortcut, Ctrl+Shift+H (Cmd+Shift+H on
 * a Mac), which works whatever has the focus, before the vault opens too. Listens in the capture
 * phase, like quick exit, so no field can swallow the keys first.
 */
export function CrisisHelp({ children }: { children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const openPanel = useCallback(() => {
    setOpen(true);
  }, []);
  useCrisisShortcut(openPanel);
  return (
    <OpenCrisisHelp value={openPanel}>
      {children}
      {open && (
        <CrisisPanel
          onClose={() => {
            setOpen(false);
          }}
        />
      )}
    </OpenCrisisHelp>
  );
}

/** The visible way in: a button for the top bar, or (`floating`) the corner of a welcome screen. */
export function GetHelpButton({ floating = false }: { floating?: boolean }) {
  const text = useText();
  const openPanel = useContext(OpenCrisisHelp);
  return (
    <button
      type="button"
      className={floating ? 'button get-help get-help-floating' : 'button get-help'}
      aria-keyshortcuts="Control+Shift+H"
      title={text('crisis.openTitle')}
      onClick={openPanel}
    >
      {text('crisis.open')}
    </button>
  );
}

/** Opens the "Get help now" panel (for the crisis-language notice's offer). */
export function useOpenCrisisHelp(): () => void {
  return useContext(OpenCrisisHelp);
}

function useCrisisShortcut(onOpen: () => void): void {
  const onOpenRef = useRef(onOpen);
  onOpenRef.current = onOpen;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || !event.shiftKey || event.altKey) return;
      if (event.code !== 'KeyH' && event.key.toLowerCase() !== 'h') return;
      event.preventDefault();
      onOpenRef.current();
    };
    window.addEventListener('keydown', onKeyDown, { capture: true });
    return () => {
      window.removeEventListener('keydown', onKeyDown, { capture: true });
    };
  }, []);
}
