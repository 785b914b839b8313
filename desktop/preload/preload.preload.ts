/**
 * The window's only door to the main process. It exposes exactly one object, `window.kindred`
 * (a {@link KindredBridge}): one call function and one event subscription. Nothing of Electron
 * (no ipcRenderer, no event objects) crosses into the page, and nothing is checked here: the main
 * process checks every call, since a compromised page could skip any check made on this side.
 */
import type { IpcRendererEvent } from 'electron';
import { contextBridge, ipcRenderer } from 'electron';
import type { ApiCall, AppEvent, CallResult, KindredBridge } from '../shared/api.std.js';
import { CHANNELS } from '../shared/channels.std.js';

const bridge: KindredBridge = {
  call: (call: ApiCall): Promise<CallResult> =>
    ipcRenderer.invoke(CHANNELS.invoke, call) as Promise<CallResult>,
  onEvent: (listener: (event: AppEvent) => void): (() => void) => {
    const forward = (_event: IpcRendererEvent, appEvent: AppEvent): void => {
      listener(appEvent);
    };
    ipcRenderer.on(CHANNELS.event, forward);
    return () => {
      ipcRenderer.removeListener(CHANNELS.event, forward);
    };
  },
};

contextBridge.exposeInMainWorld('kindred', bridge);
