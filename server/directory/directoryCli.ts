import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseDuration } from '../cliParsers.js';
import { requestAdmin } from '../ops/AdminSocket.js';
import type { AdminRequest } from '../ops/AdminSocket.js';
import { RelayConfigError } from '../RelayError.js';
import type { DirectoryAdminRequest } from './directoryAdmin.js';
import { parseGroupId } from './RelayDirectory.js';

/**
 * `kindred-server directory …` and `kindred-server facilitator …`: the operator's commands. They
 * ask the running relay through its admin socket (the relay holds the operator key, the group
 * state the member buckets come from, and LevelDB's lock), so the relay must be running on the
 * data folder given (docs/running-a-relay.md, "The directory"). Wrong use exits 2; a refusal by
 * the relay prints its code and exits 1.
 */
export function addDirectoryCommands(
  program: Command,
  setOutcome: (outcome: Promise<number>) => void,
): void {
  const directory = program
    .command('directory')
    .description("the relay's directory of listed groups (the relay must be running)");
  const withData = (command: Command): Command =>
    command
      .option('--data <dir>', 'the data folder of the running relay')
      .option('--json', 'print JSON');
  withData(directory.command('pending').description('requests waiting for approval')).action(
    (flags: Flags) => {
      setOutcome(ask(flags, { command: 'directory', action: 'pending' }, printPending));
    },
  );
  withData(directory.command('list').description('listed groups')).action((flags: Flags) => {
    setOutcome(ask(flags, { command: 'directory', action: 'list' }, printListed));
  });
  for (const action of ['approve', 'remove'] as const) {
    withData(
      directory
        .command(action)
        .description(action === 'approve' ? 'list a pending group' : 'take a group out')
        .argument('<group-id>', 'the group id (32 hex digits)'),
    ).action((groupId: string, flags: Flags) => {
      setOutcome(
        ask(
          flags,
          { command: 'directory', action, groupId: checkedGroupId(groupId) },
          printVersion,
        ),
      );
    });
  }
  withData(
    directory
      .command('deny')
      .description('drop a pending request')
      .argument('<group-id>', 'the group id (32 hex digits)')
      .option('--reason <text>', 'for your own records: printed back, sent nowhere'),
  ).action((groupId: string, flags: Flags & { reason?: string }) => {
    setOutcome(
      ask(flags, { command: 'directory', action: 'deny', groupId: checkedGroupId(groupId) }, () =>
        flags.reason === undefined ? 'denied' : `denied (${flags.reason})`,
      ),
    );
  });

  const facilitator = program
    .command('facilitator')
    .description('facilitator credentials signed by the operator key (the relay must be running)');
  withData(
    facilitator
      .command('issue')
      .description('issue a credential; prints it (base64url) for the persona to add')
      .option('--address <address>', "the persona's address")
      .option('--role <title>', 'the role title, e.g. "Navigator, St James\'s"')
      .option('--expires <duration>', 'lifetime, e.g. 365d', '365d'),
  ).action((flags: Flags & { address?: string; role?: string; expires: string }) => {
    if (flags.address === undefined) usage("required option '--address <address>' not specified");
    if (flags.role === undefined) usage("required option '--role <title>' not specified");
    const lifetimeMs = parseDuration(flags.expires);
    if (lifetimeMs <= 0) usage('--expires must be a duration above 0');
    const request: DirectoryAdminRequest = {
      command: 'facilitator',
      action: 'issue',
      address: flags.address ?? '',
      roleTitle: flags.role ?? '',
      lifetimeMs,
    };
    setOutcome(ask(flags, request, (answer) => String(answer.credential)));
  });
  withData(
    facilitator
      .command('revoke')
      .description('revoke a credential (re-signs the revocation list)')
      .argument('<credential-id>', 'the id issue printed (32 hex digits)'),
  ).action((credentialId: string, flags: Flags) => {
    if (!/^[0-9a-f]{32}$/.test(credentialId)) {
      usage('KINDRED_BAD_CREDENTIAL_ID: a credential id is 32 lower-case hex digits');
    }
    setOutcome(
      ask(flags, { command: 'facilitator', action: 'revoke', credentialId }, printVersion),
    );
  });
  withData(facilitator.command('list').description('issued credentials')).action((flags: Flags) => {
    setOutcome(ask(flags, { command: 'facilitator', action: 'list' }, printCredentials));
  });
}

interface Flags {
  readonly data?: string;
  readonly json?: boolean;
}

type Answer = Record<string, unknown>;

function usage(message: string): never {
  throw new RelayConfigError(message);
}

function checkedGroupId(text: string): string {
  if (parseGroupId(text) === undefined) {
    usage('KINDRED_BAD_GROUP_ID: a group id is 32 hex digits');
  }
  return text.toLowerCase();
}

async function ask(
  flags: Flags,
  request: AdminRequest,
  describe: (answer: Answer) => string,
): Promise<number> {
  if (flags.data === undefined) usage("required option '--data <dir>' not specified");
  const answer = await requestAdmin(resolve(flags.data), request);
  if (answer === undefined) {
    process.stderr.write(
      `kindred-server: KINDRED_RELAY_NOT_RUNNING: no relay runs on ${flags.data}; start it first\n`,
    );
    return 1;
  }
  if (!answer.ok) {
    const failure = answer as { code: string; message: string };
    if (flags.json === true) {
      process.stdout.write(`${JSON.stringify({ error: failure })}\n`);
    }
    process.stderr.write(`kindred-server: ${failure.code}: ${failure.message}\n`);
    return 1;
  }
  const rest: Answer = { ...(answer as Answer) };
  delete rest.ok;
  process.stdout.write(flags.json === true ? `${JSON.stringify(rest)}\n` : `${describe(rest)}\n`);
  return 0;
}

function printVersion(answer: Answer): string {
  return `done: the directory is at version ${String(answer.version)}`;
}

function printPending(answer: Answer): string {
  const pending = answer.pending as readonly Record<string, unknown>[];
  if (pending.length === 0) return 'no pending requests';
  return pending
    .map((request) =>
      [
        `${String(request.groupId)}  ${String(request.name)}`,
        `  conditions: ${(request.conditions as string[]).join(', ')}`,
        `  owner: ${String(request.ownerAddress)} (${String(request.ownerKey)})`,
        `  received: ${String(request.receivedAt)}`,
        `  ${String(request.description).replace(/\n/g, '\n  ')}`,
      ].join('\n'),
    )
    .join('\n\n');
}

function printListed(answer: Answer): string {
  const groups = answer.groups as readonly Record<string, unknown>[];
  const lines = groups.map(
    (group) =>
      `${String(group.groupId)}  ${String(group.name)}  members ${String(group.members)}  approved ${String(group.approvedAt)}`,
  );
  return [`version ${String(answer.version)}`, ...lines].join('\n');
}

function printCredentials(answer: Answer): string {
  const credentials = answer.credentials as readonly Record<string, unknown>[];
  if (credentials.length === 0) return 'no credentials issued';
  return credentials
    .map(
      (c) =>
        `${String(c.credentialId)}  ${String(c.roleTitle)}  ${String(c.address)}  expires ${String(c.expiresAt)}${typeof c.revokedAt === 'string' ? `  revoked ${c.revokedAt}` : ''}`,
    )
    .join('\n');
}
