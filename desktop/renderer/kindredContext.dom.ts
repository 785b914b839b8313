/**
 * What every screen shares: the API, a record of what changed (so screens refetch after an event),
 * the live region that reads short news to screen readers, and small hooks for loading data and
 * running actions with plain-words errors.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { useSyncExternalStore } from 'react';
import type { AppEvent, ConversationId } from '../shared/api.std.js';
import { ApiCallError, type KindredApi } from './bridge.dom.js';
import { wordError, wordUnknownError } from './i18n/errorWords.dom.js';

/**
 * Counts changes announced by the main process. A screen reads the count that concerns it and
 * refetches when it moves; nothing in here holds message content.
 */
export class ChangeTracker {
  readonly #listeners = new Set<() => void>();
  readonly #conversations = new Map<ConversationId, number>();
  /** lists-changed events: contacts, groups or personas came or went. */
  #structure = 0;
  /** changed events of any conversation: the chat list's order, previews and unread counts. */
  #activity = 0;
  /** Everything may have changed (the link came back after a drop). */
  #everything = 0;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  applyEvent(event: AppEvent): void {
    if (event.type === 'changed') {
      for (const id of event.conversationIds) {
        this.#conversations.set(id, (this.#conversations.get(id) ?? 0) + 1);
      }
      this.#activity++;
      this.#notify();
    } else if (event.type === 'lists-changed') {
      this.#structure++;
      this.#notify();
    }
  }

  /** Our own call changed a list's numbers (unread counts after markRead): refetch the lists. */
  markListsChanged(): void {
    this.#activity++;
    this.#notify();
  }

  markEverythingChanged(): void {
    this.#everything++;
    this.#notify();
  }

  listsRevision(): number {
    return this.#structure + this.#activity + this.#everything;
  }

  conversationRevision(id: ConversationId): number {
    return (this.#conversations.get(id) ?? 0) + this.#structure + this.#everything;
  }

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }
}

/** Reads short news ("New message from Bo", "Link copied") to screen readers. */
export class Announcer {
  readonly #listeners = new Set<() => void>();
  #message = { text: '', serial: 0 };

  readonly subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  readonly current = (): { readonly text: string; readonly serial: number } => this.#message;

  announce(text: string): void {
    this.#message = { text, serial: this.#message.serial + 1 };
    for (const listener of this.#listeners) listener();
  }

  /** Forgets what was said (the vault locked): nothing of it stays for a screen reader to find. */
  clear(): void {
    this.announce('');
  }
}

export interface KindredServices {
  readonly api: KindredApi;
  readonly changes: ChangeTracker;
  readonly announcer: Announcer;
}

export const ServicesContext = createContext<KindredServices | undefined>(undefined);

function useServices(): KindredServices {
  const services = useContext(ServicesContext);
  if (services === undefined) throw new Error('Kindred services are missing: render inside App.');
  return services;
}

export function useApi(): KindredApi {
  return useServices().api;
}

export function useAnnounce(): (text: string) => void {
  const { announcer } = useServices();
  return useCallback(
    (text: string) => {
      announcer.announce(text);
    },
    [announcer],
  );
}

export function useAnnouncement(): { readonly text: string; readonly serial: number } {
  const { announcer } = useServices();
  return useSyncExternalStore(announcer.subscribe, announcer.current);
}

export function useChangeTracker(): ChangeTracker {
  return useServices().changes;
}

/** Moves when contacts, groups, personas or any conversation's activity changed. */
export function useListsRevision(): number {
  const { changes } = useServices();
  return useSyncExternalStore(changes.subscribe, () => changes.listsRevision());
}

/** Moves when this conversation (messages, reactions, group operations) changed. */
export function useConversationRevision(id: ConversationId | undefined): number {
  const { changes } = useServices();
  return useSyncExternalStore(changes.subscribe, () =>
    id === undefined ? 0 : changes.conversationRevision(id),
  );
}

/**
 * The words to show for a failure, in the window's language: worded by the error's code from the
 * errors catalogue (main's message only for a code it does not know), never a stack trace.
 */
export function describeError(error: unknown): string {
  if (ApiCallError.is(error)) {
    return error.worded ? error.message : wordError(error.code, error.details, error.message);
  }
  return wordUnknownError();
}

export interface Loaded<T> {
  readonly data: T | undefined;
  readonly error: string | undefined;
  readonly loading: boolean;
  readonly reload: () => void;
}

/**
 * Loads data for `scope` (undefined: nothing to load) and loads it again when `revision` moves.
 * A new scope forgets the old data at once; a new revision keeps showing it until the fresh copy
 * arrives, so lists do not flicker on every event.
 */
export function useLoad<T>(
  scope: string | undefined,
  revision: number,
  load: () => Promise<T>,
): Loaded<T> {
  const loadRef = useRef(load);
  loadRef.current = load;
  const [manual, setManual] = useState(0);
  const [state, setState] = useState<{
    scope: string | undefined;
    data: T | undefined;
    error: string | undefined;
    loading: boolean;
  }>({ scope, data: undefined, error: undefined, loading: scope !== undefined });

  useEffect(() => {
    if (scope === undefined) return undefined;
    let current = true;
    setState((previous) =>
      previous.scope === scope
        ? { ...previous, loading: true }
        : { scope, data: undefined, error: undefined, loading: true },
    );
    loadRef.current().then(
      (data) => {
        if (current) setState({ scope, data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (current) {
          setState((previous) => ({
            scope,
            data: previous.scope === scope ? previous.data : undefined,
            error: describeError(error),
            loading: false,
          }));
        }
      },
    );
    return () => {
      current = false;
    };
  }, [scope, revision, manual]);

  const reload = useCallback(() => {
    setManual((count) => count + 1);
  }, []);
  const fresh = state.scope === scope;
  return {
    data: fresh ? state.data : undefined,
    error: fresh ? state.error : undefined,
    loading: fresh ? state.loading : scope !== undefined,
    reload,
  };
}

export interface Action {
  readonly busy: boolean;
  readonly error: string | undefined;
  /** Runs `work` unless another run is busy; a failure becomes `error` in plain words. */
  readonly run: (work: () => Promise<void>) => void;
  readonly clearError: () => void;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const busyRef = useRef(false);
  const run = useCallback((work: () => Promise<void>) => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    setError(undefined);
    void (async () => {
      try {
        await work();
      } catch (failure: unknown) {
        setError(describeError(failure));
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
    })();
  }, []);
  const clearError = useCallback(() => {
    setError(undefined);
  }, []);
  return { busy, error, run, clearError };
}
