/**
 * Before joining and after reporting, on a real relay with real vaults: what an invite link shows
 * before anyone joins, the introduction a joiner sends with its request (sealed: the relay's files
 * never hold it), and reports marked handled from the log, or dismissed by one moderator.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { GroupHandle } from '../../core/client/index.js';
import { CoreErrorCode, JOIN_PROFILE_PADDED_BYTES, utf8 } from '../../core/client/index.js';
import {
  fetchGroupState,
  filesBelow,
  groupKeysOf,
  messageIdOf,
  textsOf,
  useGroupTestClients,
} from './groupHelpers.js';
import { useTestRelay, waitFor } from './helpers.js';

const relay = useTestRelay();
const clients = useGroupTestClients(relay);

const HOUR = 3_600_000;
const RULES = 'Be kind. No selling. What is said here stays here.';
const INTRODUCTION = 'Hello, I am Quillon-Marrowfield-Zebu; my daughter has Ehlers-Danlos-Pelican.';

async function waitForLog(leader: GroupHandle, handles: readonly GroupHandle[]): Promise<void> {
  const length = (await leader.details()).logLength;
  await waitFor(
    async () =>
      (await Promise.all(handles.map(async (h) => (await h.details()).logLength))).every(
        (seen) => seen >= length,
      ),
    10_000,
    `every member to reach log length ${length}`,
  );
}

describe('an invite link, before joining', () => {
  it('shows the group’s name, rules and whether approval is needed, and stores nothing', async () => {
    const [owner, visitor] = await clients.addMany(['Owner', 'Visitor']);
    if (!owner || !visitor) throw new Error('clients');
    const group = await owner.createGroup({
      name: 'Spring Circle',
      description: 'For people living with EDS.',
      rules: RULES,
      joinByApproval: true,
    });
    const link = await group.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });

    expect(await visitor.previewGroup(link)).toStrictEqual({
      groupId: group.id,
      name: 'Spring Circle',
      description: 'For people living with EDS.',
      rules: RULES,
      joinByApproval: true,
    });
    // A preview is no join: no group, no persona, nothing in the log.
    expect(await visitor.groups()).toStrictEqual([]);
    expect(visitor.sessions()).toHaveLength(1);
    expect((await group.details()).requests).toBe(0);

    // The policy shown is the current one.
    await group.setPolicy({ joinByApproval: false });
    expect((await visitor.previewGroup(link)).joinByApproval).toBe(false);

    // A link whose invite was reset shows nothing, with a coded error.
    await group.resetInvites();
    await expect(visitor.previewGroup(link)).rejects.toMatchObject({
      code: CoreErrorCode.GroupInviteInvalid,
    });
  }, 60_000);
});

describe('an introduction with a join request', () => {
  it('reaches the moderators beside the request, and never the relay’s files', async () => {
    const [owner, joiner, quiet] = await clients.addMany(['Owner', 'Joiner', 'Quiet']);
    if (!owner || !joiner || !quiet) throw new Error('clients');
    const group = await owner.createGroup({
      name: 'Intro Circle',
      description: '',
      rules: '',
      joinByApproval: true,
    });
    const link = await group.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });

    await expect(joiner.joinGroup(link, { introduction: 'x'.repeat(501) })).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInput,
    });
    expect(await joiner.groups()).toStrictEqual([]);

    const joined = await joiner.joinGroup(link, { pseudonym: 'Quill', introduction: INTRODUCTION });
    await quiet.joinGroup(link, { pseudonym: 'Hush' });
    await group.sync();
    await waitFor(async () => (await group.requests()).length === 2, 10_000, 'both requests');
    const requests = await group.requests();
    expect(requests.map((request) => [request.pseudonym, request.introduction])).toStrictEqual([
      ['Quill', INTRODUCTION],
      ['Hush', undefined],
    ]);

    // Both sealed profiles are one size: the relay cannot tell who wrote something, nor how much.
    const state = await fetchGroupState(relay.url, groupKeysOf(link));
    const sizes = [...state.requests.values()].map((request) => request.sealedProfile.length);
    expect(sizes).toHaveLength(2);
    expect(new Set(sizes).size).toBe(1);
    expect(sizes[0]).toBeGreaterThan(JOIN_PROFILE_PADDED_BYTES);

    // Nowhere in the relay's files: raw, hex or base64.
    const needle = Buffer.from(utf8('Quillon-Marrowfield-Zebu'));
    const forms = [needle.toString('latin1'), needle.toString('hex'), needle.toString('base64')];
    const files = await filesBelow(relay.running.dataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const content = (await readFile(file)).toString('latin1');
      for (const form of forms) expect(content.includes(form), file).toBe(false);
    }

    // Once let in, the new member is a member like any other.
    await group.approve(joined.persona);
    await waitFor(async () => (await joined.details()).status === 'active', 10_000, 'approved');
  }, 60_000);
});

describe('reports, handled or dismissed', () => {
  it('are marked handled when any moderator deletes the message or acts on its author', async () => {
    const [owner, mod, reporter, author] = await clients.addMany([
      'Owner',
      'Mod',
      'Reporter',
      'Author',
    ]);
    if (!owner || !mod || !reporter || !author) throw new Error('clients');
    const ownerGroup = await owner.createGroup({ name: 'Handled', description: '', rules: '' });
    const link = await ownerGroup.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const modGroup = await mod.joinGroup(link, { pseudonym: 'Mo' });
    const reporterGroup = await reporter.joinGroup(link);
    const authorGroup = await author.joinGroup(link);
    await ownerGroup.promote(modGroup.persona);
    await waitForLog(ownerGroup, [modGroup, reporterGroup, authorGroup]);

    await authorGroup.send('miracle cure for sale');
    await authorGroup.send('second offer, cheap');
    await author.flushOutbox(10_000);
    await waitFor(
      async () => (await textsOf(reporterGroup)).includes('second offer, cheap'),
      10_000,
      'the messages',
    );
    const first = await messageIdOf(reporterGroup, 'miracle cure for sale');
    const second = await messageIdOf(reporterGroup, 'second offer, cheap');
    await reporterGroup.report(first, 'selling');
    await reporterGroup.report(second, 'selling again');
    await reporter.flushOutbox(10_000);
    await waitFor(async () => (await ownerGroup.reports()).length === 2, 10_000, 'the reports');
    expect((await ownerGroup.reports()).map((report) => report.handled)).toStrictEqual([
      undefined,
      undefined,
    ]);

    // The other moderator deletes the first message: the owner's client reads it from the log.
    await waitFor(async () => (await modGroup.reports()).length === 2, 10_000, 'mod’s reports');
    await modGroup.deleteMessage(first, 'no selling');
    await ownerGroup.sync();
    await waitFor(
      async () => (await ownerGroup.reports())[0]?.handled !== undefined,
      10_000,
      'the first report handled',
    );
    const [handledFirst, openSecond] = await ownerGroup.reports();
    expect(handledFirst?.handled).toMatchObject({
      action: 'deleteMessage',
      by: modGroup.persona,
      byPseudonym: 'Mo',
    });
    expect(openSecond?.handled).toBeUndefined();

    // A mute lifted handles nothing; a mute does (of the author, after the message).
    await ownerGroup.mute(authorGroup.persona, 0);
    expect((await ownerGroup.reports())[1]?.handled).toBeUndefined();
    await ownerGroup.mute(authorGroup.persona, Date.now() + HOUR, 'cool down');
    expect((await ownerGroup.reports())[1]?.handled).toMatchObject({
      action: 'mute',
      by: ownerGroup.persona,
    });
    // The other moderator comes to the same answer from its own copy of the log.
    await modGroup.sync();
    expect((await modGroup.reports()).map((report) => report.handled?.action)).toStrictEqual([
      'deleteMessage',
      'mute',
    ]);
  }, 90_000);

  it('stay dismissed for the moderator who dismissed them, across a restart', async () => {
    const [owner, mod, reporter] = await clients.addMany(['Owner', 'Mod', 'Reporter']);
    if (!owner || !mod || !reporter) throw new Error('clients');
    const ownerGroup = await owner.createGroup({ name: 'Dismissed', description: '', rules: '' });
    const link = await ownerGroup.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const modGroup = await mod.joinGroup(link);
    const reporterGroup = await reporter.joinGroup(link);
    await ownerGroup.promote(modGroup.persona);
    await waitForLog(ownerGroup, [modGroup, reporterGroup]);
    await ownerGroup.send('please be gentle');
    await owner.flushOutbox(10_000);
    await waitFor(
      async () => (await textsOf(reporterGroup)).includes('please be gentle'),
      10_000,
      'the message',
    );
    await reporterGroup.report(await messageIdOf(reporterGroup, 'please be gentle'), 'rude?');
    await reporter.flushOutbox(10_000);
    await waitFor(async () => (await ownerGroup.reports()).length === 1, 10_000, 'owner’s report');
    await waitFor(async () => (await modGroup.reports()).length === 1, 10_000, 'mod’s report');
    const [report] = await ownerGroup.reports();
    if (report === undefined) throw new Error('report');
    expect(report.dismissed).toBe(false);

    await ownerGroup.dismissReport(report.index);
    await expect(ownerGroup.dismissReport(report.index + 10)).rejects.toMatchObject({
      code: CoreErrorCode.InvalidInput,
    });
    await clients.close(owner);
    const reopened = await clients.reopen(owner);
    const again = await reopened.group(ownerGroup.id);
    expect((await again.reports()).map((shown) => shown.dismissed)).toStrictEqual([true]);
    // Dismissing is one moderator's own: the other still has it open.
    expect((await modGroup.reports()).map((shown) => shown.dismissed)).toStrictEqual([false]);
  }, 90_000);
});
