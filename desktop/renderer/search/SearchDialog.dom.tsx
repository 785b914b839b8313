import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { SearchResultView } from '../../shared/api.std.js';
import { Dialog } from '../components/Dialog.dom.js';
import { formatFullTime, formatMessageTime, isoTime } from '../formatting.dom.js';
import { useText } from '../i18n/LanguageProvider.dom.js';
import { describeError, useApi } from '../kindredContext.dom.js';
import { warningWords } from '../../shared/i18n/warningWords.std.js';

/** Typing pauses this long before the search runs. */
const TYPING_PAUSE_MS = 150;
/** The longest query the search call takes. */
const MAX_QUERY = 512;

export interface SearchDialogProps {
  /** Escape, the close button and the backdrop. */
  readonly onClose: () => void;
  /** A result chosen (Enter or a click): open its conversation at its message. */
  readonly onChoose: (result: SearchResultView) => void;
}

/**
 * Search every conversation (Ctrl+K or Ctrl+F): a combobox whose list of results (conversation,
 * author, time, and the snippet with the matched words marked) is walked with the arrow keys;
 * Enter opens the chosen message, Escape closes. Screen readers hear the number of results.
 */
export function SearchDialog({ onClose, onChoose }: SearchDialogProps) {
  const api = useApi();
  const text = useText();
  const inputRef = useRef<HTMLInputElement>(null);
  const inputId = useId();
  const listId = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<readonly SearchResultView[]>([]);
  const [searched, setSearched] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [active, setActive] = useState(-1);

  // The dialog focuses its first control when it opens; the words go in the field.
  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  useEffect(() => {
    const words = query.trim();
    if (words === '') {
      setResults([]);
      setSearched('');
      setError(undefined);
      setActive(-1);
      return undefined;
    }
    let current = true;
    const timer = setTimeout(() => {
      api.call('search.query', { query: words }).then(
        (found) => {
          if (!current) return;
          setResults(found);
          setSearched(words);
          setError(undefined);
          setActive(found.length > 0 ? 0 : -1);
        },
        (failure: unknown) => {
          if (!current) return;
          setResults([]);
          setSearched(words);
          setError(describeError(failure));
          setActive(-1);
        },
      );
    }, TYPING_PAUSE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, query]);

  const optionId = (index: number) => `${listId}-option-${index}`;

  useEffect(() => {
    if (active < 0) return;
    document.getElementById(optionId(active))?.scrollIntoView({ block: 'nearest' });
  });

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // One Escape closes, even with words typed (a search field would clear them first).
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
      return;
    }
    if (results.length === 0) return;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setActive((index) => (index + 1) % results.length);
        break;
      case 'ArrowUp':
        event.preventDefault();
        setActive((index) => (index <= 0 ? results.length - 1 : index - 1));
        break;
      case 'Home':
      case 'End':
        if (!event.ctrlKey) break;
        event.preventDefault();
        setActive(event.key === 'Home' ? 0 : results.length - 1);
        break;
      case 'Enter': {
        event.preventDefault();
        const chosen = results[active < 0 ? 0 : active];
        if (chosen !== undefined) onChoose(chosen);
        break;
      }
      default:
        break;
    }
  };

  const typed = query.trim();
  let status: string;
  if (typed === '') status = text('search.hint');
  else if (typed !== searched) status = text('search.searching');
  else if (error !== undefined) status = error;
  else if (results.length === 0) status = text('search.nothingFound', { words: searched });
  else status = text('search.found', { count: results.length });

  const expanded = results.length > 0;
  return (
    <Dialog title={text('search.title')} onClose={onClose} size="wide">
      <div className="search">
        <label htmlFor={inputId} className="field-label">
          {text('search.field')}
        </label>
        <input
          ref={inputRef}
          id={inputId}
          className="input search-input"
          type="search"
          role="combobox"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={expanded && active >= 0 ? optionId(active) : undefined}
          autoComplete="off"
          spellCheck={false}
          maxLength={MAX_QUERY}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
          }}
          onKeyDown={onKeyDown}
        />
        <p
          className={error === undefined ? 'search-status' : 'search-status error-text'}
          role="status"
        >
          {status}
        </p>
        <ul
          id={listId}
          role="listbox"
          aria-label={text('search.results')}
          className="search-results"
        >
          {results.map((result, index) => (
            <li
              key={`${result.conversationId}/${result.messageId}`}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'search-result search-result-active' : 'search-result'}
              onMouseMove={() => {
                if (index !== active) setActive(index);
              }}
              onClick={() => {
                onChoose(result);
              }}
            >
              <span className="search-result-meta">
                <span className="search-result-title">{result.title}</span>
                <span className="search-result-author">
                  {result.author.self ? text('common.you') : result.author.name}
                </span>
                <time
                  className="search-result-time"
                  dateTime={isoTime(result.sentAt)}
                  title={formatFullTime(result.sentAt)}
                >
                  {formatMessageTime(result.sentAt)}
                </time>
              </span>
              {result.warning !== undefined && (
                <span className="search-result-snippet search-result-covered">
                  {text('search.covered', { warning: warningWords(text, result.warning) })}
                </span>
              )}
              <span className="search-result-snippet">
                {result.snippet.map((part, at) =>
                  part.marked ? (
                    <mark key={at}>{part.text}</mark>
                  ) : (
                    <span key={at}>{part.text}</span>
                  ),
                )}
              </span>
            </li>
          ))}
        </ul>
      </div>
    </Dialog>
  );
}
