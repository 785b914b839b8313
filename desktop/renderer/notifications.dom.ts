/**
 * Desktop notifications in a plain browser (the dev host). Inside Electron the main process shows
 * native ones itself, so the window never does. Permission is asked only from a click in Settings.
 */

export type NotificationPermissionState = 'unsupported' | 'default' | 'granted' | 'denied';

export function notificationPermission(): NotificationPermissionState {
  if (!('Notification' in window)) return 'unsupported';
  return Notification.permission;
}

/** Must run inside a click handler: browsers ignore the request otherwise. */
export async function askNotificationPermission(): Promise<NotificationPermissionState> {
  if (!('Notification' in window)) return 'unsupported';
  return Notification.requestPermission();
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
    notification.addEventListener('click', () => {
      window.focus();
      onOpen();
      notification.close();
    });
  } catch {
    // Some browsers only allow notifications from a service worker; then there is none.
  }
}
