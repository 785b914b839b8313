// The search index kept in step with what the vault holds, against a real relay and real vaults:
// histories stored before the index existed are indexed once at unlock, and a message a group
// moderator deletes leaves every member's index.
import { describe, expect, it } from 'vitest';
import type { GroupHandle, KindredClient } from '../../core/client/index.js';
import {
  PersonaDirectory,
  SEARCH_BACKFILL_MARKER,
  SEARCH_INDEX_VERSION,
  Vault,
} from '../../core/client/index.js';
import { useGroupTestClients, messageIdOf, textsOf } from './groupHelpers.js';
import { PASSPHRASE, connectPair, useTestRelay, waitFor } from './helpers.js';

const relay = useTestRelay();
const clients = useGroupTestClients(relay);

const HOUR = 3_600_000;

async function waitForText(group: GroupHandle, text: string): Promise<void> {
  await waitFor(async () => (await textsOf(group)).includes(text), 20_000, `"${text}"`);
}

/**
 * Takes the search index out of every persona of a closed client's vault: the vault as it was
 * before the index existed (or restored from a backup made then). With `keepMarker`, the
 * back-fill marker is written back, as if the back-fill had already run. With `oldFormat`, the
 * index left behind is one of format version 1 (a head listing weeks, which today's reader
 * refuses as malformed), marked as back-filled in that version.
 */
async function dropSearchIndex(
  home: string,
  keepMarker: boolean,
  oldFormat?: { readonly term: string },
): Promise<void> {
  const vault = await Vault.open(home, PASSPHRASE);
  try {
    const directory = new PersonaDirectory(vault);
    for (const persona of await directory.list()) {
      const scope = directory.dataFor(persona.address);
      await scope.deleteTree('search');
      if (keepMarker) {
        await scope.put(SEARCH_BACKFILL_MARKER, new Uint8Array([SEARCH_INDEX_VERSION]));
      }
      if (oldFormat !== undefined) {
        const weeks = new Uint8Array(8);
        new DataView(weeks.buffer).setUint32(0, 2900);
        new DataView(weeks.buffer).setUint32(4, 2901);
        await scope.put(`search/head/${oldFormat.term}`, weeks);
        await scope.put(SEARCH_BACKFILL_MARKER, new Uint8Array([1]));
      }
    }
  } finally {
    await vault.lock();
  }
}

async function texts(client: KindredClient, query: string): Promise<string[]> {
  return (await client.search(query)).map((hit) => hit.snippet);
}

describe('search back-fill', () => {
  it('indexes 1:1 and group histories stored before the index, once, at unlock', async () => {
    const [ada, ben] = await clients.addMany(['Ada Backfill', 'Ben Backfill']);
    if (!ada || !ben) throw new Error('clients');
    await connectPair(ada, ben);
    await ben.send(ada.address, 'my rheumatologist suggested hydroxychloroquinezz');
    await ben.flushOutbox(10_000);
    const group = await ada.createGroup({ name: 'Backfill', description: '', rules: '' });
    const link = await group.invite({ maxUses: 1, expiresAt: Date.now() + HOUR });
    const benGroup = await ben.joinGroup(link);
    await benGroup.send('the infusion clinicqq opens at eight');
    await ben.flushOutbox(10_000);
    await waitForText(group, 'the infusion clinicqq opens at eight');
    await waitFor(
      async () => (await ada.search('hydroxychloroquinezz')).length === 1,
      20_000,
      'the 1:1 text',
    );

    // The same vault without its index: the messages are there, the index is not.
    const home = clients.home(ada);
    await clients.close(ada);
    await dropSearchIndex(home, false);
    const reopened = await clients.reopen(ada, { start: false });
    expect(await texts(reopened, 'hydroxychloroquinezz')).toEqual([
      'my rheumatologist suggested hydroxychloroquinezz',
    ]);
    const groupHits = await reopened.search('clinicqq eight');
    expect(groupHits).toHaveLength(1);
    expect(groupHits[0]).toMatchObject({
      conversation: `group:${(await reopened.groups())[0]?.groupId}`,
      snippet: 'the infusion clinicqq opens at eight',
    });

    // Once: with the marker there and no index, unlocking indexes nothing again.
    await clients.close(reopened);
    await dropSearchIndex(home, true);
    const again = await clients.reopen(reopened, { start: false });
    expect(await again.search('hydroxychloroquinezz')).toEqual([]);
    expect(await again.search('clinicqq')).toEqual([]);

    // An index in an older format (version 1, marked back-filled then) is cleared and built
    // again from the vault at unlock: its old records are gone, every text is found.
    await clients.close(again);
    await dropSearchIndex(home, false, { term: 'hydroxychloroquinezz' });
    const rebuilt = await clients.reopen(again, { start: false });
    expect(await texts(rebuilt, 'hydroxychloroquinezz')).toEqual([
      'my rheumatologist suggested hydroxychloroquinezz',
    ]);
    expect(await texts(rebuilt, 'clinicqq eight')).toEqual([
      'the infusion clinicqq opens at eight',
    ]);
  }, 90_000);
});

describe('search after a moderator deletes a message', () => {
  it('finds the message in no member’s index', async () => {
    const [owner, author] = await clients.addMany(['Owner Upkeep', 'Author Upkeep']);
    if (!owner || !author) throw new Error('clients');
    const ownerGroup = await owner.createGroup({ name: 'Upkeep', description: '', rules: '' });
    const link = await ownerGroup.invite({ maxUses: 1, expiresAt: Date.now() + HOUR });
    const authorGroup = await author.joinGroup(link);
    await authorGroup.send('miracle cureqq sold here');
    await authorGroup.send('ask your doctor about cureqq trials');
    await author.flushOutbox(10_000);
    await waitForText(ownerGroup, 'ask your doctor about cureqq trials');
    for (const client of [owner, author]) expect(await client.search('cureqq')).toHaveLength(2);

    const deletedId = await messageIdOf(ownerGroup, 'miracle cureqq sold here');
    await ownerGroup.deleteMessage(deletedId, 'selling fake cures');
    await waitFor(
      async () => (await authorGroup.messages()).some((m) => m.deleted),
      20_000,
      'the deletion at the author',
    );
    for (const client of [owner, author]) {
      expect(await texts(client, 'cureqq')).toEqual(['ask your doctor about cureqq trials']);
      expect(await client.search('miracle')).toEqual([]);
    }

    // And it stays out: reopening (the back-fill has run) brings nothing back.
    await clients.close(author);
    const reopened = await clients.reopen(author, { start: false });
    expect(await texts(reopened, 'cureqq')).toEqual(['ask your doctor about cureqq trials']);
  }, 90_000);
});
