import { readFile, stat } from 'node:fs/promises';
import { CliError, CliErrorCode } from './CliError.js';

/**
 * Message text, contact and group links and relay invite tokens are health data or secrets, and
 * anything on the command line shows in `ps` and shell history. So each of them can come, by one
 * convention across commands, from standard input (the value `-`) or from a file (`--…-file PATH`,
 * e.g. `--text-file`, `--link-file`, `--invite-token-file`); the argument itself still works.
 */

/** The most read from stdin or a file: far above any text or link a command takes. */
export const MAX_PRIVATE_INPUT_BYTES = 1024 * 1024;

/** What the input is: `text` keeps inner whitespace (one final newline goes); others are trimmed. */
export type PrivateInputKind = 'text' | 'secret';

export interface PrivateInputSource {
  /** The argument or option as given: the value itself, `-` for stdin, or undefined. */
  readonly value: string | undefined;
  /** The `--…-file` option's path, if given. */
  readonly file: string | undefined;
  /** How usage errors name it, e.g. `the message` or `the link`. */
  readonly what: string;
  /** The file option's name, for usage errors, e.g. `--text-file`. */
  readonly fileOption: string;
  readonly kind: PrivateInputKind;
}

/** Resolves a private input from its argument, stdin (`-`) or file; refuses none or both. */
export async function readPrivateInput(source: PrivateInputSource): Promise<string> {
  const { value, file, what, fileOption } = source;
  if (value !== undefined && file !== undefined) {
    throw new CliError(CliErrorCode.Usage, `give ${what} or ${fileOption}, not both`);
  }
  let raw: string;
  if (file !== undefined) raw = await readFromFile(file, fileOption);
  else if (value === '-') raw = await readFromStdin(what);
  else if (value !== undefined) raw = value;
  else {
    throw new CliError(
      CliErrorCode.Usage,
      `give ${what}: - reads it from standard input, ${fileOption} PATH from a file`,
    );
  }
  const result = source.kind === 'text' ? raw.replace(/\r?\n$/, '') : raw.trim();
  if (result.length === 0) throw new CliError(CliErrorCode.Usage, `${what} is empty`);
  return result;
}

async function readFromFile(file: string, fileOption: string): Promise<string> {
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size > MAX_PRIVATE_INPUT_BYTES) {
      throw new CliError(
        CliErrorCode.Usage,
        `${fileOption} must name a file of at most ${MAX_PRIVATE_INPUT_BYTES} bytes`,
      );
    }
    return decodeUtf8(await readFile(file), fileOption);
  } catch (error) {
    if (error instanceof CliError) throw error;
    // The path may say something about its owner: the message names the option, not the path.
    throw new CliError(CliErrorCode.Usage, `cannot read the file given to ${fileOption}`);
  }
}

async function readFromStdin(what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_PRIVATE_INPUT_BYTES) {
      throw new CliError(
        CliErrorCode.Usage,
        `${what} on standard input is over ${MAX_PRIVATE_INPUT_BYTES} bytes`,
      );
    }
    chunks.push(chunk);
  }
  return decodeUtf8(Buffer.concat(chunks), `${what} on standard input`);
}

function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CliError(CliErrorCode.Usage, `${what} is not UTF-8 text`);
  }
}

/** A message's text: the argument, `-` for stdin, or `--text-file`. */
export function readMessageText(
  value: string | undefined,
  file: string | undefined,
): Promise<string> {
  return readPrivateInput({
    value,
    file,
    what: 'the message',
    fileOption: '--text-file',
    kind: 'text',
  });
}

/** A contact or group link: the argument, `-` for stdin, or `--link-file`. */
export function readLink(value: string | undefined, file: string | undefined): Promise<string> {
  return readPrivateInput({
    value,
    file,
    what: 'the link',
    fileOption: '--link-file',
    kind: 'secret',
  });
}
