/**
 * Desktop notifications in a plain browser (the dev host). Inside Electron the main process shows
 * native ones itself, so the window never does. Permission is asked only from a click in Settings.
 */

export type NotificationPermissionState = 'unsupported' | 'default' | 'granted' | 'denied';

export function notificationPermission(): NotificationPermissionState {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.permission;
}

/** Must run inside a click handler: browsers ignore the request otherwise. */
export async function askNotificationPermission(): Promise<NotificationPermissionState> {
  if (typeof Notification === 'undefined') return 'unsupported';
  return Notification.requestPermission();
}

/** Notifications this page showed and that may still be on screen (closed when the vault locks). */
const shown = new Set<Notification>();

/** Takes every notification this page showed off the screen: the vault locked. */
export function closeBrowserNotifications(): void {
  for (const notification of shown) notification.close();
  shown.clear();
}

export function showBrowserNotification(
  title: string,
  body: string,
  tag: string,
  onOpen: () => void,
): void {
  if (notificationPermission() !== 'granted') return;
  try {
    const notification = new Notification(title, { body, tag, silent: false });
    shown.add(notification);
    notification.addEventListener('close', () => {
      shown.delete(notification);
    });
    notification.addEventListener('click', () => {
      window.focus();
      onOpen();
      notification.close();
    });
  } catch {
    // Some browsers only allow notifications from a service worker; then there is none.
  }
}
