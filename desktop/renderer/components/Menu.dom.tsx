import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuItem {
  /** What the item says; also its accessible name unless `ariaLabel` is given. */
  readonly label: ReactNode;
  readonly ariaLabel?: string;
  readonly onSelect: () => void;
  readonly danger?: boolean;
}

export interface MenuButtonProps {
  /**
   * The button's accessible name ("More actions", "Moderate Bo"). When the button shows words,
   * the name starts with them: people who use speech input say what they see.
   */
  readonly label: string;
  /** What the button shows (an icon, or words). */
  readonly children: ReactNode;
  readonly items: readonly MenuItem[];
  readonly buttonClassName?: string;
  /** A row of emoji reads left to right; a list of actions top to bottom. */
  readonly orientation?: 'vertical' | 'horizontal';
  /** Which side of the button the menu lines up with. */
  readonly align?: 'start' | 'end';
}

/**
 * The menu button pattern: the button opens a menu; arrows move between items, Home and End jump,
 * Enter or Space picks, Escape closes and gives focus back to the button; Tab and a press
 * elsewhere close it too. The menu opens upwards when the button sits in the lower half of the
 * window, so it is not cut off at the bottom of a scrolling list.
 */
export function MenuButton({
  label,
  children,
  items,
  buttonClassName = 'icon-button',
  orientation = 'vertical',
  align = 'start',
}: MenuButtonProps) {
  const [open, setOpen] = useState(false);
  const [upwards, setUpwards] = useState(false);
  const wrapperRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  useEffect(() => {
    if (!open) return undefined;
    menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (event.target instanceof Node && wrapperRef.current?.contains(event.target) !== true) {
        setOpen(false);
      }
    };
    // Escape closes an open menu wherever focus went (inside it, its own handler does).
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
    };
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('keydown', onKeyDown);
    return () => {
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('keydown', onKeyDown);
    };
  }, [open]);

  const openMenu = () => {
    const rect = buttonRef.current?.getBoundingClientRect();
    setUpwards(rect !== undefined && rect.top > window.innerHeight / 2);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const entries = [
      ...(menuRef.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []),
    ];
    const index = entries.findIndex((entry) => entry === document.activeElement);
    const step = arrowStep(event.key, orientation === 'horizontal');
    let target: number | undefined;
    switch (event.key) {
      case 'ArrowRight':
      case 'ArrowLeft':
      case 'ArrowDown':
      case 'ArrowUp':
        if (step === 0) return;
        target = (index + step + entries.length) % entries.length;
        break;
      case 'Home':
        target = 0;
        break;
      case 'End':
        target = entries.length - 1;
        break;
      case 'Escape':
        event.preventDefault();
        // The dialog or drawer behind must not close on the same Escape.
        event.stopPropagation();
        close(true);
        return;
      case 'Tab':
        setOpen(false);
        return;
      default:
        return;
    }
    event.preventDefault();
    entries[target]?.focus();
  };

  const placement = [
    'menu',
    orientation === 'horizontal' ? 'menu-horizontal' : '',
    upwards ? 'menu-up' : 'menu-down',
    align === 'end' ? 'menu-align-end' : 'menu-align-start',
  ]
    .filter((name) => name !== '')
    .join(' ');

  return (
    <div className="menu-anchor" ref={wrapperRef}>
      <button
        ref={buttonRef}
        type="button"
        className={buttonClassName}
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => {
          if (open) close(false);
          else openMenu();
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            openMenu();
          }
        }}
      >
        {children}
      </button>
      {open && (
        <div
          ref={menuRef}
          id={menuId}
          role="menu"
          aria-label={label}
          aria-orientation={orientation}
          className={placement}
          onKeyDown={onMenuKeyDown}
        >
          {items.map((item, index) => (
            <button
              key={index}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className={item.danger === true ? 'menu-item menu-item-danger' : 'menu-item'}
              aria-label={item.ariaLabel}
              onClick={() => {
                close(true);
                item.onSelect();
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/**
 * Where an arrow key moves in a menu: +1 to the next entry, -1 to the previous, 0 for an arrow
 * across the menu's direction. Left and right swap when the page runs right to left.
 */
function arrowStep(key: string, horizontal: boolean): 1 | -1 | 0 {
  const forward = document.documentElement.dir === 'rtl' ? -1 : 1;
  switch (key) {
    case 'ArrowRight':
      return horizontal ? forward : 0;
    case 'ArrowLeft':
      return horizontal ? (forward === 1 ? -1 : 1) : 0;
    case 'ArrowDown':
      return horizontal ? 0 : 1;
    case 'ArrowUp':
      return horizontal ? 0 : -1;
    default:
      return 0;
  }
}
