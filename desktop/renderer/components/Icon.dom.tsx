/** Small line icons, always decorative: the control next to them carries the words. */

const PATHS = {
  lock: 'M7 11V8a5 5 0 0 1 10 0v3 M5 11h14v10H5z M12 15v2',
  search: 'M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14z M16 16l5 5',
  exit: 'M15 4h4v16h-4 M10 8l-4 4 4 4 M6 12h10',
  contacts: 'M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z M4 21a8 8 0 0 1 16 0',
  groups:
    'M9 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z M2 20a7 7 0 0 1 14 0 M16 4.5a3.5 3.5 0 0 1 0 6.5 M18 14a6 6 0 0 1 4 6',
  personas:
    'M8 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M16 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M2 17a6 6 0 0 1 9-5 M10 21a6 6 0 0 1 12 0',
  shield: 'M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6z M9 12l2 2 4-4',
  settings:
    'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6z M19 12a7 7 0 0 0-.1-1.2l2-1.6-2-3.4-2.4 1a7 7 0 0 0-2-1.2L14 3h-4l-.5 2.6a7 7 0 0 0-2 1.2l-2.4-1-2 3.4 2 1.6a7 7 0 0 0 0 2.4l-2 1.6 2 3.4 2.4-1a7 7 0 0 0 2 1.2L10 21h4l.5-2.6a7 7 0 0 0 2-1.2l2.4 1 2-3.4-2-1.6c.1-.4.1-.8.1-1.2z',
  send: 'M4 12l16-8-6 16-2.5-6.5z M11.5 13.5L20 4',
  more: 'M5 12h.01 M12 12h.01 M19 12h.01',
  smile: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z M8.5 14a4 4 0 0 0 7 0 M9 9.5h.01 M15 9.5h.01',
  reply: 'M10 8L5 12l5 4 M5 12h9a5 5 0 0 1 5 5v1',
  pin: 'M9 4h6 M10 4v6l-3 4h10l-3-4V4 M12 14v7',
  check: 'M5 12.5l4.5 4.5L19 7',
  clock: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z M12 7v5l3 2',
  warning: 'M12 3l10 18H2z M12 10v4 M12 17.5h.01',
  close: 'M6 6l12 12 M18 6L6 18',
  info: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z M12 11v6 M12 7.5h.01',
  offline:
    'M3 3l18 18 M8.5 16.5a5 5 0 0 1 7 0 M5 13a10 10 0 0 1 4-2.3 M12 20h.01 M19 13a10 10 0 0 0-2.5-1.7 M2 9a15 15 0 0 1 4.5-2.8 M22 9a15 15 0 0 0-11-3.9',
  verified: 'M12 3l8 3v6c0 4.5-3.4 8.3-8 9-4.6-.7-8-4.5-8-9V6z M8.5 12l2.5 2.5 4.5-4.5',
  plus: 'M12 5v14 M5 12h14',
  copy: 'M9 9h11v11H9z M5 15H4V4h11v1',
  chat: 'M4 5h16v11H9l-5 4z',
  timer: 'M12 21a8 8 0 1 0 0-16 8 8 0 0 0 0 16z M12 9v4l2.5 1.5 M10 2h4 M19 5l1.5-1.5',
  paperclip:
    'M20 11.5l-8 8a5 5 0 0 1-7-7l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7L9.7 17a1.7 1.7 0 0 1-2.4-2.4L15 7',
  file: 'M6 3h8l4 4v14H6z M14 3v4h4',
  download: 'M12 4v11 M7 10l5 5 5-5 M5 20h14',
  image: 'M4 5h16v14H4z M4 16l5-5 4 4 2-2 5 5 M15 9.5h.01',
  edit: 'M4 20h4L19 9l-4-4L4 16z M13 7l4 4',
  compass: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z M15.5 8.5l-2 5-5 2 2-5z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg
      className={['icon', name === 'more' ? 'icon-dots' : '', className ?? '']
        .filter((part) => part !== '')
        .join(' ')}
      viewBox="0 0 24 24"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
