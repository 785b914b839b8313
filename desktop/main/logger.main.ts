import { pino } from 'pino';

/** Only plain facts go in a log line: codes, counts, method names. Never text, names or keys. */
export type LogFields = Readonly<Record<string, string | number | boolean>>;

/**
 * The desktop's one logger. What it logs is lifecycle events, method names and error codes: no
 * message text, pseudonym, address, passphrase or link, so a log shared for support reveals
 * nothing about who the person talks to.
 */
export interface DesktopLogger {
  info(fields: LogFields, message: string): void;
  warn(fields: LogFields, message: string): void;
  error(fields: LogFields, message: string): void;
}

/** JSON lines on stderr (stdout belongs to the dev host's own output). */
export function createStderrLogger(level: 'info' | 'warn' | 'error' = 'info'): DesktopLogger {
  const log = pino(
    { level, base: { pid: process.pid, part: 'desktop' } },
    pino.destination({ dest: 2, sync: true }),
  );
  return {
    info: (fields, message) => {
      log.info(fields, message);
    },
    warn: (fields, message) => {
      log.warn(fields, message);
    },
    error: (fields, message) => {
      log.error(fields, message);
    },
  };
}

/** For tests and library use: logs nothing. */
export const silentLogger: DesktopLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
