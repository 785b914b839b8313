/**
 * A failure of the command line itself (bad arguments, no passphrase), as opposed to a CoreError
 * from the client. Codes are stable: scripts may branch on them.
 */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const CliErrorCode = {
  /** Arguments or options the command does not accept. */
  Usage: 'CLI_USAGE',
  /** No KINDRED_PASSPHRASE and no terminal to ask on. */
  NoPassphrase: 'CLI_NO_PASSPHRASE',
  /** The relay could not take the outbox in time; messages wait there for the next sync. */
  NotSent: 'CLI_NOT_SENT',
} as const;

export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];
