import { z } from 'zod';
import type { NotificationSettings } from '../shared/api.std.js';

/**
 * Where the desktop keeps small JSON values inside the vault (encrypted like everything else):
 * KindredClient's `localData`. An interface so the preferences do not care which client holds it.
 */
export interface LocalDataStore {
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown): Promise<void>;
}

export interface Preferences {
  /** Lock after this many minutes without input (0: never). */
  readonly idleLockMinutes: number;
  readonly notifications: NotificationSettings;
  /** Escape pressed twice, with nothing open, is a quick exit (off by default). */
  readonly escapeTwiceLocks: boolean;
}

/**
 * Lock after 10 quiet minutes; notifications on, without the message text. Escape twice does
 * not lock: people press Escape to close things, and a second press must not hide the app.
 */
export const DEFAULT_PREFERENCES: Preferences = {
  idleLockMinutes: 10,
  notifications: { enabled: true, showText: false },
  escapeTwiceLocks: false,
};

const PREFERENCES_KEY = 'desktop/preferences';

const stored = z.object({
  idleLockMinutes: z
    .number()
    .int()
    .min(0)
    .max(24 * 60),
  notifications: z.object({ enabled: z.boolean(), showText: z.boolean() }),
  // Records written before this setting existed lack it.
  escapeTwiceLocks: z.boolean().default(false),
});

/** The desktop's settings, kept encrypted in the vault so nobody learns them from the disk. */
export class VaultPreferences {
  readonly #store: LocalDataStore;
  #current: Preferences;

  private constructor(store: LocalDataStore, current: Preferences) {
    this.#store = store;
    this.#current = current;
  }

  /** Reads the stored settings; a missing or unreadable record gives the defaults. */
  static async load(store: LocalDataStore): Promise<VaultPreferences> {
    const parsed = stored.safeParse(await store.get(PREFERENCES_KEY));
    return new VaultPreferences(store, parsed.success ? parsed.data : DEFAULT_PREFERENCES);
  }

  get current(): Preferences {
    return this.#current;
  }

  async update(changes: Partial<Preferences>): Promise<Preferences> {
    const next: Preferences = {
      idleLockMinutes: changes.idleLockMinutes ?? this.#current.idleLockMinutes,
      notifications: changes.notifications ?? this.#current.notifications,
      escapeTwiceLocks: changes.escapeTwiceLocks ?? this.#current.escapeTwiceLocks,
    };
    await this.#store.put(PREFERENCES_KEY, next);
    this.#current = next;
    return next;
  }
}

const MARKERS_KEY = 'desktop/read-markers';
const markers = z.record(z.string(), z.number().int().min(0));

/**
 * How far the person has read in each conversation: the highest entry index seen, by
 * conversation id. Unread counts are the incoming messages past it.
 */
export class ReadMarkers {
  readonly #store: LocalDataStore;
  readonly #markers: Map<string, number>;

  private constructor(store: LocalDataStore, initial: Map<string, number>) {
    this.#store = store;
    this.#markers = initial;
  }

  static async load(store: LocalDataStore): Promise<ReadMarkers> {
    const parsed = markers.safeParse(await store.get(MARKERS_KEY));
    return new ReadMarkers(store, new Map(parsed.success ? Object.entries(parsed.data) : []));
  }

  /** The highest index read (0: nothing yet). */
  get(conversationId: string): number {
    return this.#markers.get(conversationId) ?? 0;
  }

  /** Marks everything up to `index` read; never moves backwards. */
  async mark(conversationId: string, index: number): Promise<void> {
    if (index <= this.get(conversationId)) return;
    this.#markers.set(conversationId, index);
    await this.#store.put(MARKERS_KEY, Object.fromEntries(this.#markers));
  }
}
