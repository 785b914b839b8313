import { StringDecoder } from 'node:string_decoder';
import { CliError, CliErrorCode } from './CliError.js';

/** The passphrase comes from KINDRED_PASSPHRASE, or is asked for on the terminal without echo. */
export async function readPassphrase(options: { confirm: boolean }): Promise<string> {
  const fromEnv = process.env.KINDRED_PASSPHRASE;
  if (fromEnv !== undefined && fromEnv.length > 0) return fromEnv;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    throw new CliError(
      CliErrorCode.NoPassphrase,
      'set KINDRED_PASSPHRASE or run in a terminal to be asked for the passphrase',
    );
  }
  const first = await promptHidden('Passphrase: ');
  if (options.confirm) {
    const second = await promptHidden('Passphrase again: ');
    if (first !== second) throw new CliError(CliErrorCode.Usage, 'the passphrases differ');
  }
  return first;
}

/** Reads one line from the terminal in raw mode, echoing nothing. */
export function promptHidden(prompt: string): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write(prompt);
  return new Promise((resolve, reject) => {
    let input = '';
    // A pasted character may arrive split across chunks; decoding each chunk on its own would
    // change the passphrase.
    const decoder = new StringDecoder('utf8');
    const finish = (result: () => void): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      result();
    };
    const onData = (chunk: Buffer): void => {
      for (const char of decoder.write(chunk)) {
        if (char === '\r' || char === '\n') {
          finish(() => {
            resolve(input);
          });
          return;
        }
        if (char === '\u0003' || char === '\u0004') {
          finish(() => {
            reject(new CliError(CliErrorCode.NoPassphrase, 'no passphrase given'));
          });
          return;
        }
        if (char === '\u007f' || char === '\b') input = input.slice(0, -1);
        else input += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}
