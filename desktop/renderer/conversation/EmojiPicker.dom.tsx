import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useIntl } from 'react-intl';
import { SOURCE_LOCALE, isLocale, type Locale } from '../../shared/i18n/locales.std.js';
import type { MessageId } from '../../shared/i18n/messages.std.js';
import { Dialog } from '../components/Dialog.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';

/** One emoji the picker offers: the character(s) and its name in the picker's language. */
interface PickerEmoji {
  readonly unicode: string;
  readonly label: string;
  /** Its name and tags, lower case and without accents, for the search. */
  readonly name: string;
  readonly tags: readonly string[];
  readonly group: number;
}

/** Emojibase's groups, in its order, as the picker names them (2, skin-tone parts, is left out). */
export const EMOJI_CATEGORIES: readonly { readonly group: number; readonly name: MessageId }[] = [
  { group: 0, name: 'emoji.group.smileys' },
  { group: 1, name: 'emoji.group.people' },
  { group: 3, name: 'emoji.group.animals' },
  { group: 4, name: 'emoji.group.food' },
  { group: 5, name: 'emoji.group.travel' },
  { group: 6, name: 'emoji.group.activities' },
  { group: 7, name: 'emoji.group.objects' },
  { group: 8, name: 'emoji.group.symbols' },
  { group: 9, name: 'emoji.group.flags' },
];

/** Lower case without accents, so "corazon" finds "corazón" and "Herz" finds "herz". */
function searchable(words: string): string {
  return words.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Emoji per row of the grid: what the arrow keys move by up and down. */
const COLUMNS = 8;
/** Most results a search shows (the grid stays quick to read and to move through). */
const MAX_RESULTS = 200;

/** What the picker reads of emojibase-data's compact set. */
interface DataEmoji {
  readonly unicode: string;
  readonly label: string;
  readonly tags?: readonly string[];
  readonly group?: number;
}

/**
 * One language's names for every emoji, each its own chunk of the bundle (about half a megabyte),
 * fetched only when the picker first opens in that language. emojibase-data has no Arabic: Arabic
 * uses the English names (docs/desktop.md, "Languages").
 */
function emojiData(locale: Locale): Promise<{ default: readonly DataEmoji[] }> {
  switch (locale) {
    case 'es':
      return import('emojibase-data/es/compact.json', { with: { type: 'json' } });
    case 'fr':
      return import('emojibase-data/fr/compact.json', { with: { type: 'json' } });
    case 'de':
      return import('emojibase-data/de/compact.json', { with: { type: 'json' } });
    case 'en':
    case 'ar':
      return import('emojibase-data/en/compact.json', { with: { type: 'json' } });
  }
}

/** The full set in one language, loaded once, when the picker first opens in it. */
const loading = new Map<Locale, Promise<readonly PickerEmoji[]>>();
function loadEmoji(locale: Locale): Promise<readonly PickerEmoji[]> {
  let loaded = loading.get(locale);
  if (loaded === undefined) {
    loaded = emojiData(locale).then(({ default: data }) =>
      data
        .filter((emoji) => emoji.group !== undefined && emoji.group !== 2)
        .map((emoji) => ({
          unicode: emoji.unicode,
          label: emoji.label,
          name: searchable(emoji.label),
          tags: (emoji.tags ?? []).map(searchable),
          group: emoji.group ?? 0,
        })),
    );
    loading.set(locale, loaded);
  }
  return loaded;
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
  const text = useText();
  const { locale: tag } = useIntl();
  const locale = isLocale(tag) ? tag : SOURCE_LOCALE;
  const [all, setAll] = useState<readonly PickerEmoji[] | undefined>(undefined);
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState(0);
  const [active, setActive] = useState(0);
  const gridRef = useRef<HTMLDivElement>(null);
  const searchId = useId();

  useEffect(() => {
    let live = true;
    setAll(undefined);
    void loadEmoji(locale).then((loaded) => {
      if (live) setAll(loaded);
    });
    return () => {
      live = false;
    };
  }, [locale]);

  const shown = useMemo(() => {
    if (all === undefined) return [];
    const words = searchable(query.trim())
      .split(/\s+/u)
      .filter((w) => w !== '');
    if (words.length === 0) return all.filter((emoji) => emoji.group === category);
    return all
      .filter((emoji) =>
        words.every(
          (word) => emoji.name.includes(word) || emoji.tags.some((tag) => tag.startsWith(word)),
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

  const categoryName = EMOJI_CATEGORIES.find((entry) => entry.group === category)?.name;
  const gridLabel =
    query.trim() === ''
      ? text(categoryName ?? 'emoji.emoji')
      : text('emoji.matching', { query: query.trim() });

  return (
    <Dialog title={text('emoji.title')} onClose={onClose} size="wide">
      <div className="emoji-picker">
        <label htmlFor={searchId} className="field-label">
          {text('emoji.search')}
        </label>
        <input
          id={searchId}
          type="search"
          className="input"
          value={query}
          placeholder={text('emoji.placeholder')}
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
        <div className="emoji-categories" role="group" aria-label={text('emoji.categories')}>
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
              {text(entry.name)}
            </button>
          ))}
        </div>
        {all === undefined ? (
          <p role="status">{text('emoji.loading')}</p>
        ) : shown.length === 0 ? (
          <p role="status">{text('emoji.noMatch', { query: query.trim() })}</p>
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
