import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Dialog } from '../components/Dialog.dom.js';

/** One emoji the picker offers: the character(s) and its English name. */
interface PickerEmoji {
  readonly unicode: string;
  readonly label: string;
  readonly tags: readonly string[];
  readonly group: number;
}

/** Emojibase's groups, in its order, as the picker names them (2, skin-tone parts, is left out). */
export const EMOJI_CATEGORIES: readonly { readonly group: number; readonly name: string }[] = [
  { group: 0, name: 'Smileys and emotion' },
  { group: 1, name: 'People and body' },
  { group: 3, name: 'Animals and nature' },
  { group: 4, name: 'Food and drink' },
  { group: 5, name: 'Travel and places' },
  { group: 6, name: 'Activities' },
  { group: 7, name: 'Objects' },
  { group: 8, name: 'Symbols' },
  { group: 9, name: 'Flags' },
];

/** Emoji per row of the grid: what the arrow keys move by up and down. */
const COLUMNS = 8;
/** Most results a search shows (the grid stays quick to read and to move through). */
const MAX_RESULTS = 200;

/** The full set, loaded once, when the picker first opens (it is half a megabyte). */
let loading: Promise<readonly PickerEmoji[]> | undefined;
function loadEmoji(): Promise<readonly PickerEmoji[]> {
  loading ??= import('emojibase-data/en/compact.json', { with: { type: 'json' } }).then(
    ({ default: data }) =>
      data
        .filter((emoji) => emoji.group !== undefined && emoji.group !== 2)
        .map((emoji) => ({
          unicode: emoji.unicode,
          label: emoji.label,
          tags: emoji.tags ?? [],
          group: emoji.group ?? 0,
        })),
  );
  return loading;
}

/**
 * "More reactions": every emoji, by category or by a search of its name and tags, as a grid of
 * buttons. Arrow keys move, Home and End jump, Enter or Space picks, Escape closes (the dialog).
 */
export function EmojiPicker({
  onPick,
  onClose,
}: {
  onPick: (emoji: string, label: string) => void;
  onClose: () => void;
}) {
  const [all, setAll] = useState<readonly PickerEmoji[] | undefined>(undefined);
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState(0);
  const [active, setActive] = useState(0);
  const gridRef = useRef<HTMLDivElement>(null);
  const searchId = useId();

  useEffect(() => {
    let live = true;
    void loadEmoji().then((loaded) => {
      if (live) setAll(loaded);
    });
    return () => {
      live = false;
    };
  }, []);

  const shown = useMemo(() => {
    if (all === undefined) return [];
    const words = query
      .trim()
      .toLowerCase()
      .split(/\s+/u)
      .filter((w) => w !== '');
    if (words.length === 0) return all.filter((emoji) => emoji.group === category);
    return all
      .filter((emoji) =>
        words.every(
          (word) => emoji.label.includes(word) || emoji.tags.some((tag) => tag.startsWith(word)),
        ),
      )
      .slice(0, MAX_RESULTS);
  }, [all, query, category]);

  const focusAt = (index: number) => {
    const next = Math.max(0, Math.min(shown.length - 1, index));
    setActive(next);
    gridRef.current?.querySelectorAll<HTMLButtonElement>('button')[next]?.focus();
  };

  const onGridKey = (event: KeyboardEvent<HTMLDivElement>) => {
    const moves: Record<string, number> = {
      ArrowRight: active + 1,
      ArrowLeft: active - 1,
      ArrowDown: active + COLUMNS,
      ArrowUp: active - COLUMNS,
      Home: 0,
      End: shown.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined) return;
    event.preventDefault();
    focusAt(target);
  };

  const categoryName = EMOJI_CATEGORIES.find((entry) => entry.group === category)?.name ?? 'Emoji';
  const gridLabel = query.trim() === '' ? categoryName : `Emoji matching “${query.trim()}”`;

  return (
    <Dialog title="Choose a reaction" onClose={onClose} size="wide">
      <div className="emoji-picker">
        <label htmlFor={searchId} className="field-label">
          Search emoji
        </label>
        <input
          id={searchId}
          type="search"
          className="input"
          value={query}
          placeholder="heart, hug, sun…"
          autoComplete="off"
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown' && shown.length > 0) {
              event.preventDefault();
              focusAt(0);
            }
          }}
        />
        <div className="emoji-categories" role="group" aria-label="Categories">
          {EMOJI_CATEGORIES.map((entry) => (
            <button
              key={entry.group}
              type="button"
              className="emoji-category"
              aria-pressed={query.trim() === '' && entry.group === category}
              onClick={() => {
                setQuery('');
                setCategory(entry.group);
                setActive(0);
              }}
            >
              {entry.name}
            </button>
          ))}
        </div>
        {all === undefined ? (
          <p role="status">Loading emoji…</p>
        ) : shown.length === 0 ? (
          <p role="status">No emoji match “{query.trim()}”.</p>
        ) : (
          <div
            ref={gridRef}
            className="emoji-grid"
            role="group"
            aria-label={gridLabel}
            onKeyDown={onGridKey}
          >
            {shown.map((emoji, index) => (
              <button
                key={emoji.unicode}
                type="button"
                className="emoji-choice"
                aria-label={emoji.label}
                title={emoji.label}
                tabIndex={index === Math.min(active, shown.length - 1) ? 0 : -1}
                onFocus={() => {
                  setActive(index);
                }}
                onClick={() => {
                  onPick(emoji.unicode, emoji.label);
                }}
              >
                <span aria-hidden="true">{emoji.unicode}</span>
              </button>
            ))}
          </div>
        )}
      </div>
    </Dialog>
  );
}
