import type { KindredClient } from '../../core/client/index.js';
import { Backoff, CoreError } from '../../core/client/index.js';
import type { AppEvent } from '../shared/api.std.js';
import { AppEventFeed } from './AppEventFeed.main.js';
import { ReminderPoller } from './ReminderPoller.main.js';
import { AttachmentStaging } from './AttachmentStaging.main.js';
import { AttachmentFiles, forwardTransfers } from './AttachmentViews.main.js';
import { ContactViews } from './ContactViews.main.js';
import { MessageActions } from './MessageActions.main.js';
import { DisappearingViews } from './DisappearingViews.main.js';
import { ConversationViews } from './ConversationViews.main.js';
import { GroupViews } from './GroupViews.main.js';
import { IdleLock } from './IdleLock.main.js';
import type { DesktopLogger } from './logger.main.js';
import { PersonaViews } from './PersonaViews.main.js';
import { RenewalNotices } from './RenewalNotices.main.js';
import { SearchViews } from './SearchViews.main.js';
import type { Preferences } from './VaultPreferences.main.js';
import { ReadMarkers, VaultPreferences } from './VaultPreferences.main.js';

export interface UnlockedVaultOptions {
  readonly logger: DesktopLogger;
  /** How long one idle-lock "minute" is (60 000 ms; shorter only in tests). */
  readonly minuteMs: number;
  /** How often due reminders are asked for (REMINDER_POLL_MS; shorter only in tests). */
  readonly reminderPollMs?: number;
  readonly emit: (event: AppEvent) => void;
  /** The idle time ran out: the service locks. */
  readonly onIdle: () => void;
  /** Settings chosen before the vault existed (first run), stored once it does. */
  readonly initialPreferences?: Partial<Preferences>;
  /** The vault folder (staged and opened attachments live in its `window-files/`). */
  readonly home: string;
  /** Electron's save dialog for attachments.saveAs (absent in the dev host). */
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | undefined>;
}

/** Retry schedule for reaching the relay after unlocking while it was away. */
const START_BACKOFF = { initialMs: 1_000, maxMs: 60_000 };

/**
 * Everything that lives while the vault is unlocked: the running client, the views the calls
 * read through, the desktop's settings, the event feed and the idle lock. Closing it stops all of
 * them and locks the vault, which wipes its keys from memory.
 */
export class UnlockedVault {
  readonly client: KindredClient;
  readonly preferences: VaultPreferences;
  readonly conversations: ConversationViews;
  readonly contacts: ContactViews;
  readonly messageActions: MessageActions;
  readonly groups: GroupViews;
  readonly personas: PersonaViews;
  readonly search: SearchViews;
  readonly timers: DisappearingViews;
  readonly staging: AttachmentStaging;
  readonly files: AttachmentFiles;
  readonly #stopTransfers: () => void;
  readonly #idle: IdleLock;
  readonly #feed: AppEventFeed;
  readonly #reminders: ReminderPoller;
  readonly #logger: DesktopLogger;
  readonly #backoff = new Backoff(START_BACKOFF);
  readonly #stopRenewals: () => void;
  #online = false;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  private constructor(
    client: KindredClient,
    preferences: VaultPreferences,
    markers: ReadMarkers,
    renewals: RenewalNotices,
    options: UnlockedVaultOptions,
  ) {
    this.client = client;
    this.preferences = preferences;
    this.#logger = options.logger;
    this.conversations = new ConversationViews(client, markers, renewals);
    // Before the client starts: a restored vault's renewal runs on its first connection.
    this.#stopRenewals = renewals.listen(
      client,
      (id) => {
        if (!this.#closed) options.emit({ type: 'changed', conversationIds: [id] });
      },
      options.logger,
    );
    this.contacts = new ContactViews(client);
    this.messageActions = new MessageActions(client);
    this.groups = new GroupViews(client);
    this.personas = new PersonaViews(client);
    this.search = new SearchViews(client);
    this.timers = new DisappearingViews(client);
    this.staging = new AttachmentStaging({ home: options.home });
    this.files = new AttachmentFiles({
      client,
      home: options.home,
      ...(options.chooseSavePath === undefined ? {} : { chooseSavePath: options.chooseSavePath }),
    });
    this.#stopTransfers = forwardTransfers(client, options.emit);
    client.on('connection', (online) => {
      this.#online = online;
    });
    this.#feed = new AppEventFeed({
      client,
      preferences: () => this.preferences.current,
      emit: options.emit,
      logger: options.logger,
    });
    this.#reminders = new ReminderPoller({
      client,
      enabled: () => this.preferences.current.notifications.enabled,
      notify: (reminder) => {
        this.#feed.remind(reminder);
      },
      logger: options.logger,
      ...(options.reminderPollMs === undefined ? {} : { pollMs: options.reminderPollMs }),
    });
    this.#idle = new IdleLock({
      minutes: preferences.current.idleLockMinutes,
      minuteMs: options.minuteMs,
      onIdle: options.onIdle,
    });
  }

  /**
   * Takes over an open client: reads the settings, starts listening and connects to the relay
   * (in the background, retrying, when the relay is away: an unlocked vault reads fine offline).
   * On failure the client is closed, so the vault is locked again.
   */
  static async open(client: KindredClient, options: UnlockedVaultOptions): Promise<UnlockedVault> {
    try {
      // Files a crashed run left in transit (staged to send, opened to view) go first.
      await AttachmentStaging.sweep(options.home);
      const preferences = await VaultPreferences.load(client.localData);
      if (options.initialPreferences !== undefined) {
        await preferences.update(options.initialPreferences);
      }
      const markers = await ReadMarkers.load(client.localData);
      const renewals = await RenewalNotices.load(client.localData);
      const vault = new UnlockedVault(client, preferences, markers, renewals, options);
      vault.#connect();
      return vault;
    } catch (error) {
      await client.close();
      throw error;
    }
  }

  /** Whether the main persona's link to the relay is up. */
  get online(): boolean {
    return this.#online;
  }

  /** Input in the window: the idle clock starts again. */
  touch(): void {
    this.#idle.touch();
  }

  async updatePreferences(changes: Partial<Preferences>): Promise<Preferences> {
    const next = await this.preferences.update(changes);
    this.#idle.setMinutes(next.idleLockMinutes);
    return next;
  }

  /** Stops everything and locks the vault. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#idle.stop();
    this.#reminders.stop();
    this.#feed.stop();
    this.#stopRenewals();
    this.#stopTransfers();
    await Promise.allSettled([this.staging.close(), this.files.stop()]);
    await this.client.close();
  }

  #connect(): void {
    if (this.#closed) return;
    this.client.start({ receive: true }).then(
      () => {
        this.#backoff.reset();
      },
      (error: unknown) => {
        if (this.#closed) return;
        const delayMs = this.#backoff.next();
        this.#logger.info(
          { code: CoreError.is(error) ? error.code : 'unknown', retryInMs: delayMs },
          'relay not reached; retrying',
        );
        this.#retry = setTimeout(() => {
          this.#connect();
        }, delayMs);
        this.#retry.unref();
      },
    );
  }
}
