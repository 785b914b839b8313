// `kindred group resources …`: the local resources a group pins (docs/crisis-help.md,
// "A group's own resources").
import { readFile, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import type { GroupHandle, GroupResourceData, GroupResourceKind } from '../core/client/index.js';
import { GROUP_RESOURCE_KINDS, groupResourceUri } from '../core/client/index.js';
import { parseGroupReference } from './arguments.js';
import { CliError, CliErrorCode } from './CliError.js';
import type { CommonOptions } from './commandClient.js';
import { withClient } from './commandClient.js';
import { label, openGroup, refresh } from './groupLookup.js';

const GROUP_ARGUMENT = 'the group id, or its name if no other group of yours has it';
/** A resources file is a short list: anything bigger is not one. */
const MAX_FILE_BYTES = 64 * 1024;

type SetOptions = CommonOptions & {
  file?: string;
  phone: string[];
  text: string[];
  web: string[];
};

/** Adds `group resources list|set|clear` to the `group` command. */
export function addGroupResourceCommands(
  group: Command,
  common: (command: Command) => Command,
): void {
  const resources = group
    .command('resources')
    .description('the local resources a group pins, shown to members in Get help now');

  common(resources.command('list'))
    .description('list the group’s pinned resources (every member reads them)')
    .argument('<group>', GROUP_ARGUMENT)
    .action((reference: string, options: CommonOptions) =>
      withResources(reference, options, async (group, out) => {
        const list = await group.resources();
        if (list.length === 0) {
          out.emit(
            { event: 'group-resources', group: group.id, resources: [] },
            'No resources pinned',
          );
          return;
        }
        out.emit(
          {
            event: 'group-resources',
            group: group.id,
            resources: list.map((each) => ({ ...each, uri: groupResourceUri(each) })),
          },
          list.map(describe).join('\n'),
        );
      }),
    );

  common(resources.command('set'))
    .description(
      'replace the pinned resources (moderators), from --file or repeated --phone/--text/--web',
    )
    .argument('<group>', GROUP_ARGUMENT)
    .option(
      '--file <path>',
      'a JSON list: [{"name": "…", "reach": "phone|text|web", "address": "…", "note": "…"}]',
    )
    .option(
      '--phone <name=number>',
      'a number to call, e.g. "Lupus UK=+44 1604 213142"',
      collect,
      [],
    )
    .option('--text <name=number>', 'a number to text', collect, [])
    .option('--web <name=url>', 'an https page', collect, [])
    .action(async (reference: string, options: SetOptions) => {
      const list = await resourcesFromOptions(options);
      return withResources(reference, options, async (group, out) => {
        await group.setResources(list);
        out.emit(
          { event: 'group-resources-set', group: group.id, count: list.length },
          `Pinned ${list.length} resource${list.length === 1 ? '' : 's'} in ${await label(group)}`,
        );
      });
    });

  common(resources.command('clear'))
    .description('remove every pinned resource (moderators)')
    .argument('<group>', GROUP_ARGUMENT)
    .action((reference: string, options: CommonOptions) =>
      withResources(reference, options, async (group, out) => {
        await group.setResources([]);
        out.emit(
          { event: 'group-resources-cleared', group: group.id },
          `Cleared the pinned resources of ${await label(group)}`,
        );
      }),
    );
}

function describe(resource: GroupResourceData): string {
  const how = { phone: 'call', text: 'text', web: 'web' }[resource.reach];
  return `${resource.name}  (${how} ${resource.address})${resource.note ? `  ${resource.note}` : ''}`;
}

/** The list to pin: the file's, or the flags' (calls, then texts, then pages, each in order). */
async function resourcesFromOptions(options: SetOptions): Promise<GroupResourceData[]> {
  const flags = [
    ...options.phone.map((value) => fromFlag('phone', value)),
    ...options.text.map((value) => fromFlag('text', value)),
    ...options.web.map((value) => fromFlag('web', value)),
  ];
  if (options.file === undefined) {
    if (flags.length === 0) {
      throw new CliError(
        CliErrorCode.Usage,
        'give --file or at least one --phone, --text or --web (`resources clear` removes them all)',
      );
    }
    return flags;
  }
  if (flags.length > 0) throw new CliError(CliErrorCode.Usage, 'give --file or flags, not both');
  return fromFile(options.file);
}

function fromFlag(reach: GroupResourceKind, value: string): GroupResourceData {
  const at = value.indexOf('=');
  if (at <= 0 || at === value.length - 1) {
    throw new CliError(CliErrorCode.Usage, `--${reach} looks like "Name=address"`);
  }
  return { name: value.slice(0, at), reach, address: value.slice(at + 1), note: '' };
}

async function fromFile(path: string): Promise<GroupResourceData[]> {
  let text: string;
  try {
    if ((await stat(path)).size > MAX_FILE_BYTES) {
      throw new CliError(CliErrorCode.Usage, `--file: larger than ${MAX_FILE_BYTES} bytes`);
    }
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(CliErrorCode.Usage, `--file: cannot read ${path}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(CliErrorCode.Usage, '--file: not JSON');
  }
  if (!Array.isArray(parsed)) throw new CliError(CliErrorCode.Usage, '--file: a JSON list');
  return parsed.map((entry: unknown, index) => {
    const where = `--file: entry ${index + 1}`;
    if (typeof entry !== 'object' || entry === null) {
      throw new CliError(CliErrorCode.Usage, `${where} is not an object`);
    }
    const { name, reach, address, note } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || typeof address !== 'string') {
      throw new CliError(CliErrorCode.Usage, `${where} needs "name" and "address" strings`);
    }
    if (!GROUP_RESOURCE_KINDS.includes(reach as GroupResourceKind)) {
      throw new CliError(CliErrorCode.Usage, `${where}: "reach" is phone, text or web`);
    }
    if (note !== undefined && typeof note !== 'string') {
      throw new CliError(CliErrorCode.Usage, `${where}: "note" is a string`);
    }
    return { name, reach: reach as GroupResourceKind, address, note: note ?? '' };
  });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function withResources(
  reference: string,
  options: CommonOptions,
  run: (
    group: GroupHandle,
    out: { emit(record: Record<string, unknown>, human: string): void },
  ) => Promise<void>,
): Promise<void> {
  const groupRef = parseGroupReference(reference);
  return withClient(options, async (client, out) => {
    const group = await openGroup(client, groupRef);
    // The info is in the log: fetch it first, so the list (or the change) is the latest.
    await refresh(group);
    await run(group, out);
  });
}
