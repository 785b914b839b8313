// Issue 13, "Updates journal with supporters" (docs/journal.md), against a real relay on loopback
// with real LevelDB vaults: three followers get each update; no follower's vault holds anything
// of another follower; support and hearts reach only the author; a removed follower gets nothing
// more and what they send is refused; follow links keep their use limit, expiry and revocation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedUpdate, KindredClient } from '../../core/client/index.js';
import {
  CoreErrorCode,
  RelayConnection,
  RelayErrorCode,
  RelayRejectedError,
  parseContactInviteLink,
} from '../../core/client/index.js';
import { contactLinkOf } from '../../core/client/journal/followLink.js';
import { toBase64Url, toHex } from '../../core/bytes/bytes.js';
import { Vault } from '../../core/vault/Vault.js';
import type { RunningRelay } from '../../server/index.js';
import { PASSPHRASE, TempDirs, newClient, startTestRelay, waitFor } from './helpers.js';

const dirs = new TempDirs();
let relay: RunningRelay;
const open = new Set<KindredClient>();

let author: KindredClient;
/** The three-use follow link the three followers came through. */
let followLink: { link: string };
/** The three followers, each in a vault of its own. */
const followers: { name: string; home: string; client: KindredClient; persona: string }[] = [];

async function client(name: string, home?: string): Promise<KindredClient> {
  const made = await newClient(dirs, relay.url, name, {
    usedInviteKeyGraceMs: 0,
    ...(home === undefined ? {} : { home }),
  });
  open.add(made);
  await made.start({ receive: true });
  return made;
}

async function close(made: KindredClient): Promise<void> {
  open.delete(made);
  await made.close();
}

/** Waits until `who`'s feed holds an update with `text`, and returns it. */
async function updateIn(who: KindredClient, text: string): Promise<FeedUpdate> {
  let found: FeedUpdate | undefined;
  await waitFor(
    async () => {
      found = (await who.journals.feed()).find((update) => update.text === text);
      return found !== undefined;
    },
    15_000,
    `update "${text}"`,
  );
  if (found === undefined) throw new Error('unreachable');
  return found;
}

/** The relay's answer to a prekey fetch with a follow link's key: how it stands there. */
async function probe(followLink: string): Promise<string> {
  const { card } = parseContactInviteLink(contactLinkOf(followLink));
  const connection = await RelayConnection.open({ url: relay.url });
  try {
    await connection.request(
      { case: 'fetchPreKeyBundle', value: { address: card.address, accessKey: card.accessKey } },
      'preKeyBundle',
    );
    return 'ok';
  } catch (error) {
    if (RelayRejectedError.isRelayRejection(error)) return error.relayCode;
    throw error;
  } finally {
    connection.close();
  }
}

beforeAll(async () => {
  relay = await startTestRelay(dirs);
  author = await client('Patient Pat');
  await author.journals.create({ title: 'Pat’s treatment diary' });
  const { link } = (followLink = await author.journals.createLink({
    maxUses: 3,
    expiresAt: Date.now() + 600_000,
  }));
  for (const name of ['Aurelio Frond', 'Bettina Quill', 'Casimir Vane']) {
    const home = await dirs.make('follower');
    const made = await client(`${name} main`, home);
    const followed = await made.journals.follow(link, { pseudonym: name });
    await made.flushOutbox(10_000);
    followers.push({ name, home, client: made, persona: followed.persona });
  }
  await waitFor(
    async () => (await author.journals.followers()).length === 3,
    15_000,
    'three followers',
  );
}, 120_000);

afterAll(async () => {
  await Promise.all([...open].map((made) => made.close()));
  await relay.close();
  await dirs.cleanup();
});

describe('a journal with three followers', () => {
  it('delivers each update to all three, in their journal feed, with its content warning', async () => {
    await author.journals.post('Scan results today: stable.');
    await author.journals.post('Rough night after the infusion.', { warning: 'Medical detail' });
    for (const { client: follower } of followers) {
      await updateIn(follower, 'Scan results today: stable.');
      const second = await updateIn(follower, 'Rough night after the infusion.');
      expect(second.warning).toBe('Medical detail');
      expect(second.title).toBe('Pat’s treatment diary');
      const [followed, ...more] = await follower.journals.following();
      expect(more).toHaveLength(0);
      expect(followed?.journal).toBe((await author.journals.mine()).address);
    }
    const posted = await author.journals.updates();
    expect(posted.map((update) => [update.text, update.sentTo])).toStrictEqual([
      ['Scan results today: stable.', 3],
      ['Rough night after the infusion.', 3],
    ]);
  });

  it('keeps follow links’ limits: used up, revoked or expired links are refused, leaving no persona', async () => {
    const [link] = await author.journals.links();
    expect(link).toMatchObject({ maxUses: 3, uses: 3 });
    const late = await client('Late Lou');
    // The author revokes the used-up link's key at the relay (no grace here): wait for it.
    await waitFor(
      async () => (await probe(followLink.link)) === RelayErrorCode.AccessDenied,
      10_000,
      'the used-up link’s key refused',
    );
    await expect(late.journals.follow(followLink.link)).rejects.toMatchObject({
      code: CoreErrorCode.InviteUsedUp,
    });
    expect(late.sessions()).toHaveLength(1);
    // A link the author revoked before any use is refused the same way.
    const spare = await author.journals.createLink({ maxUses: 1, expiresAt: 0 });
    expect((await author.journals.links()).map((l) => l.inviteId)).toContain(spare.inviteId);
    await author.journals.revokeLink(spare.inviteId);
    expect((await author.journals.links()).map((l) => l.inviteId)).not.toContain(spare.inviteId);
    await waitFor(
      async () => (await probe(spare.link)) === RelayErrorCode.AccessDenied,
      10_000,
      'the revoked link’s key refused',
    );
    await expect(late.journals.follow(spare.link)).rejects.toMatchObject({
      code: CoreErrorCode.InviteUsedUp,
    });
    expect(late.sessions()).toHaveLength(1);
    const expiring = await author.journals.createLink({ maxUses: 5, expiresAt: Date.now() + 800 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await expect(late.journals.follow(expiring.link)).rejects.toMatchObject({
      code: CoreErrorCode.InviteExpired,
    });
    await expect(late.journals.follow('kindred:contact/AAAA')).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInviteLink,
    });
    expect(late.sessions()).toHaveLength(1);
    expect(await author.journals.followers()).toHaveLength(3);
  });

  it('takes support and hearts to the author alone', async () => {
    const [aurelio, bettina, casimir] = followers;
    if (aurelio === undefined || bettina === undefined || casimir === undefined) throw new Error();
    const update = await updateIn(aurelio.client, 'Scan results today: stable.');
    await aurelio.client.journals.support(update.updateId, 'So glad, Pat! Thinking of you.');
    const theirs = await updateIn(bettina.client, 'Scan results today: stable.');
    await bettina.client.journals.heart(theirs.updateId);
    await Promise.all([aurelio.client.flushOutbox(10_000), bettina.client.flushOutbox(10_000)]);
    await waitFor(
      async () => {
        const [first] = await author.journals.updates();
        return first?.support.length === 1 && first.hearts === 1;
      },
      15_000,
      'support and a heart',
    );
    const [first, second] = await author.journals.updates();
    expect(first?.support).toMatchObject([
      { pseudonym: 'Aurelio Frond', text: 'So glad, Pat! Thinking of you.' },
    ]);
    expect(second).toMatchObject({ hearts: 0, support: [] });
    expect((await updateIn(aurelio.client, 'Scan results today: stable.')).support).toHaveLength(1);
    expect((await updateIn(bettina.client, 'Scan results today: stable.')).hearted).toBe(true);
    // An update id that is not one of ours is refused, not sent.
    await expect(
      casimir.client.journals.support(toHex(new Uint8Array(16)), 'hello'),
    ).rejects.toMatchObject({ code: CoreErrorCode.MessageNotFound });
  });

  it('drops a follower’s chat: a follower sends the author only support and hearts', async () => {
    const [aurelio] = followers;
    if (aurelio === undefined) throw new Error();
    const reasons: string[] = [];
    const onDropped = ({ reason }: { reason: string }): void => {
      reasons.push(reason);
    };
    const stop = author.on('dropped', onDropped);
    try {
      const session = aurelio.client.session(aurelio.persona);
      const journal = (await author.journals.mine()).address;
      await session.direct.send(journal, 'Just chatting');
      await aurelio.client.flushOutbox(10_000);
      await waitFor(
        () => reasons.includes('a follower sends only support and hearts'),
        15_000,
        'the chat dropped',
      );
    } finally {
      stop();
    }
    const updates = await author.journals.updates();
    expect(updates.flatMap((update) => update.support.map((s) => s.text))).not.toContain(
      'Just chatting',
    );
  });

  it('stops updates to a removed follower, and the relay refuses what they send', async () => {
    const [aurelio, bettina, casimir] = followers;
    if (aurelio === undefined || bettina === undefined || casimir === undefined) throw new Error();
    const removed = await author.journals.removeFollower('Casimir Vane');
    expect(removed.pseudonym).toBe('Casimir Vane');
    expect((await author.journals.followers()).map((f) => f.pseudonym)).toStrictEqual([
      'Aurelio Frond',
      'Bettina Quill',
    ]);
    const posted = await author.journals.post('Home again after the ward.');
    expect(posted.sentTo).toBe(2);
    await author.flushOutbox(10_000);
    await updateIn(aurelio.client, 'Home again after the ward.');
    await updateIn(bettina.client, 'Home again after the ward.');
    await casimir.client.whenInboxQuiet(300, 3_000);
    expect((await casimir.client.journals.feed()).map((update) => update.text)).not.toContain(
      'Home again after the ward.',
    );
    // Casimir still holds the old updates; an answer to one is refused by the relay.
    const old = await updateIn(casimir.client, 'Rough night after the infusion.');
    const sent = await casimir.client.journals.support(old.updateId, 'Still here for you');
    await waitFor(
      async () => {
        const history = await casimir.client
          .session(casimir.persona)
          .direct.messages((await author.journals.mine()).address);
        const mine = history.find(
          (entry) => entry.kind === 'message' && toHex(entry.messageId) === toHex(sent.messageId),
        );
        return mine?.kind === 'message' && mine.status === 'failed';
      },
      20_000,
      'the removed follower’s support refused',
    );
    const history = await casimir.client
      .session(casimir.persona)
      .direct.messages((await author.journals.mine()).address);
    const failed = history.find(
      (entry) => entry.kind === 'message' && toHex(entry.messageId) === toHex(sent.messageId),
    );
    expect(failed).toMatchObject({ status: 'failed', failure: RelayErrorCode.AccessDenied });
  });

  it('leaves no follower’s vault holding anything of another follower', async () => {
    const journal = (await author.journals.mine()).address;
    const identities = new Map<string, Uint8Array>();
    for (const follower of followers) {
      identities.set(
        follower.persona,
        follower.client.session(follower.persona).whoami().identityKey,
      );
    }
    const supportText = 'So glad, Pat! Thinking of you.';
    for (const follower of followers) await close(follower.client);
    for (const follower of followers) {
      const records = await decryptedRecords(follower.home);
      // The vault is not empty: it holds the journal, its updates, our own persona.
      expect(records).toContain(journal);
      expect(records).toContain('Rough night after the infusion.');
      for (const other of followers) {
        if (other === follower) continue;
        const key = identities.get(other.persona) ?? new Uint8Array();
        const forms = [
          other.persona,
          other.name,
          toBase64Url(key),
          toHex(key),
          Buffer.from(key).toString('latin1'),
        ];
        for (const form of forms)
          expect(records, `${other.name} in ${follower.name}`).not.toContain(form);
      }
      if (follower.name !== 'Aurelio Frond') expect(records).not.toContain(supportText);
    }
  });
});

/** Every record of the vault in `home`, decrypted, keys and values, as one string. */
async function decryptedRecords(home: string): Promise<string> {
  const vault = await Vault.open(home, PASSPHRASE);
  try {
    // Every persona's data (keys, sessions, contacts, messages), the personas, the app's data.
    const entries = (
      await Promise.all(
        ['persona-data', 'personas', 'local-data', 'settings'].map((prefix) => vault.list(prefix)),
      )
    ).flat();
    return entries
      .map(({ key, value }) => {
        const bytes = Buffer.from(value);
        return `${key}\n${bytes.toString('utf8')}\n${bytes.toString('latin1')}\n${bytes.toString('hex')}`;
      })
      .join('\n');
  } finally {
    await vault.lock();
  }
}
