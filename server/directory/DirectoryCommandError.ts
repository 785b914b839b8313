/** An operator command the relay refused, with a code the command line prints (exit 1). */
export class DirectoryCommandError extends Error {
  override readonly name = 'DirectoryCommandError';
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}
