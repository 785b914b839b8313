import { Command, Option } from 'commander';
import {
  blockCommand,
  contactAddCommand,
  contactsCommand,
  initCommand,
  inviteCommand,
  listenCommand,
  messagesCommand,
  safetyNumberCommand,
  sendCommand,
  syncCommand,
  timerCommand,
  unblockCommand,
  verifyCommand,
  whoamiCommand,
} from './actions.js';
import type { CommonOptions, InitOptions } from './actions.js';
import { parseCount } from './arguments.js';
import { addBackupCommands } from './backupProgram.js';
import { attachmentSaveCommand, collectFiles } from './attachmentCommands.js';
import { addGroupCommands } from './groupProgram.js';
import { contactRemoveCommand, deleteCommand, editCommand } from './messageActionCommands.js';
import { addDeliveryCommands } from './deliveryCommands.js';
import { searchCommand } from './searchCommand.js';
import { addJournalCommands } from './journalCommands.js';
import { addDirectoryCommands } from './directoryCommands.js';
import { helpNowCommand } from './helpNowCommand.js';
import { readLink, readMessageText, readPrivateInput } from './privateInput.js';

/** Adds the options every command accepts. */
function common(command: Command): Command {
  return command
    .option('--home <dir>', 'the vault folder (default: $KINDRED_HOME or ~/.kindred)')
    .option('--json', 'print one JSON object per line')
    .option(
      '--proxy <url>',
      'connect through a SOCKS5 proxy such as Tor (socks5://127.0.0.1:9050), each persona with ' +
        'its own credentials; kept in the vault ("none" connects directly again). Without one, ' +
        'the relay sees the same IP address for all your personas',
    );
}

/**
 * The `kindred` command line. Its command names, options and JSON output are a contract that
 * scripts and tests outside the project rely on: extend it, never change it.
 */
export function buildProgram(): Command {
  const program = new Command('kindred')
    .description('Kindred: an end-to-end encrypted, anonymous support messenger')
    .version('0.1.0')
    .showSuggestionAfterError(false)
    .exitOverride();

  common(program.command('init'))
    .description('create a vault and a persona, and register it on a relay')
    .requiredOption('--name <pseudonym>', 'the pseudonym contacts will see')
    .requiredOption('--server <url>', 'the relay, ws:// (this machine only) or wss://')
    .option(
      '--invite-token <token>',
      'a relay invite token (base64url), or - to read it from stdin',
    )
    .option('--invite-token-file <path>', 'read the relay invite token from a file')
    // No .choices(): it would print every profile in --help, and insecure-fast is for test
    // suites only (parseKdf takes it with KINDRED_TEST_INSECURE_KDF=1).
    .addOption(
      new Option('--kdf <profile>', 'passphrase hashing strength: moderate or sensitive').default(
        'moderate',
      ),
    )
    .option('--allow-insecure-transport', 'allow plain ws:// to another machine')
    .action(async (options: InitOptions & { inviteTokenFile?: string }) => {
      const { inviteTokenFile, ...rest } = options;
      const token =
        options.inviteToken === undefined && inviteTokenFile === undefined
          ? undefined
          : await readPrivateInput({
              value: options.inviteToken,
              file: inviteTokenFile,
              what: 'the invite token',
              fileOption: '--invite-token-file',
              kind: 'secret',
            });
      await initCommand({ ...rest, ...(token === undefined ? {} : { inviteToken: token }) });
    });

  common(program.command('whoami'))
    .description('show this persona')
    .action((options: CommonOptions) => whoamiCommand(options));

  common(program.command('invite'))
    .description('make a contact invite link')
    .option('--uses <n>', 'how many people may use it (0: unlimited)', '1')
    .option('--expires <duration>', 'lifetime, like 30m, 24h, 7d, or never', '7d')
    .action((options: CommonOptions & { uses: string; expires: string }) =>
      inviteCommand({ ...options, uses: parseCount(options.uses, '--uses', 0, 1_000_000) }),
    );

  const contact = program.command('contact').description('manage contacts');
  common(contact.command('add'))
    .description('add a contact from their invite link')
    .argument('[link]', 'a kindred:contact/… link, or - to read it from stdin')
    .option('--link-file <path>', 'read the link from a file')
    .option('--alias <name>', 'what to call them here')
    .action(
      async (
        link: string | undefined,
        options: CommonOptions & { alias?: string; linkFile?: string },
      ) => {
        const { linkFile, ...rest } = options;
        await contactAddCommand(await readLink(link, linkFile), rest);
      },
    );

  common(program.command('contacts'))
    .description('list contacts')
    .action((options: CommonOptions) => contactsCommand(options));

  common(program.command('send'))
    .description('send a message')
    .argument('<contact>', 'alias or address')
    .argument('[text]', 'the message, or - to read it from stdin (kept out of ps and history)')
    .option('--text-file <path>', 'read the message from a file')
    .option('--attach <file>', 'attach a file (repeatable, at most 10)', collectFiles, [])
    .option('--send-uncleaned', 'send files Kindred cannot clean of their metadata as they are')
    .option(
      '--keep-names',
      'send the files under their real names (default: photo.jpg, document.pdf…)',
    )
    .option('--warning <text>', 'a content warning: they see the message covered by it')
    .action(
      async (
        reference: string,
        text: string | undefined,
        options: CommonOptions & {
          textFile?: string;
          attach: string[];
          sendUncleaned?: boolean;
          warning?: string;
          keepNames?: boolean;
        },
      ) => {
        const { textFile, ...rest } = options;
        const body =
          text === undefined && textFile === undefined && rest.attach.length > 0
            ? ''
            : await readMessageText(text, textFile);
        await sendCommand(reference, body, rest);
      },
    );

  common(program.command('timer'))
    .description('set disappearing messages for a contact (both sides see it): 5m .. 4w, or off')
    .argument('<contact>', 'alias or address')
    .argument('<timer>', 'off, or like 30m, 1h, 1d, 1w')
    .action((reference: string, value: string, options: CommonOptions) =>
      timerCommand(reference, value, options),
    );

  const attachment = program.command('attachment').description('files sent with messages');
  common(attachment.command('save'))
    .description('decrypt an attachment (its id as `messages` shows it) into a file')
    .argument('<id>', 'MESSAGE-ID.N')
    .requiredOption('--out <file>', 'where to write it')
    .option('--wait <seconds>', 'wait up to this long for its download', '120')
    .action((id: string, options: CommonOptions & { out: string; wait: string }) =>
      attachmentSaveCommand(id, { ...options, wait: parseCount(options.wait, '--wait', 0, 3600) }),
    );

  common(program.command('sync'))
    .description('send the outbox, print what arrived (from contacts and groups), and exit')
    .option('--wait <seconds>', 'wait up to this long for a first message', '0')
    .option('--reveal', 'show messages under a content warning uncovered')
    .action((options: CommonOptions & { wait: string; reveal?: boolean }) =>
      syncCommand({ ...options, wait: parseCount(options.wait, '--wait', 0, 3600) }),
    );

  common(program.command('listen'))
    .description('stay connected and print messages as they arrive (Ctrl-C stops)')
    .option('--reveal', 'show messages under a content warning uncovered')
    .action((options: CommonOptions & { reveal?: boolean }) => listenCommand(options));

  common(program.command('messages'))
    .description('show the conversation with a contact, or a group’s messages')
    .argument('<contact>', 'alias or address, or else a group')
    .option('--reveal', 'show messages under a content warning uncovered')
    .action((reference: string, options: CommonOptions & { reveal?: boolean }) =>
      messagesCommand(reference, options),
    );

  common(program.command('search'))
    .description(
      'find messages in every conversation and group holding all the words (the last one also ' +
        'as the start of a word; case and accents do not matter), newest first',
    )
    .argument('<words...>', 'the words to find')
    .option('--limit <n>', 'at most this many results (1 to 200)', '20')
    .option('--in <contact>', 'only the conversation with this contact, or this group')
    .option('--reveal', 'show messages under a content warning uncovered')
    .action(
      (
        words: string[],
        options: CommonOptions & { limit: string; in?: string; reveal?: boolean },
      ) =>
        searchCommand(words.join(' '), {
          ...options,
          limit: parseCount(options.limit, '--limit', 1, 200),
        }),
    );

  common(program.command('safety-number'))
    .description('show the safety number to compare with a contact')
    .argument('<contact>', 'alias or address')
    .action((reference: string, options: CommonOptions) => safetyNumberCommand(reference, options));

  common(program.command('verify'))
    .description('mark a contact verified after comparing safety numbers')
    .argument('<contact>', 'alias or address')
    .argument('<number>', 'the safety number you compared (spaces allowed)')
    .action((reference: string, number: string, options: CommonOptions) =>
      verifyCommand(reference, number, options),
    );

  common(program.command('block'))
    .description('block a contact: revoke their key at the relay and drop what they send')
    .argument('<contact>', 'alias or address')
    .action((reference: string, options: CommonOptions) => blockCommand(reference, options));

  common(program.command('unblock'))
    .description('unblock a contact: give them a fresh key to write with')
    .argument('<contact>', 'alias or address')
    .action((reference: string, options: CommonOptions) => unblockCommand(reference, options));

  // The same for a contact under `contact`, and removing one (messages-actions part of issue 15).
  common(contact.command('block'))
    .description('block a contact: revoke their key at the relay and drop what they send')
    .argument('<contact>', 'alias or address')
    .action((reference: string, options: CommonOptions) => blockCommand(reference, options));
  common(contact.command('unblock'))
    .description('unblock a contact: give them a fresh key to write with')
    .argument('<contact>', 'alias or address')
    .action((reference: string, options: CommonOptions) => unblockCommand(reference, options));
  common(contact.command('remove'))
    .description(
      'remove a contact: they and your whole conversation (messages, files) leave this device, and their key is revoked',
    )
    .argument('<contact>', 'alias or address')
    .action((reference: string, options: CommonOptions) =>
      contactRemoveCommand(reference, options),
    );

  common(program.command('edit'))
    .description('edit one of your messages (1:1 or group): everyone sees the new text, "edited"')
    .argument('<message-id>', 'its id, as `messages --json` or `group messages` shows it')
    .argument('[text]', 'the new text, or - to read it from stdin (kept out of ps and history)')
    .option('--text-file <path>', 'read the new text from a file')
    .option('--warning <text>', 'the content warning it carries from now on (default: none)')
    .action(
      async (
        id: string,
        text: string | undefined,
        options: CommonOptions & { textFile?: string; warning?: string },
      ) => {
        const { textFile, ...rest } = options;
        await editCommand(id, await readMessageText(text, textFile), rest);
      },
    );

  common(program.command('delete'))
    .description('delete one of your messages for everyone (1:1 or group): "deleted by its author"')
    .argument('<message-id>', 'its id, as `messages --json` or `group messages` shows it')
    .action((id: string, options: CommonOptions) => deleteCommand(id, options));

  addGroupCommands(program, common);
  addBackupCommands(program, common);
  addDeliveryCommands(program, contact, common);
  addJournalCommands(program, common);
  addDirectoryCommands(program, common);

  // No vault, no relay: it must work before init, offline, and with the relay down (issue 13).
  program
    .command('help-now')
    .description('crisis lines and text services for your country, from data shipped with Kindred')
    .option('--country <code>', "two-letter country code (default: your system locale's region)")
    .option('--json', 'print one JSON object')
    .action((options: { country?: string; json?: boolean }) => {
      helpNowCommand(options);
    });

  return program;
}
