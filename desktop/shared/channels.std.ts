/**
 * Electron IPC channel names (the dev host uses the same message shapes on its WebSocket). Kept
 * apart from api.std.ts, which re-exports them, so the sandboxed preload can import the names
 * without bundling the schemas and zod.
 */
export const CHANNELS = {
  /** renderer → main: one call, answered with a CallResult (api.std.ts). */
  invoke: 'kindred:invoke',
  /** main → renderer: one AppEvent (api.std.ts). */
  event: 'kindred:event',
} as const;
