import { CommanderError } from 'commander';
import { CliErrorCode } from './CliError.js';
import { describeFailure } from './failureReport.js';
import { buildProgram } from './program.js';

/**
 * Runs the command line and returns the exit code: 0 on success, 2 for bad arguments, 1 for any
 * other failure, reported as one line on stderr: `kindred: <code>: <message>`. Never a stack trace:
 * messages of CoreErrors carry no user data, and anything unexpected is reported by code only.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  let usageMessage: string | undefined;
  program.configureOutput({
    writeErr: (text) => {
      usageMessage ??= text.trim().split('\n')[0];
    },
    outputError: (text) => {
      usageMessage ??= text.trim().split('\n')[0];
    },
  });
  for (const command of program.commands) forwardErrors(command, (text) => (usageMessage ??= text));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end this way too, after printing to stdout.
      if (error.exitCode === 0) return 0;
      errorLine(CliErrorCode.Usage, cleanUsage(usageMessage ?? error.message));
      return 2;
    }
    const failure = describeFailure(error);
    errorLine(failure.code, failure.message);
    return failure.exitCode;
  }
}

/** Subcommands report through their own output configuration; send it to the same place. */
function forwardErrors(
  command: ReturnType<typeof buildProgram>,
  sink: (text: string) => void,
): void {
  command.exitOverride();
  command.configureOutput({
    writeErr: (text) => {
      sink(text.trim().split('\n')[0] ?? '');
    },
    outputError: (text) => {
      sink(text.trim().split('\n')[0] ?? '');
    },
  });
  for (const child of command.commands) forwardErrors(child, sink);
}

function cleanUsage(message: string): string {
  return message
    .replace(/^error:\s*/i, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function errorLine(code: string, message: string): void {
  process.stderr.write(`kindred: ${code}: ${message.replace(/\s+/g, ' ').trim()}\n`);
}

// A reader that stops reading (`kindred listen --json | head -n 1`) makes the next write fail with
// EPIPE, which Node would otherwise report as an uncaught error with a stack trace. The reader
// chose to stop: end quietly, as if interrupted.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  errorLine('CORE_INTERNAL', 'could not write the output');
  process.exit(1);
});

const code = await runCli(process.argv.slice(2));
process.exitCode = code;
// Everything is closed by now; if a stray handle still holds the event loop, do not hang a script.
setTimeout(() => process.exit(code), 1500).unref();
