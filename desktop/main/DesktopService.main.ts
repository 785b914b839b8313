import type { KdfProfile, KindredClientOptions } from '../../core/client/index.js';
import {
  KindredClient,
  Vault,
  checkRecoveryKey,
  checkRelayUrl,
  parseProxyUrl,
  readBackupProtection,
} from '../../core/client/index.js';
import type { AppEvent, AppPhase, AppState } from '../shared/api.std.js';
import { DesktopErrorCode } from '../shared/api.std.js';
import { BackupTransfers } from './BackupTransfers.main.js';
import type { ApiHandlers } from './callRouter.main.js';
import { DesktopError } from './DesktopError.main.js';
import type { DesktopLogger } from './logger.main.js';
import { silentLogger } from './logger.main.js';
import { attachmentHandlers, sendWithFiles } from './attachmentCalls.main.js';
import { messageActionHandlers } from './MessageActions.main.js';
import { moderationHandlers } from './ModerationViews.main.js';
import { deliveryHandlers } from './deliveryCalls.main.js';
import type { UnlockedVaultOptions } from './UnlockedVault.main.js';
import { UnlockedVault } from './UnlockedVault.main.js';
import { crisisHandlers } from './crisisCalls.main.js';
import { journalHandlers } from './journalCalls.main.js';
import { directoryHandlers } from './directoryCalls.main.js';
import { scheduleHandlers } from './scheduleCalls.main.js';
import { scheduledChatHandlers } from './scheduleChatCalls.main.js';
import { topicHandlers } from './topicCalls.main.js';
import { groupResourceHandlers } from './groupResourceCalls.main.js';
import { requestHandlers } from './requestCalls.main.js';
import type { Preferences } from './VaultPreferences.main.js';
import { DEFAULT_PREFERENCES } from './VaultPreferences.main.js';
import type { ChooseBackupFile } from './VaultBackups.main.js';
import { makeBackup, restoreInto } from './VaultBackups.main.js';

export interface DesktopServiceOptions {
  /** The vault folder. One service, one vault: never two services on one folder. */
  readonly home: string;
  /** The relay a first run registers with unless the person picks another. */
  readonly defaultRelayUrl: string;
  readonly logger?: DesktopLogger;
  /** Called on app.quickExit before the vault locks: Electron hides the window at once. */
  readonly onQuickExit?: () => void;
  /** Client tunables (tests shorten timeouts and backoff). */
  readonly clientOptions?: KindredClientOptions;
  /** Passphrase hashing for a new vault; tests only ever ask for 'insecure-fast'. */
  readonly kdf?: KdfProfile;
  /** Length of one idle-lock minute: 60 000 ms; tests shorten it. */
  readonly idleMinuteMs?: number;
  /** How often main asks for due scheduled-chat reminders (30 s; tests shorten it). */
  readonly reminderPollMs?: number;
  /** Electron's save dialog for backups; without it a backup is offered for download. */
  readonly chooseBackupFile?: ChooseBackupFile;
  /** Where backups for download and files for a restore wait (default: the system's tmp). */
  readonly transferDir?: string;
  /** The largest backup file a restore takes from the window (default 8 GiB). */
  readonly maxRestoreBytes?: number;
  /** Electron's native save dialog (attachments.saveAs); the dev host has none. */
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | undefined>;
}

const MINUTE_MS = 60_000;

/**
 * What the window talks to: the vault on this device, through one KindredClient. Three phases:
 * `first-run` (no vault yet: app.create makes one), `locked` (app.unlock opens it) and `unlocked`
 * (everything else works). Locking closes the client, which wipes the keys from memory; after
 * idle minutes without `app.activity` it locks by itself.
 *
 * Every method of the API is in {@link handlers}; the call router checks args before they get
 * here, and turns thrown errors into coded ones. Events go to every listener of {@link onEvent}.
 */
export class DesktopService {
  readonly handlers: ApiHandlers;
  readonly #options: DesktopServiceOptions;
  readonly #logger: DesktopLogger;
  readonly #listeners = new Set<(event: AppEvent) => void>();
  #vault: UnlockedVault | undefined;
  #vaultExists: boolean | undefined;
  /** The relay a first run will use (settings.update may change it before then). */
  #relayUrl: string;
  /** Settings chosen before the first run, stored in the vault once it exists. */
  #pending: Partial<Preferences> = {};
  /** A proxy chosen before the first run: registration already goes through it. */
  #pendingProxy: string | undefined;
  /** Unlock, create and lock run one at a time. */
  #lifecycle: Promise<unknown> = Promise.resolve();
  /** Backups waiting for download, backup files staged for a restore. */
  readonly #transfers: BackupTransfers;

  constructor(options: DesktopServiceOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#relayUrl = options.defaultRelayUrl;
    this.#transfers = new BackupTransfers({
      ...(options.transferDir === undefined ? {} : { parentDir: options.transferDir }),
      ...(options.maxRestoreBytes === undefined
        ? {}
        : { maxRestoreBytes: options.maxRestoreBytes }),
    });
    this.handlers = this.#makeHandlers();
  }

  /** Subscribes to events for the window; returns the function that unsubscribes. */
  onEvent(listener: (event: AppEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Locks the vault (if it is open). */
  lock(): Promise<void> {
    return this.#serial(async () => {
      const vault = this.#vault;
      if (vault === undefined) return;
      this.#vault = undefined;
      try {
        await vault.close();
      } finally {
        this.#logger.info({}, 'vault locked');
        this.#emit({ type: 'locked' });
      }
    });
  }

  /** For shutting down: locks and forgets every listener. */
  async close(): Promise<void> {
    await this.lock();
    await this.#transfers.close();
    this.#listeners.clear();
  }

  async state(): Promise<AppState> {
    const vault = this.#vault;
    if (vault !== undefined) {
      const preferences = vault.preferences.current;
      const identity = vault.client.whoami();
      return {
        phase: 'unlocked',
        relayUrl: identity.relayUrl,
        pseudonym: identity.pseudonym,
        idleLockMinutes: preferences.idleLockMinutes,
        notifications: preferences.notifications,
        online: vault.online,
        proxy: vault.client.proxyUrl ?? '',
        escapeTwiceLocks: preferences.escapeTwiceLocks,
      };
    }
    const preferences = { ...DEFAULT_PREFERENCES, ...this.#pending };
    return {
      phase: await this.#lockedPhase(),
      relayUrl: this.#relayUrl,
      idleLockMinutes: preferences.idleLockMinutes,
      notifications: preferences.notifications,
      online: false,
      proxy: this.#pendingProxy ?? '',
      escapeTwiceLocks: preferences.escapeTwiceLocks,
    };
  }

  #makeHandlers(): ApiHandlers {
    return {
      'app.state': () => this.state(),
      'app.create': (args) => this.#create(args.pseudonym, args.passphrase, args.relayUrl),
      'app.unlock': (args) => this.#unlock(args.passphrase),
      'app.lock': async () => {
        await this.lock();
        return this.state();
      },
      'app.activity': () => {
        this.#vault?.touch();
        return Promise.resolve(null);
      },
      'app.quickExit': async () => {
        this.#options.onQuickExit?.();
        await this.lock();
        return null;
      },
      'settings.update': (args) => this.#updateSettings(args),
      'settings.changePassphrase': async (args) => {
        await this.#unlocked().client.changePassphrase(args.current, args.next);
        return null;
      },
      'personas.list': () => this.#unlocked().personas.list(),
      'personas.create': async (args) => {
        const persona = await this.#unlocked().personas.create(args.pseudonym);
        this.#emit({ type: 'lists-changed' });
        return persona;
      },
      'conversations.list': () => this.#unlocked().conversations.list(),
      'conversations.messages': (args) =>
        this.#unlocked().conversations.messages(args.conversationId, args.reveal),
      'conversations.markRead': async (args) => {
        await this.#unlocked().conversations.markRead(args.conversationId);
        return null;
      },
      'conversations.send': (args) => sendWithFiles(this.#unlocked(), args),
      'conversations.react': async (args) => {
        await this.#unlocked().conversations.react(
          args.conversationId,
          args.messageId,
          args.emoji,
          args.remove ?? false,
        );
        this.#emit({ type: 'changed', conversationIds: [args.conversationId] });
        return null;
      },
      'contacts.list': () => this.#unlocked().contacts.list(),
      'contacts.createInvite': (args) =>
        this.#unlocked().contacts.createInvite(args.maxUses, args.expiresInHours),
      'contacts.add': async (args) => {
        const contact = await this.#unlocked().contacts.add(args.link, args.alias);
        this.#emit({ type: 'lists-changed' });
        return contact;
      },
      'contacts.safetyNumber': (args) =>
        this.#unlocked().contacts.safetyNumber(args.conversationId),
      'contacts.verify': async (args) => {
        const number = await this.#unlocked().contacts.verify(args.conversationId, args.digits);
        this.#emit({ type: 'lists-changed' });
        return number;
      },
      'contacts.setBlocked': async (args) => {
        const contact = await this.#unlocked().contacts.setBlocked(
          args.conversationId,
          args.blocked,
        );
        this.#emit({ type: 'lists-changed' });
        return contact;
      },
      'groups.create': async (args) => {
        const group = await this.#unlocked().groups.create(args);
        this.#emit({ type: 'lists-changed' });
        return group;
      },
      'groups.join': async (args) => {
        const group = await this.#unlocked().groups.join(args);
        this.#emit({ type: 'lists-changed' });
        return group;
      },
      'groups.details': (args) => this.#unlocked().groups.details(args.conversationId),
      'groups.members': (args) => this.#unlocked().groups.members(args.conversationId),
      'groups.requests': (args) => this.#unlocked().groups.requests(args.conversationId),
      'groups.invite': (args) =>
        this.#unlocked().groups.invite(args.conversationId, args.maxUses, args.expiresInHours),
      'groups.setInfo': (args) => this.#unlocked().groups.setInfo(args),
      'groups.setPolicy': (args) => this.#unlocked().groups.setPolicy(args),
      'groups.moderate': async (args) => {
        await this.#unlocked().groups.moderate(args);
        return null;
      },
      'groups.moderateMessage': async (args) => {
        await this.#unlocked().groups.moderateMessage(args);
        return null;
      },
      'groups.report': (args) =>
        this.#unlocked().groups.report(args.conversationId, args.messageId, args.reason),
      'groups.reports': (args) =>
        this.#unlocked().groups.reports(args.conversationId, args.reveal ?? []),
      'groups.log': (args) => this.#unlocked().groups.log(args.conversationId),
      'groups.warnings': (args) => this.#unlocked().groups.warnings(args.conversationId),
      'groups.resetInvites': async (args) => {
        await this.#unlocked().groups.resetInvites(args.conversationId);
        return null;
      },
      'groups.leave': async (args) => {
        await this.#unlocked().groups.leave(args.conversationId);
        this.#emit({ type: 'lists-changed' });
        return null;
      },
      'search.query': (args) => this.#unlocked().search.query(args.query, args.limit ?? 20),
      'backup.create': (args) =>
        makeBackup({
          client: this.#unlocked().client,
          transfers: this.#transfers,
          protection: args.protection,
          passphrase: args.passphrase,
          choose: this.#options.chooseBackupFile,
          emit: (event) => {
            this.#emit(event);
          },
        }),
      'backup.read': (args) => this.#transfers.read(args.backupId, args.offset),
      'backup.discard': async (args) => {
        await this.#transfers.discardDownload(args.backupId);
        return null;
      },
      'backup.checkKey': async (args) => ({ formatted: await checkRecoveryKey(args.key) }),
      'restore.begin': async (args) => {
        await this.#refuseRestoreOverVault();
        return { stagingId: await this.#transfers.beginStaging(args.size) };
      },
      'restore.append': async (args) => ({
        received: await this.#transfers.append(args.stagingId, args.offset, args.data),
      }),
      'restore.inspect': async (args) => ({
        protection: await readBackupProtection(this.#transfers.completeFile(args.stagingId)),
      }),
      'restore.run': (args) => this.#restore(args.stagingId, args.secret, args.passphrase),
      'restore.discard': async (args) => {
        await this.#transfers.discardStaged(args.stagingId);
        return null;
      },
      'conversations.timer': (args) => this.#unlocked().timers.timer(args.conversationId),
      'conversations.setTimer': async (args) => {
        const timer = await this.#unlocked().timers.setTimer(args.conversationId, args.seconds);
        this.#emit({ type: 'changed', conversationIds: [args.conversationId] });
        return timer;
      },
      ...attachmentHandlers(() => this.#unlocked()),
      ...messageActionHandlers(
        () => this.#unlocked(),
        (event) => {
          this.#emit(event);
        },
      ),
      ...deliveryHandlers(
        () => this.#unlocked(),
        (event) => {
          this.#emit(event);
        },
      ),
      ...moderationHandlers(
        () => this.#unlocked(),
        () => {
          this.#emit({ type: 'lists-changed' });
        },
      ),
      ...crisisHandlers(),
      ...journalHandlers(
        () => this.#unlocked(),
        (event) => {
          this.#emit(event);
        },
      ),
      ...scheduleHandlers(() => this.#unlocked()),
      ...scheduledChatHandlers(() => this.#unlocked()),
      ...topicHandlers(
        () => this.#unlocked(),
        (conversationId) => {
          this.#emit({ type: 'changed', conversationIds: [conversationId] });
        },
      ),
      ...groupResourceHandlers(() => this.#unlocked()),
      ...requestHandlers(
        () => this.#unlocked(),
        (event) => {
          this.#emit(event);
        },
      ),
      ...directoryHandlers(
        () => this.#unlocked(),
        () => {
          this.#emit({ type: 'lists-changed' });
        },
      ),
    };
  }

  /**
   * First run → Restore: the staged backup becomes this home's vault, then opens. Only ever into
   * an empty home: a vault here is never overwritten (core refuses too, CORE_VAULT_EXISTS). On
   * failure the staged file stays for another try.
   */
  #restore(stagingId: string, secret: string, passphrase: string): Promise<AppState> {
    return this.#serial(async () => {
      await this.#refuseRestoreOverVault();
      const file = this.#transfers.completeFile(stagingId);
      await restoreInto({
        file,
        home: this.#options.home,
        secret,
        passphrase,
        kdf: this.#options.kdf,
        emit: (event) => {
          this.#emit(event);
        },
      });
      this.#vaultExists = true;
      await this.#transfers.discardStaged(stagingId);
      const client = await KindredClient.open({
        home: this.#options.home,
        passphrase,
        ...this.#options.clientOptions,
      });
      // A proxy chosen on the first screen wins over the backup's: the person wants it now.
      if (this.#pendingProxy !== undefined) {
        await client.setProxy(this.#pendingProxy).catch(async (error: unknown) => {
          await client.close();
          throw error;
        });
      }
      this.#vault = await UnlockedVault.open(client, {
        ...this.#vaultOptions(),
        initialPreferences: this.#pending,
      });
      this.#relayUrl = client.whoami().relayUrl;
      this.#pending = {};
      this.#pendingProxy = undefined;
      this.#logger.info({}, 'vault restored from a backup');
      return this.state();
    });
  }

  async #refuseRestoreOverVault(): Promise<void> {
    if (this.#vault !== undefined || (await this.#lockedPhase()) !== 'first-run') {
      throw new DesktopError(
        DesktopErrorCode.WrongPhase,
        'Kindred already holds a vault in this home folder, and a restore never replaces one. To restore a backup, start Kindred with a new, empty home folder and choose “Restore from a backup” on its first screen.',
      );
    }
  }

  /** First run: creates the vault and the main persona, registers it, and opens the vault. */
  #create(pseudonym: string, passphrase: string, relayUrl: string): Promise<AppState> {
    return this.#serial(async () => {
      if (this.#vault !== undefined || (await this.#lockedPhase()) !== 'first-run') {
        throw new DesktopError(
          DesktopErrorCode.WrongPhase,
          'Kindred is already set up on this device.',
        );
      }
      const client = await KindredClient.init({
        home: this.#options.home,
        passphrase,
        pseudonym,
        relayUrl,
        ...(this.#options.kdf === undefined ? {} : { kdf: this.#options.kdf }),
        ...(this.#pendingProxy === undefined ? {} : { proxy: this.#pendingProxy }),
        ...this.#options.clientOptions,
      });
      this.#vaultExists = true;
      this.#relayUrl = relayUrl;
      this.#vault = await UnlockedVault.open(client, {
        ...this.#vaultOptions(),
        initialPreferences: this.#pending,
      });
      this.#pending = {};
      this.#pendingProxy = undefined;
      this.#logger.info({}, 'vault created');
      return this.state();
    });
  }

  #unlock(passphrase: string): Promise<AppState> {
    return this.#serial(async () => {
      if (this.#vault !== undefined) return this.state();
      if ((await this.#lockedPhase()) !== 'locked') {
        throw new DesktopError(
          DesktopErrorCode.WrongPhase,
          'There is nothing to unlock yet: set Kindred up first.',
        );
      }
      const client = await KindredClient.open({
        home: this.#options.home,
        passphrase,
        ...this.#options.clientOptions,
      });
      this.#vault = await UnlockedVault.open(client, this.#vaultOptions());
      this.#relayUrl = client.whoami().relayUrl;
      this.#logger.info({}, 'vault unlocked');
      return this.state();
    });
  }

  async #updateSettings(changes: {
    relayUrl?: string | undefined;
    idleLockMinutes?: number | undefined;
    notifications?: { enabled: boolean; showText: boolean } | undefined;
    proxy?: string | undefined;
    escapeTwiceLocks?: boolean | undefined;
  }): Promise<AppState> {
    const proxy = changes.proxy === undefined ? undefined : changes.proxy.trim();
    const preferences: Partial<Preferences> = {
      ...(changes.idleLockMinutes === undefined
        ? {}
        : { idleLockMinutes: changes.idleLockMinutes }),
      ...(changes.notifications === undefined ? {} : { notifications: changes.notifications }),
      ...(changes.escapeTwiceLocks === undefined
        ? {}
        : { escapeTwiceLocks: changes.escapeTwiceLocks }),
    };
    const vault = this.#vault;
    if (vault !== undefined) {
      // Before a move: the probe of the new address already goes through the new proxy.
      if (proxy !== undefined) await vault.client.setProxy(proxy === '' ? undefined : proxy);
      if (changes.relayUrl !== undefined) await vault.client.moveRelay(changes.relayUrl);
      await vault.updatePreferences(preferences);
      return this.state();
    }
    if ((await this.#lockedPhase()) !== 'first-run') throw DesktopError.locked();
    // Before the first run there is no vault to keep them in yet: they wait for app.create.
    if (changes.relayUrl !== undefined) {
      checkRelayUrl(changes.relayUrl);
      this.#relayUrl = changes.relayUrl;
    }
    if (proxy !== undefined) {
      if (proxy !== '') parseProxyUrl(proxy);
      this.#pendingProxy = proxy === '' ? undefined : proxy;
    }
    this.#pending = { ...this.#pending, ...preferences };
    return this.state();
  }

  #vaultOptions(): UnlockedVaultOptions {
    return {
      home: this.#options.home,
      ...(this.#options.chooseSavePath === undefined
        ? {}
        : { chooseSavePath: this.#options.chooseSavePath }),
      logger: this.#logger,
      minuteMs: this.#options.idleMinuteMs ?? MINUTE_MS,
      ...(this.#options.reminderPollMs === undefined
        ? {}
        : { reminderPollMs: this.#options.reminderPollMs }),
      emit: (event) => {
        this.#emit(event);
      },
      onIdle: () => {
        this.#logger.info({}, 'idle time ran out');
        this.lock().catch(() => undefined);
      },
    };
  }

  #unlocked(): UnlockedVault {
    if (this.#vault === undefined) throw DesktopError.locked();
    return this.#vault;
  }

  /** 'first-run' until a vault exists in the home folder, then 'locked'. */
  async #lockedPhase(): Promise<Exclude<AppPhase, 'unlocked'>> {
    // Once there is a vault there always is one; until then, look again each time (another
    // process may have made one).
    if (this.#vaultExists !== true) this.#vaultExists = await Vault.exists(this.#options.home);
    return this.#vaultExists ? 'locked' : 'first-run';
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#lifecycle.then(work, work);
    this.#lifecycle = run.catch(() => undefined);
    return run;
  }

  #emit(event: AppEvent): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.warn(
          { kind: error instanceof Error ? error.name : typeof error },
          'an event listener failed',
        );
      }
    }
  }
}
