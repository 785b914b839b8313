import { pino } from 'pino';
import type { Level, Logger } from 'pino';

export type { Logger };

export const LOG_LEVELS: readonly Level[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/**
 * The relay's one logger: JSON lines on stderr (stdout belongs to the command's own output).
 * What the relay logs is counts, codes and lifecycle events, never content, keys, pseudonyms,
 * persona addresses or remote addresses: nothing that says who talks to whom.
 */
export function createStderrLogger(level: Level | 'silent'): Logger {
  return pino({ level, base: { pid: process.pid } }, pino.destination({ dest: 2, sync: true }));
}

/** For library use and tests: logs nothing. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
