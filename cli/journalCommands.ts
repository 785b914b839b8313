import type { Command } from 'commander';
import type { KindredClient } from '../core/client/index.js';
import type { CommonOptions } from './actions.js';
import { parseCount, parseLinkLifetime, parseMessageId, parseWarning } from './arguments.js';
import { collectFiles } from './attachmentCommands.js';
import { collectRefusals, deliverQueued, withClient } from './commandClient.js';
import { coveredText, printable } from './format.js';
import { readLink, readMessageText } from './privateInput.js';

/** How long `journal updates` lets the mailboxes drain (quiet for, at most). */
const UPDATES_QUIET_MS = 500;
const UPDATES_DRAIN_TIMEOUT_MS = 10_000;

/**
 * `kindred journal …` (docs/journal.md): the author's journal (create, follow links, post,
 * followers, remove) and the journals this vault follows (follow, updates, support, heart).
 */
export function addJournalCommands(program: Command, common: (command: Command) => Command): void {
  const journal = program
    .command('journal')
    .description('an updates journal for family and friends');

  common(journal.command('create'))
    .description('start this vault’s journal, under a persona of its own')
    .argument('<title>', 'what followers see it called')
    .action((title: string, options: CommonOptions) =>
      withClient(options, async (client, out) => {
        const made = await client.journals.create({ title });
        out.emit(
          { event: 'journal-created', journal: made.address, title: made.title },
          `Journal “${printable(made.title)}” created; make a follow link with: kindred journal link`,
        );
      }),
    );

  common(journal.command('link'))
    .description('make a follow link (kindred:follow/…)')
    .option('--uses <n>', 'how many people may follow through it (0: unlimited)', '10')
    .option('--expires <duration>', 'lifetime, like 30m, 24h, 7d, or never', '7d')
    .action((options: CommonOptions & { uses: string; expires: string }) => {
      const maxUses = parseCount(options.uses, '--uses', 0, 1_000_000);
      const lifetime = parseLinkLifetime(options.expires);
      return withClient(options, async (client, out) => {
        const link = await client.journals.createLink({
          maxUses,
          expiresAt: lifetime === 0 ? 0 : Date.now() + lifetime,
        });
        out.emit(
          {
            link: link.link,
            inviteId: link.inviteId,
            expiresAt: link.expiresAt === 0 ? null : link.expiresAt,
            maxUses: link.maxUses === 0 ? null : link.maxUses,
          },
          link.link,
        );
      });
    });

  common(journal.command('links'))
    .description('list the follow links still on record')
    .action((options: CommonOptions) =>
      withClient(options, async (client, out) => {
        for (const link of await client.journals.links()) {
          const limit = link.maxUses === 0 ? 'unlimited' : `${link.uses}/${link.maxUses} used`;
          const expiry = link.expiresAt === 0 ? 'never expires' : `expires ${iso(link.expiresAt)}`;
          out.emit(
            {
              kind: 'followLink',
              inviteId: link.inviteId,
              createdAt: link.createdAt,
              expiresAt: link.expiresAt === 0 ? null : link.expiresAt,
              maxUses: link.maxUses === 0 ? null : link.maxUses,
              uses: link.uses,
            },
            `${link.inviteId}  ${limit}, ${expiry}`,
          );
        }
      }),
    );

  common(journal.command('revoke-link'))
    .description('revoke a follow link: nobody can follow through it any more')
    .argument('<invite-id>', 'the id `kindred journal links` shows')
    .action((inviteId: string, options: CommonOptions) =>
      withClient(options, async (client, out) => {
        const { revokedAtRelay } = await client.journals.revokeLink(
          parseMessageId(inviteId, 'an invite id'),
        );
        out.emit(
          { event: 'follow-link-revoked', inviteId, revokedAtRelay },
          revokedAtRelay
            ? 'Follow link revoked'
            : 'Follow link revoked here; the relay is told on the next connection',
        );
      }),
    );

  common(journal.command('follow'))
    .description('follow a journal through its follow link, as a persona of your own for it')
    .argument('[link]', 'a kindred:follow/… link, or - to read it from stdin')
    .option('--link-file <path>', 'read the link from a file')
    .option('--pseudonym <name>', 'what the author sees you as (default: a generated name)')
    .action(
      async (
        link: string | undefined,
        options: CommonOptions & { linkFile?: string; pseudonym?: string },
      ) => {
        const text = await readLink(link, options.linkFile);
        await withClient(options, async (client, out) => {
          const refusals = collectRefusals(client);
          const followed = await client.journals.follow(
            text,
            options.pseudonym === undefined ? {} : { pseudonym: options.pseudonym },
          );
          await deliverQueued(
            client,
            refusals,
            (refusal) => refusal.recipient === followed.journal,
            followed.persona,
          );
          out.emit(
            {
              event: 'journal-followed',
              journal: followed.journal,
              title: followed.title,
              persona: followed.persona,
            },
            `Following “${printable(followed.title)}”`,
          );
        });
      },
    );

  common(journal.command('post'))
    .description('post an update to every follower')
    .argument('[text]', 'the update, or - to read it from stdin')
    .option('--text-file <path>', 'read the update from a file')
    .option('--attach <file>', 'attach a file such as a photo (repeatable)', collectFiles, [])
    .option('--send-uncleaned', 'send files Kindred cannot clean of their metadata as they are')
    .option('--warning <text>', 'a content warning: followers see the update covered by it')
    .action(
      async (
        text: string | undefined,
        options: CommonOptions & {
          textFile?: string;
          attach: string[];
          sendUncleaned?: boolean;
          warning?: string;
        },
      ) => {
        const words =
          text === undefined && options.textFile === undefined && options.attach.length > 0
            ? ''
            : await readMessageText(text, options.textFile);
        const warning = options.warning === undefined ? undefined : parseWarning(options.warning);
        await withClient(options, async (client, out) => {
          const refusals = collectRefusals(client);
          const posted = await client.journals.post(words, {
            ...(options.attach.length === 0 ? {} : { attachments: options.attach }),
            ...(warning === undefined ? {} : { warning }),
            ...(options.sendUncleaned === true ? { sendUncleaned: true } : {}),
          });
          const journalAddress = await journalOf(client);
          await deliverQueued(client, refusals, () => false, journalAddress);
          const refused = refusals.length;
          out.emit(
            {
              event: 'journal-posted',
              updateId: posted.updateId,
              sentTo: posted.sentTo,
              refused,
            },
            `Update posted to ${posted.sentTo} follower(s)`,
          );
        });
      },
    );

  common(journal.command('updates'))
    .description('receive, then show this vault’s journal updates and the journals it follows')
    .option('--reveal', 'show updates under a content warning')
    .action((options: CommonOptions & { reveal?: boolean }) =>
      withClient(options, async (client, out) => {
        // Only the personas of journals connect (at once): the others keep their own schedule.
        const mine = await client.journals.mine().catch(() => undefined);
        const personas = (await client.journals.following()).map((f) => f.persona);
        if (mine !== undefined) personas.unshift(mine.address);
        for (const persona of personas) {
          await client.start({ receive: true, focus: persona, others: false });
        }
        await client.whenInboxQuiet(UPDATES_QUIET_MS, UPDATES_DRAIN_TIMEOUT_MS);
        const reveal = options.reveal === true;
        const keeps = mine !== undefined;
        if (keeps) {
          for (const update of await client.journals.updates()) {
            out.emit(
              {
                kind: 'journalPost',
                updateId: update.updateId,
                postedAt: update.postedAt,
                text: update.warning === undefined || reveal ? update.text : null,
                warning: update.warning ?? null,
                attachments: update.attachments,
                sentTo: update.sentTo,
                hearts: update.hearts,
                support: update.support.map((s) => ({
                  follower: s.follower,
                  pseudonym: s.pseudonym,
                  text: s.text,
                  sentAt: s.sentAt,
                })),
              },
              [
                `[${iso(update.postedAt)}] you: ${coveredText(update.text, update.warning, reveal)}` +
                  `  (${update.hearts} ♥, sent to ${update.sentTo})`,
                ...update.support.map((s) => `    ${printable(s.pseudonym)}: ${printable(s.text)}`),
              ].join('\n'),
            );
          }
        }
        for (const update of await client.journals.feed()) {
          out.emit(
            {
              kind: 'journalUpdate',
              journal: update.journal,
              title: update.title,
              updateId: update.updateId,
              sentAt: update.sentAt,
              text: update.warning === undefined || reveal ? update.text : null,
              warning: update.warning ?? null,
              attachments: update.attachments.length,
              hearted: update.hearted,
              support: update.support,
            },
            `[${iso(update.sentAt)}] ${printable(update.title)} ${update.updateId}: ` +
              `${coveredText(update.text, update.warning, reveal)}${update.hearted ? '  ♥' : ''}`,
          );
        }
      }),
    );

  common(journal.command('support'))
    .description('answer an update with a support message only its author sees')
    .argument('<update-id>', 'the id `kindred journal updates` shows')
    .argument('[text]', 'the message, or - to read it from stdin')
    .option('--text-file <path>', 'read the message from a file')
    .action(
      async (
        updateId: string,
        text: string | undefined,
        options: CommonOptions & { textFile?: string },
      ) => {
        const id = parseMessageId(updateId, 'an update id');
        const words = await readMessageText(text, options.textFile);
        await withClient(options, async (client, out) => {
          const refusals = collectRefusals(client);
          const sent = await client.journals.support(id, words);
          await deliverQueued(
            client,
            refusals,
            (refusal) => refusal.messageId.every((byte, i) => byte === sent.messageId[i]),
            await personaFollowing(client, id),
          );
          out.emit({ event: 'journal-support-sent', updateId: id }, 'Support sent to the author');
        });
      },
    );

  common(journal.command('heart'))
    .description('send a heart for an update (only its author sees it)')
    .argument('<update-id>', 'the id `kindred journal updates` shows')
    .option('--off', 'take the heart back')
    .action((updateId: string, options: CommonOptions & { off?: boolean }) => {
      const id = parseMessageId(updateId, 'an update id');
      return withClient(options, async (client, out) => {
        const refusals = collectRefusals(client);
        await client.journals.heart(id, options.off !== true);
        await deliverQueued(client, refusals, () => false, await personaFollowing(client, id));
        out.emit(
          { event: 'journal-heart', updateId: id, on: options.off !== true },
          options.off === true ? 'Heart taken back' : 'Heart sent',
        );
      });
    });

  common(journal.command('followers'))
    .description('list the journal’s followers (only you see them)')
    .action((options: CommonOptions) =>
      withClient(options, async (client, out) => {
        for (const follower of await client.journals.followers()) {
          out.emit(
            {
              kind: 'follower',
              address: follower.address,
              pseudonym: follower.pseudonym,
              followedAt: follower.followedAt,
            },
            `${printable(follower.pseudonym)}  ${follower.address}`,
          );
        }
      }),
    );

  common(journal.command('remove'))
    .description('remove a follower: they get nothing more, and what they send is refused')
    .argument('<follower>', 'pseudonym or address')
    .action((reference: string, options: CommonOptions) =>
      withClient(options, async (client, out) => {
        const removed = await client.journals.removeFollower(reference);
        out.emit(
          {
            event: 'follower-removed',
            address: removed.address,
            pseudonym: removed.pseudonym,
            revokedAtRelay: removed.revokedAtRelay,
          },
          `${printable(removed.pseudonym)} no longer follows the journal`,
        );
      }),
    );
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The journal persona's address (CORE_PERSONA_NOT_FOUND when the vault keeps no journal). */
async function journalOf(client: KindredClient): Promise<string> {
  return (await client.journals.mine()).address;
}

/** Our persona that follows the journal an update came from. */
async function personaFollowing(client: KindredClient, updateId: string): Promise<string> {
  const update = (await client.journals.feed()).find((u) => u.updateId === updateId);
  const followed = (await client.journals.following()).find((f) => f.journal === update?.journal);
  return followed?.persona ?? client.address;
}
