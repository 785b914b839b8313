import type { Command } from 'commander';
import { Option } from 'commander';
import type {
  DirectoryListingView,
  DirectorySyncResult,
  ListingAudience,
  ListingDetails,
} from '../core/client/index.js';
import { CoreError, MAX_INTRODUCTION_LENGTH, conditionLabel } from '../core/client/index.js';
import type { CoreErrorCode } from '../core/client/index.js';
import { parseCount, parseText } from './arguments.js';
import { CliError, CliErrorCode } from './CliError.js';
import type { CommonOptions } from './commandClient.js';
import { withClient } from './commandClient.js';
import { printable } from './format.js';
import { openGroup, personaPseudonym } from './groupLookup.js';
import type { Output } from './output.js';

const AUDIENCES: readonly ListingAudience[] = ['patients', 'caregivers', 'family', 'anyone'];

/**
 * `kindred directory …` (docs/directory.md, "The client's side"): follow relays' directories,
 * sync them anonymously, search and show listings on this device (nothing of a search is sent),
 * and join a listed group as a fresh persona.
 */
export function addDirectoryCommands(
  program: Command,
  common: (command: Command) => Command,
): void {
  const directory = program
    .command('directory')
    .description('find listed groups: follow directories, search them here, join');

  common(directory.command('follow'))
    .description('follow a relay’s directory (pinned on first use) and fetch it')
    .argument('<url>', 'the relay, ws:// (this machine only) or wss://')
    .option('--allow-insecure-transport', 'allow plain ws:// to another machine')
    .action((url: string, options: CommonOptions & { allowInsecureTransport?: boolean }) =>
      withClient(options, async (client, out) => {
        const result = await client.directory.follow(url, {
          allowInsecureTransport: options.allowInsecureTransport === true,
        });
        reportSyncs(out, [result]);
      }),
    );

  common(directory.command('unfollow'))
    .description('stop following a directory and forget its listings')
    .argument('<relay>', 'its address or relay id, as `kindred directory list` shows')
    .action((reference: string, options: CommonOptions) =>
      withClient(options, async (client, out) => {
        await client.directory.unfollow(reference);
        out.emit({ event: 'directory-unfollowed', relay: reference }, 'Unfollowed');
      }),
    );

  common(directory.command('list'))
    .description('the directories followed, with how many listings each')
    .action((options: CommonOptions) =>
      withClient(options, async (client, out) => {
        for (const follow of await client.directory.follows()) {
          out.emit(
            { kind: 'directory', ...follow, lastSyncAt: follow.lastSyncAt ?? null },
            `${follow.relayUrl}${follow.home ? ' (your relay)' : ''}  ${follow.listings} listings` +
              (follow.lastSyncAt === undefined ? ', not fetched yet' : ''),
          );
        }
      }),
    );

  common(directory.command('refresh'))
    .description('fetch what changed in every directory followed')
    .action((options: CommonOptions) =>
      withClient(options, async (client, out) => {
        reportSyncs(out, await client.directory.refresh());
      }),
    );

  common(directory.command('search'))
    .description('search the listings kept here (nothing is sent anywhere)')
    .argument('[text]', 'words to find in names, descriptions, conditions and rhythms')
    .option('--condition <id>', 'a condition: c:als, a name or synonym ("motor neurone disease")')
    .option('--language <tag>', 'a language, like en or pt-BR')
    .addOption(new Option('--for <who>', 'who the group is for').choices([...AUDIENCES]))
    .option('--region <code>', 'a country or region, like GB or GB-SCT')
    .option('--limit <n>', 'at most this many', '50')
    .action(
      (
        text: string | undefined,
        options: CommonOptions & {
          condition?: string;
          language?: string;
          for?: ListingAudience;
          region?: string;
          limit: string;
        },
      ) => {
        const limit = parseCount(options.limit, '--limit', 1, 10_000);
        return withClient(options, async (client, out) => {
          const hits = await client.directory.search({
            limit,
            ...(text === undefined ? {} : { text }),
            ...(options.condition === undefined ? {} : { condition: options.condition }),
            ...(options.language === undefined ? {} : { language: options.language }),
            ...(options.for === undefined ? {} : { audience: options.for }),
            ...(options.region === undefined ? {} : { region: options.region }),
          });
          for (const hit of hits) {
            out.emit(
              { kind: 'listing', score: hit.score, ...hit.listing },
              summaryLine(hit.listing),
            );
          }
        });
      },
    );

  common(directory.command('show'))
    .description('every field of a listing, and its facilitators if their credentials verify')
    .argument('<group-id>', 'the group id a search shows')
    .action((groupId: string, options: CommonOptions) =>
      withClient(options, async (client, out) => {
        const listing = await client.directory.listing(groupId);
        out.emit({ kind: 'listing', ...listing }, showLines(listing));
      }),
    );

  common(directory.command('join'))
    .description('ask to join a listed group, as a fresh persona made for it')
    .argument('<group-id>', 'the group id a search shows')
    .option('--pseudonym <name>', 'what the group sees you as (default: a generated name)')
    .option('--introduction <text>', 'a short introduction the moderators read with your request')
    .action(
      (groupId: string, options: CommonOptions & { pseudonym?: string; introduction?: string }) => {
        const introduction =
          options.introduction === undefined
            ? {}
            : {
                introduction: parseText(
                  options.introduction,
                  '--introduction',
                  MAX_INTRODUCTION_LENGTH,
                  { allowEmpty: true },
                ),
              };
        return withClient(options, async (client, out) => {
          const group = await client.directory.join(groupId, {
            ...introduction,
            ...(options.pseudonym === undefined ? {} : { pseudonym: options.pseudonym }),
          });
          const details = await group.details();
          const as = personaPseudonym(client, group.persona);
          out.emit(
            {
              event: 'group-joined',
              group: group.id,
              name: details.name,
              persona: group.persona,
              personaPseudonym: as,
              status: details.status,
            },
            details.status === 'requested'
              ? `Asked to join ${printable(details.name)} (${group.id}) as ${printable(as)}; a moderator must approve`
              : `Joined ${printable(details.name)} (${group.id}) as ${printable(as)}`,
          );
        });
      },
    );
}

/** `kindred group list-request GROUP …`: the owner asks the relay to list a group. */
export function addListRequestCommand(group: Command, common: (command: Command) => Command): void {
  common(group.command('list-request'))
    .description('ask the relay to list a group you own in its directory (the operator approves)')
    .argument('<group>', 'the group id, or its name if no other group of yours has it')
    .requiredOption(
      '--condition <id>',
      'a condition: a vocabulary id (c:sarcoma) or free text (repeatable, 1 to 10)',
      collect,
      [],
    )
    .requiredOption(
      '--for <who>',
      'who it is for: patients, caregivers, family, anyone (repeatable)',
      collect,
      [],
    )
    .requiredOption('--language <tag>', 'a language, like en or pt-BR (repeatable)', collect, [])
    .option('--region <code>', 'a country or region, like GB or GB-SCT (default: anywhere)')
    .option('--rhythm <text>', 'how the group meets, in words ("weekly chat, Thursdays")')
    .option('--description <text>', 'what the listing says (default: the group’s description)')
    .option('--name <text>', 'the listed name (default: the group’s name)')
    .action(
      (
        reference: string,
        options: CommonOptions & {
          condition: string[];
          for: string[];
          language: string[];
          region?: string;
          rhythm?: string;
          description?: string;
          name?: string;
        },
      ) => {
        const audiences = options.for.map((who) => {
          if (!(AUDIENCES as readonly string[]).includes(who)) {
            throw new CliError(CliErrorCode.Usage, `--for is one of ${AUDIENCES.join(', ')}`);
          }
          return who as ListingAudience;
        });
        return withClient(options, async (client, out) => {
          const handle = await openGroup(client, reference);
          const requested = await handle.requestListing({
            conditions: options.condition,
            audiences,
            languages: options.language,
            ...(options.region === undefined ? {} : { region: options.region }),
            ...(options.rhythm === undefined ? {} : { rhythm: options.rhythm }),
            ...(options.description === undefined ? {} : { description: options.description }),
            ...(options.name === undefined ? {} : { name: options.name }),
          });
          out.emit(
            {
              event: 'listing-requested',
              group: requested.groupId,
              joinLinkExpiresAt: requested.joinLinkExpiresAt,
            },
            'Asked the relay to list the group; its operator approves listings before anyone sees them',
          );
        });
      },
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** One line per directory synced; a failed one makes the command fail with its code. */
function reportSyncs(out: Output, results: readonly DirectorySyncResult[]): void {
  for (const result of results) {
    out.emit({ kind: 'directorySync', ...result }, syncLine(result));
  }
  const failed = results.find((result) => result.error !== undefined);
  if (failed?.error !== undefined) {
    throw new CoreError(failed.error.code as CoreErrorCode, failed.error.message);
  }
}

function syncLine(result: DirectorySyncResult): string {
  if (result.error !== undefined) return `${result.relayUrl}: not fetched (${result.error.code})`;
  const head = `${result.relayUrl}: ${result.listings} listings`;
  if (result.notModified) return `${head}, nothing changed`;
  const refused =
    result.refused === 0
      ? ''
      : `; ${result.refused} refused: ${result.refusals.map((r) => printable(r.reason)).join('; ')}`;
  return `${head} (${result.updated} new or changed, ${result.removed} removed)${refused}`;
}

function summaryLine(listing: DirectoryListingView): string {
  const conditions = listing.conditions.map((c) => conditionLabel(c)).join(', ');
  return `${listing.groupId}  ${printable(listing.name)}  [${printable(conditions)}]  ${listing.languages.join(',')}${listing.region === '' ? '' : ` ${listing.region}`}`;
}

function showLines(listing: ListingDetails): string {
  const facilitators = listing.facilitatorCredentials.map((f) =>
    f.valid
      ? `${printable(f.roleTitle)} (verified)`
      : `a credential that does not verify (${f.problem ?? 'malformed'})`,
  );
  return [
    printable(listing.name),
    `Group: ${listing.groupId}`,
    `Hosted by: ${listing.relayUrl}`,
    `Conditions: ${printable(listing.conditions.map((c) => conditionLabel(c)).join(', '))}`,
    `For: ${listing.audiences.join(', ')}`,
    `Languages: ${listing.languages.join(', ')}`,
    `Region: ${listing.region === '' ? 'anywhere' : listing.region}`,
    `Rhythm: ${printable(listing.rhythm === '' ? '—' : listing.rhythm)}`,
    `Members: ${listing.members}`,
    `Joining: ${listing.openToJoin ? (listing.joinByApproval ? 'a moderator approves each request' : 'open') : 'not open to join now'}`,
    ...(facilitators.length === 0 ? [] : [`Facilitators: ${facilitators.join('; ')}`]),
    '',
    printable(listing.description),
  ].join('\n');
}
