import { useEffect, useRef, type RefObject } from 'react';

/**
 * Where the keyboard starts once the vault opens (after creating it or unlocking it): on the chat
 * list's current chat, or, with no chat yet, on the first thing to do in the main area. Once per
 * opening, when the chat list has loaded, and only if focus is still nowhere in particular (the
 * person may have moved it already).
 */
export function useFocusOnArrival(listLoaded: boolean, mainRef: RefObject<HTMLElement | null>) {
  const done = useRef(false);
  useEffect(() => {
    if (!listLoaded || done.current) return;
    done.current = true;
    const active = document.activeElement;
    if (active !== null && active !== document.body) return;
    const chat = document.querySelector<HTMLElement>('.chat-list .chat-item-open[tabindex="0"]');
    const first = mainRef.current?.querySelector<HTMLElement>(
      'input:not([disabled]), textarea:not([disabled]), select:not([disabled]), button:not([disabled])',
    );
    (chat ?? first ?? mainRef.current)?.focus();
  }, [listLoaded, mainRef]);
}
