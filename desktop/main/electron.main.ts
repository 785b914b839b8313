/**
 * Electron's main process: the one place the vault is opened. The window is a sandboxed page
 * with context isolation and no Node, served from app://kindred/ under a strict CSP; it reaches
 * the vault only through the preload's `window.kindred` and the IPC channel below, whose every
 * call is checked by the call router.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IpcMainInvokeEvent } from 'electron';
import { BrowserWindow, Notification, app, dialog, ipcMain, powerMonitor, session } from 'electron';
import type { AppEvent, CallResult } from '../shared/api.std.js';
import { CHANNELS, DesktopErrorCode } from '../shared/api.std.js';
import { matchLocale, type Locale } from '../shared/i18n/locales.std.js';
import { APP_ORIGIN_URL, isAppUrl, registerAppScheme, serveRenderer } from './appProtocol.main.js';
import { routeCall } from './callRouter.main.js';
import { DesktopService } from './DesktopService.main.js';
import { createStderrLogger } from './logger.main.js';
import { nativeNotificationText } from './notificationText.main.js';
import { hardenContents, hardenSession } from './windowHardening.main.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Built next to this file (desktop/dist/); the renderer build is desktop/renderer/dist/. */
const PRELOAD = path.join(here, 'preload.cjs');
const RENDERER_DIR = path.join(here, '..', 'renderer', 'dist');
const DEFAULT_RELAY_URL = 'ws://127.0.0.1:8787';

const logger = createStderrLogger();
let mainWindow: BrowserWindow | undefined;

app.enableSandbox();
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  // One vault, one process: a second start only brings the first window forward.
  app.quit();
} else {
  app.on('second-instance', () => {
    showWindow();
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenContents(contents);
  });
  app.whenReady().then(start, (error: unknown) => {
    logger.error({ kind: error instanceof Error ? error.name : typeof error }, 'not ready');
    app.exit(1);
  });
}

function start(): void {
  if (process.platform === 'win32') app.setAppUserModelId('org.kindred.desktop');
  hardenSession(session.defaultSession);
  serveRenderer(RENDERER_DIR);

  const service = new DesktopService({
    home: process.env.KINDRED_DESKTOP_HOME ?? path.join(app.getPath('userData'), 'vault'),
    defaultRelayUrl: process.env.KINDRED_RELAY_URL ?? DEFAULT_RELAY_URL,
    logger,
    onQuickExit: () => {
      mainWindow?.hide();
    },
    // Settings → Back up: the system's save dialog; the service writes the file there itself.
    chooseBackupFile: async (fileName) => {
      const options = { defaultPath: path.join(app.getPath('documents'), fileName) };
      const chosen =
        mainWindow === undefined
          ? await dialog.showSaveDialog(options)
          : await dialog.showSaveDialog(mainWindow, options);
      return chosen.canceled || chosen.filePath === '' ? undefined : chosen.filePath;
    },
    // Attachments → Save: the same dialog, in Downloads.
    chooseSavePath: async (suggestedName) => {
      const options = { defaultPath: path.join(app.getPath('downloads'), suggestedName) };
      const chosen =
        mainWindow === undefined
          ? await dialog.showSaveDialog(options)
          : await dialog.showSaveDialog(mainWindow, options);
      return chosen.canceled || chosen.filePath === '' ? undefined : chosen.filePath;
    },
  });

  ipcMain.handle(CHANNELS.invoke, (event, payload: unknown): Promise<CallResult> => {
    if (!isOwnPage(event)) {
      logger.warn({}, 'a call from a frame that is not ours was refused');
      return Promise.resolve({
        ok: false,
        error: {
          code: DesktopErrorCode.Forbidden,
          message: 'Calls come only from Kindred’s window.',
        },
      });
    }
    return routeCall(service.handlers, payload, logger);
  });

  service.onEvent((event) => {
    deliver(event);
  });

  // A screen that locks or a laptop that sleeps locks the vault too.
  powerMonitor.on('lock-screen', () => {
    service.lock().catch(() => undefined);
  });
  powerMonitor.on('suspend', () => {
    service.lock().catch(() => undefined);
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    service
      .close()
      .catch(() => undefined)
      .finally(() => {
        app.quit();
      });
  });
  app.on('window-all-closed', () => {
    app.quit();
  });
  app.on('activate', () => {
    showWindow();
  });
  showWindow();
}

function createWindow(): BrowserWindow {
  const created = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    show: false,
    title: 'Kindred',
    webPreferences: {
      preload: PRELOAD,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: !app.isPackaged,
    },
  });
  created.once('ready-to-show', () => {
    created.show();
  });
  created.on('closed', () => {
    mainWindow = undefined;
  });
  created.loadURL(APP_ORIGIN_URL).catch(() => {
    logger.error({}, 'the window did not load');
  });
  return created;
}

function showWindow(): void {
  if (!app.isReady()) return;
  mainWindow ??= createWindow();
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** Only our window's top frame, showing our page, may call. */
function isOwnPage(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return (
    event.sender === mainWindow?.webContents &&
    frame !== null &&
    frame === event.sender.mainFrame &&
    isAppUrl(frame.url)
  );
}

/** Notifications on screen: a lock takes them away (they name chats and may show text). */
const shownNotifications = new Set<Notification>();

function deliver(event: AppEvent): void {
  const target = mainWindow;
  if (target !== undefined && !target.isDestroyed()) {
    target.webContents.send(CHANNELS.event, event);
  }
  if (event.type === 'locked') {
    for (const shown of shownNotifications) shown.close();
    shownNotifications.clear();
  }
  if (event.type !== 'notify' || !Notification.isSupported()) return;
  // The person is looking at the window already: the window shows it.
  if (target?.isFocused() === true) return;
  const about = event.about;
  void windowLocale(target).then((locale) => {
    const notification = new Notification(nativeNotificationText(about, locale));
    notification.on('click', () => {
      showWindow();
    });
    notification.on('close', () => {
      shownNotifications.delete(notification);
    });
    shownNotifications.add(notification);
    notification.show();
  });
}

/**
 * The language chosen in Settings → Appearance, which the window keeps in its own storage and
 * sets on its <html lang>; the system's when the window cannot say.
 */
async function windowLocale(target: BrowserWindow | undefined): Promise<Locale> {
  const system = app.getPreferredSystemLanguages();
  if (target === undefined || target.isDestroyed()) return matchLocale(system);
  const lang: unknown = await target.webContents
    .executeJavaScript('document.documentElement.lang')
    .catch(() => undefined);
  return matchLocale(typeof lang === 'string' && lang !== '' ? [lang, ...system] : system);
}
