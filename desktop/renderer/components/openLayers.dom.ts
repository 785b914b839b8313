/**
 * What Escape would close right now. A popover, menu, drawer or draft (a reply in progress) says
 * "I am open" with {@link useOpenLayer}; native dialogs (`dialog[open]`) and ARIA menus
 * (`role="menu"`) count without it. The global keys (quickExit.dom.ts) read {@link anyLayerOpen}
 * so an Escape that closes something is never the first half of a quick exit.
 */
import { useEffect } from 'react';

let openLayers = 0;

/** While `open`, Escape belongs to this layer (a popover, menu, drawer or reply in progress). */
export function useOpenLayer(open: boolean): void {
  useEffect(() => {
    if (!open) return undefined;
    openLayers += 1;
    return () => {
      openLayers -= 1;
    };
  }, [open]);
}

/** Selectors of things open on the page that Escape closes, registered or not. */
const OPEN_ON_PAGE = 'dialog[open], [role="menu"], [role="listbox"][aria-expanded="true"]';

/** Whether anything Escape would close is open now. */
export function anyLayerOpen(): boolean {
  return openLayers > 0 || document.querySelector(OPEN_ON_PAGE) !== null;
}

/** Whether a keydown's target is inside something with an Escape of its own (a dialog, a menu). */
export function insideLayer(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('dialog, [role="menu"]') !== null;
}
