/**
 * What the relay may log about an error: its stable code and its class name. Never its message,
 * which for third-party errors (LevelDB, ws) can quote keys and therefore persona addresses.
 */
export function errorCodeOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    if (typeof error.code === 'string') return error.code;
  }
  return 'UNKNOWN';
}

export function errorNameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
