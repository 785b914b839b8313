import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type {
  GroupActionInit,
  GroupHandle,
  GroupInviteLinkData,
  GroupState,
  KindredClient,
} from '../../core/client/index.js';
import {
  CoreError,
  CoreErrorCode,
  GROUP_LINK_PREFIX,
  Persona,
  PersonaDirectory,
  RelayConnection,
  RelayErrorCode,
  RelayRejectedError,
  fromBase64Url,
  fromHex,
  generateInviteKeyPair,
  parseGroupInviteLink,
  signGroupJoin,
  signGroupOperation,
  toBase64Url,
  toHex,
  utf8,
  Vault,
  wire,
} from '../../core/client/index.js';
import type { GroupKeys } from './groupHelpers.js';
import { queueDirect } from '../../core/client/groups/GroupPoster.js';
import { PersonaState } from '../../core/client/PersonaState.js';
import {
  useGroupTestClients,
  fetchGroupState,
  groupIdOf,
  groupKeysOf,
  messageIdOf,
  personaFromVault,
  sleep,
  registerPersona,
  submitOperation,
  textsOf,
} from './groupHelpers.js';
import { PASSPHRASE, useTestRelay, waitFor } from './helpers.js';

const relay = useTestRelay();
const clients = useGroupTestClients(relay);

const HOUR = 3_600_000;

/** Joins each client in turn (simultaneous joins race for the log head). */
async function joinEach(link: string, joiners: readonly KindredClient[]): Promise<GroupHandle[]> {
  const handles: GroupHandle[] = [];
  // Under their main names: the moderation log's sentences below name them.
  for (const joiner of joiners) {
    handles.push(await joiner.joinGroup(link, { pseudonym: joiner.whoami().pseudonym }));
  }
  return handles;
}

/** Waits until every handle has applied the log as far as `leader` has. */
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

async function waitForText(group: GroupHandle, text: string): Promise<void> {
  await waitFor(async () => (await textsOf(group)).includes(text), 10_000, `"${text}"`);
}

/** A join as a client builds it, signed with the link's invite key, for any persona. */
async function joinAction(
  joiner: Persona,
  link: GroupInviteLinkData,
  keys: GroupKeys,
): Promise<GroupActionInit> {
  return {
    case: 'join',
    value: {
      inviteId: link.inviteId,
      inviteSignature: signGroupJoin(
        link.invitePrivateKey,
        link.groupId,
        link.inviteId,
        joiner.identityPublicKey,
      ),
      // The relay only sees a sealed blob; what is inside does not matter to it.
      sealedProfile: await keys.secret.seal(
        'profile',
        utf8(joiner.pseudonym),
        joiner.identityPublicKey,
      ),
    },
  };
}

/** What the relay answers a signed operation; `undefined` when it appended it. */
async function relayAnswer(
  connection: RelayConnection,
  signed: Uint8Array,
): Promise<string | undefined> {
  try {
    await connection.request(
      { case: 'submitGroupOperation', value: { operation: signed } },
      'groupAppended',
    );
    return undefined;
  } catch (error) {
    if (RelayRejectedError.isRelayRejection(error)) return error.relayCode;
    throw error;
  }
}

function errorCodeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return CoreError.is(error) ? error.code : String(error);
  }
}

describe('authority', () => {
  it('refuses every moderator operation from a plain member, in its client and at the relay', async () => {
    const [owner, mod, mod2, plain, target, banned, asker] = await clients.addMany([
      'Owner',
      'Mod',
      'Second Mod',
      'Plain',
      'Target',
      'Banned',
      'Asker',
    ]);
    if (!owner || !mod || !mod2 || !plain || !target || !banned || !asker)
      throw new Error('clients');
    const ownerGroup = await owner.createGroup({ name: 'Authority', description: '', rules: '' });
    const link = await ownerGroup.invite({ maxUses: 10, expiresAt: Date.now() + HOUR });
    const [modGroup, mod2Group, plainGroup, targetGroup, bannedGroup] = await joinEach(link, [
      mod,
      mod2,
      plain,
      target,
      banned,
    ]);
    if (!modGroup || !mod2Group || !plainGroup || !targetGroup || !bannedGroup) {
      throw new Error('joins');
    }
    await ownerGroup.promote(modGroup.persona, 'trusted');
    await ownerGroup.promote(mod2Group.persona, 'trusted too');
    await ownerGroup.ban(bannedGroup.persona, 'spam');
    await targetGroup.send('a message to pin');
    await targetGroup.send('a message to delete');
    await target.flushOutbox(10_000);
    await waitForText(ownerGroup, 'a message to delete');
    const pinnedId = await messageIdOf(ownerGroup, 'a message to pin');
    const otherId = await messageIdOf(ownerGroup, 'a message to delete');
    await ownerGroup.pin(pinnedId);
    // A pending request, so approve and deny have someone to act on.
    await ownerGroup.setPolicy({ joinByApproval: true });
    // A fresh link: the ban revoked the one the banned member came with.
    const askerLink = await ownerGroup.invite({ maxUses: 1, expiresAt: Date.now() + HOUR });
    const askerGroup = await asker.joinGroup(askerLink);
    expect((await askerGroup.details()).status).toBe('requested');
    await waitForLog(ownerGroup, [plainGroup, modGroup]);

    // Each with a target it would be valid for, so only the actor's rank stands in the way.
    const asPlain: [string, () => Promise<unknown>][] = [
      ['invite', () => plainGroup.invite({ maxUses: 1, expiresAt: Date.now() + HOUR })],
      ['approve', () => plainGroup.approve(askerGroup.persona)],
      ['deny', () => plainGroup.deny(askerGroup.persona)],
      ['remove', () => plainGroup.remove(targetGroup.persona)],
      ['ban', () => plainGroup.ban(targetGroup.persona)],
      ['unban', () => plainGroup.unban(bannedGroup.persona)],
      ['mute', () => plainGroup.mute(targetGroup.persona, Date.now() + HOUR)],
      ['promote', () => plainGroup.promote(targetGroup.persona)],
      ['demote', () => plainGroup.demote(modGroup.persona)],
      ['transferOwnership', () => plainGroup.transferOwnership(targetGroup.persona)],
      ['setInfo', () => plainGroup.setInfo({ name: 'Mutiny' })],
      ['pin', () => plainGroup.pin(otherId)],
      ['unpin', () => plainGroup.unpin(pinnedId)],
      ['deleteMessage', () => plainGroup.deleteMessage(otherId)],
      ['setPolicy', () => plainGroup.setPolicy({ slowModeSeconds: 30 })],
    ];
    for (const [name, attempt] of asPlain) {
      await expect(attempt(), name).rejects.toMatchObject({ code: CoreErrorCode.GroupForbidden });
    }
    // A moderator acts only on those it outranks, and promotes or demotes no one.
    const asMod: [string, () => Promise<unknown>][] = [
      ['remove owner', () => modGroup.remove(ownerGroup.persona)],
      ['remove moderator', () => modGroup.remove(mod2Group.persona)],
      ['ban owner', () => modGroup.ban(ownerGroup.persona)],
      ['ban moderator', () => modGroup.ban(mod2Group.persona)],
      ['mute moderator', () => modGroup.mute(mod2Group.persona, Date.now() + HOUR)],
      ['promote', () => modGroup.promote(targetGroup.persona)],
      ['demote', () => modGroup.demote(mod2Group.persona)],
      ['transferOwnership', () => modGroup.transferOwnership(targetGroup.persona)],
    ];
    for (const [name, attempt] of asMod) {
      await expect(attempt(), name).rejects.toMatchObject({ code: CoreErrorCode.GroupForbidden });
    }

    // The relay, bypassing the clients: operations signed with the members' own keys against the
    // current head, exactly as a modified client would send them. The relay reads the log to a
    // live invite's read key (the ban revoked `link`).
    const keys = groupKeysOf(
      await ownerGroup.invite({ maxUses: 1000, expiresAt: Date.now() + HOUR }),
    );
    await clients.close(plain);
    await clients.close(mod);
    const plainKeys = await personaFromVault(clients.home(plain), plainGroup.persona);
    const modKeys = await personaFromVault(clients.home(mod), modGroup.persona);
    const state = await fetchGroupState(relay.url, keys);
    expect(state.members.get(plainKeys.address)?.role).toBe('member');
    expect(state.members.get(modKeys.address)?.role).toBe('moderator');
    const hex = (id: string): Uint8Array => {
      const bytes = fromHex(id);
      if (bytes === undefined) throw new Error('a malformed message id');
      return bytes;
    };
    const target1 = { member: targetGroup.persona };
    const rawPlain: GroupActionInit[] = [
      {
        case: 'invite',
        value: {
          inviteId: new Uint8Array(randomBytes(16)),
          inviteKey: generateInviteKeyPair().publicKey,
          expiresAt: BigInt(Date.now() + HOUR),
          maxUses: 1,
        },
      },
      { case: 'approve', value: { member: askerGroup.persona } },
      { case: 'deny', value: { member: askerGroup.persona } },
      { case: 'remove', value: target1 },
      { case: 'ban', value: target1 },
      { case: 'unban', value: { member: bannedGroup.persona } },
      { case: 'mute', value: { ...target1, until: BigInt(Date.now() + HOUR) } },
      { case: 'promote', value: target1 },
      { case: 'demote', value: { member: modGroup.persona } },
      { case: 'transferOwnership', value: target1 },
      // The relay cannot read sealed info, so any sealed blob stands for a new name.
      {
        case: 'setInfo',
        value: { sealedInfo: await keys.secret.seal('info', utf8('Mutiny'), keys.groupId) },
      },
      { case: 'pin', value: { messageId: hex(otherId) } },
      { case: 'unpin', value: { messageId: hex(pinnedId) } },
      { case: 'deleteMessage', value: { messageId: hex(otherId) } },
      {
        case: 'setPolicy',
        value: {
          joinByApproval: false,
          slowModeSeconds: 30,
          posting: wire.GroupPosting.MODERATORS,
        },
      },
    ];
    const rawMod: GroupActionInit[] = [
      { case: 'remove', value: { member: ownerGroup.persona } },
      { case: 'remove', value: { member: mod2Group.persona } },
      { case: 'ban', value: { member: ownerGroup.persona } },
      { case: 'ban', value: { member: mod2Group.persona } },
      { case: 'mute', value: { member: mod2Group.persona, until: BigInt(Date.now() + HOUR) } },
      { case: 'promote', value: target1 },
      { case: 'demote', value: { member: mod2Group.persona } },
      { case: 'transferOwnership', value: target1 },
    ];
    const connection = await RelayConnection.open({ url: relay.url });
    try {
      const sign = (actor: Persona, action: GroupActionInit, at: GroupState): Uint8Array =>
        signGroupOperation(actor, { groupId: keys.groupId, state: at, action });
      /** Each action's name and the relay's answer to it. */
      const answers = async (
        actor: Persona,
        actions: readonly GroupActionInit[],
      ): Promise<[string, string | undefined][]> => {
        const out: [string, string | undefined][] = [];
        for (const action of actions) {
          out.push([
            String(action.case),
            await relayAnswer(connection, sign(actor, action, state)),
          ]);
        }
        return out;
      };
      const allForbidden = (actions: readonly GroupActionInit[]): [string, string][] =>
        actions.map((action) => [String(action.case), RelayErrorCode.GroupForbidden]);
      expect(await answers(plainKeys, rawPlain)).toStrictEqual(allForbidden(rawPlain));
      expect(await answers(modKeys, rawMod)).toStrictEqual(allForbidden(rawMod));
      // Nothing got in.
      expect((await fetchGroupState(relay.url, keys)).length).toBe(state.length);

      // Controls: the same keys, signing the same way, are heard when they act within their
      // rights: the moderator removes a plain member, and the plain member leaves. A valid
      // operation goes on its actor's authenticated connection; the anonymous one refuses it.
      const asActor = async (actor: Persona, signed: Uint8Array): Promise<string | undefined> => {
        const own = await RelayConnection.open({ url: relay.url });
        try {
          await own.authenticate(actor);
          return await relayAnswer(own, signed);
        } finally {
          own.close();
        }
      };
      const removal = sign(modKeys, { case: 'remove', value: target1 }, state);
      expect(await relayAnswer(connection, removal)).toBe(RelayErrorCode.AuthRequired);
      expect(await asActor(modKeys, removal)).toBeUndefined();
      // The owner's client starts the new epoch of the group key the removal calls for; the
      // leave is signed on top of it.
      let afterRemoval = await fetchGroupState(relay.url, keys);
      await waitFor(
        async () => {
          afterRemoval = await fetchGroupState(relay.url, keys);
          return !afterRemoval.rotationDue;
        },
        10_000,
        'the rotation after the removal',
      );
      const leave = sign(plainKeys, { case: 'leave', value: {} }, afterRemoval);
      expect(await asActor(plainKeys, leave)).toBeUndefined();
      const final = await fetchGroupState(relay.url, keys);
      expect(final.members.has(targetGroup.persona)).toBe(false);
      expect(final.members.has(plainKeys.address)).toBe(false);
    } finally {
      connection.close();
    }
    await waitFor(
      async () => (await ownerGroup.members()).length === 3,
      10_000,
      'the owner to apply the removal and the leave',
    );
    expect((await ownerGroup.warnings()).length).toBe(0);
  }, 60_000);
});

describe('invites', () => {
  /** A group whose owner made a link with `maxUses` uses that expires at `expiresAt`. */
  async function groupWithLink(
    maxUses: number,
    expiresInMs = HOUR,
  ): Promise<{
    ownerGroup: GroupHandle;
    link: string;
    expiresAt: number;
    keys: GroupKeys;
    reader: GroupKeys;
  }> {
    const owner = await clients.add('Owner');
    const ownerGroup = await owner.createGroup({ name: 'Invites', description: '', rules: '' });
    // A link nobody uses, whose read key lets the test read the log after `link` is dead.
    const reader = await ownerGroup.invite({ maxUses: 1000, expiresAt: Date.now() + HOUR });
    // Timed from when the link is made: making the group may take seconds on a loaded machine.
    const expiresAt = Date.now() + expiresInMs;
    const link = await ownerGroup.invite({ maxUses, expiresAt });
    return { ownerGroup, link, expiresAt, keys: groupKeysOf(link), reader: groupKeysOf(reader) };
  }

  it('refuses the join beyond an invite’s uses, in the client and at the relay', async () => {
    const { ownerGroup, link, keys, reader } = await groupWithLink(2);
    const [first, second, late] = await clients.addMany(['First', 'Second', 'Late']);
    if (!first || !second || !late) throw new Error('clients');
    await joinEach(link, [first, second]);
    // A used-up link reads nothing more.
    await expect(fetchGroupState(relay.url, keys)).rejects.toMatchObject({
      relayCode: RelayErrorCode.GroupLogKey,
    });

    await expect(late.joinGroup(link)).rejects.toMatchObject({
      code: CoreErrorCode.GroupInviteInvalid,
    });
    const stranger = Persona.generate('Stranger');
    const usedUp = await joinAction(stranger, parseGroupInviteLink(link), keys);
    await expect(
      submitOperation(
        relay.url,
        signGroupOperation(stranger, {
          groupId: keys.groupId,
          state: await fetchGroupState(relay.url, reader),
          action: usedUp,
        }),
      ),
    ).rejects.toMatchObject({ relayCode: RelayErrorCode.GroupInviteInvalid });
    // Control: the same hand-made join, with a link that has a use left, gets in (once the
    // stranger has registered: the relay takes joins only from registered personas).
    const spare = await ownerGroup.invite({ maxUses: 1, expiresAt: Date.now() + HOUR });
    await registerPersona(relay.url, stranger);
    await submitOperation(
      relay.url,
      signGroupOperation(stranger, {
        groupId: keys.groupId,
        state: await fetchGroupState(relay.url, reader),
        action: await joinAction(stranger, parseGroupInviteLink(spare), keys),
      }),
    );
    const state = await fetchGroupState(relay.url, reader);
    expect(state.members.has(stranger.address)).toBe(true);
    expect(state.members.size).toBe(4);
  }, 60_000);

  it('leaves someone whose join was refused free to join with a good link', async () => {
    const { ownerGroup, link } = await groupWithLink(1);
    const [first, late] = await clients.addMany(['First', 'Late']);
    if (!first || !late) throw new Error('clients');
    await first.joinGroup(link);
    await expect(late.joinGroup(link)).rejects.toMatchObject({
      code: CoreErrorCode.GroupInviteInvalid,
    });
    // The refused attempt must not leave the group behind looking joined or pending.
    const leftBehind = (await late.groups()).filter((g) => g.groupId === ownerGroup.id);
    expect(leftBehind.map((g) => g.status)).not.toContain('requested');
    expect(leftBehind.map((g) => g.status)).not.toContain('active');
    // Nor the persona made for it.
    expect(late.sessions().map((session) => session.address)).toStrictEqual([late.address]);

    const another = await ownerGroup.invite({ maxUses: 1, expiresAt: Date.now() + HOUR });
    const lateGroup = await late.joinGroup(another);
    expect((await lateGroup.details()).status).toBe('active');
    await waitFor(
      async () => (await ownerGroup.members()).length === 3,
      10_000,
      'the owner to see the late joiner',
    );
  }, 60_000);

  it('refuses an expired invite, in the client and at the relay', async () => {
    const tardy = await clients.add('Tardy');
    // Long enough for the link to reach the relay on a loaded machine.
    const { link, expiresAt, keys, reader } = await groupWithLink(5, 5_000);
    const linkData = parseGroupInviteLink(link);
    await sleep(expiresAt - Date.now() + 100);
    await expect(tardy.joinGroup(link)).rejects.toMatchObject({
      code: CoreErrorCode.InviteExpired,
    });
    // By hand: a join signed now (after the expiry) with the link's own key.
    // An expired link reads nothing more.
    await expect(fetchGroupState(relay.url, keys)).rejects.toMatchObject({
      relayCode: RelayErrorCode.GroupLogKey,
    });
    const latecomer = Persona.generate('Latecomer');
    await expect(
      submitOperation(
        relay.url,
        signGroupOperation(latecomer, {
          groupId: keys.groupId,
          state: await fetchGroupState(relay.url, reader),
          action: await joinAction(latecomer, linkData, keys),
        }),
      ),
    ).rejects.toMatchObject({ relayCode: RelayErrorCode.GroupInviteInvalid });
    expect((await fetchGroupState(relay.url, reader)).members.size).toBe(1);
  }, 60_000);

  it('refuses a link with any byte changed', async () => {
    const { link } = await groupWithLink(5);
    const joiner = await clients.add('Joiner');
    const body = fromBase64Url(link.slice(GROUP_LINK_PREFIX.length));
    if (body === undefined) throw new Error('link body');
    const codes = new Set<string | undefined>();
    for (let i = 0; i < body.length; i++) {
      for (const flip of [0x01, 0x80]) {
        const copy = body.slice();
        copy[i] = (copy[i] ?? 0) ^ flip;
        codes.add(errorCodeOf(() => parseGroupInviteLink(GROUP_LINK_PREFIX + toBase64Url(copy))));
      }
    }
    expect([...codes]).toStrictEqual([CoreErrorCode.InvalidInviteLink]);
    const tampered = body.slice();
    const middle = Math.floor(body.length / 2);
    tampered[middle] = (tampered[middle] ?? 0) ^ 0x01;
    await expect(joiner.joinGroup(GROUP_LINK_PREFIX + toBase64Url(tampered))).rejects.toMatchObject(
      { code: CoreErrorCode.InvalidInviteLink },
    );
    expect(await joiner.groups()).toStrictEqual([]);
  }, 60_000);
});

describe('joining by approval', () => {
  it('makes a join a request that a moderator approves or denies', async () => {
    const [owner, welcome, refused] = await clients.addMany([
      'Owner',
      'Welcome Wren',
      'Refused Rue',
    ]);
    if (!owner || !welcome || !refused) throw new Error('clients');
    const ownerGroup = await owner.createGroup({
      name: 'By approval',
      description: '',
      rules: '',
      joinByApproval: true,
    });
    const link = await ownerGroup.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const welcomeGroup = await welcome.joinGroup(link, { pseudonym: 'Welcome Wren' });
    const refusedGroup = await refused.joinGroup(link, { pseudonym: 'Refused Rue' });
    expect((await welcomeGroup.details()).status).toBe('requested');
    expect((await refusedGroup.details()).status).toBe('requested');
    await waitFor(
      async () => (await ownerGroup.requests()).length === 2,
      10_000,
      'the owner to see both requests',
    );
    const requests = await ownerGroup.requests();
    expect(requests.map((r) => [r.address, r.pseudonym]).sort()).toStrictEqual(
      [
        [welcomeGroup.persona, 'Welcome Wren'],
        [refusedGroup.persona, 'Refused Rue'],
      ].sort(),
    );
    // Where each request stands in the log: the sequence of its join operation.
    const joins = (await ownerGroup.log()).filter((entry) => entry.action === 'join');
    expect(requests.map((r) => [r.address, r.requestedAtSequence]).sort()).toStrictEqual(
      joins.map((entry) => [entry.actor, entry.sequence]).sort(),
    );
    // Under the approval policy the log shows these joins as requests.
    expect(joins.map((entry) => entry.detail)).toStrictEqual(joins.map(() => 'request'));
    expect((await ownerGroup.members()).length).toBe(1);
    await expect(welcomeGroup.send('may I?')).rejects.toMatchObject({
      code: CoreErrorCode.GroupNotMember,
    });

    await ownerGroup.approve('Welcome Wren', 'welcome');
    await waitFor(
      async () => (await welcomeGroup.details()).status === 'active',
      10_000,
      'the approved member to learn it is in',
    );
    await ownerGroup.send('glad you are here');
    await owner.flushOutbox(10_000);
    await waitForText(welcomeGroup, 'glad you are here');
    await welcomeGroup.send('thank you');
    await welcome.flushOutbox(10_000);
    await waitForText(ownerGroup, 'thank you');

    await ownerGroup.deny(refusedGroup.persona, 'not this time');
    await refusedGroup.sync();
    expect((await refusedGroup.details()).status).not.toMatch(/^(active|requested)$/);
    await expect(refusedGroup.send('please?')).rejects.toMatchObject({
      code: CoreErrorCode.GroupNotMember,
    });
    expect(await ownerGroup.requests()).toStrictEqual([]);
    expect((await ownerGroup.members()).map((m) => m.address).sort()).toStrictEqual(
      [ownerGroup.persona, welcomeGroup.persona].sort(),
    );
    expect((await ownerGroup.log()).slice(-2)).toMatchObject([
      { action: 'approve', target: welcomeGroup.persona, reason: 'welcome' },
      { action: 'deny', target: refusedGroup.persona, reason: 'not this time' },
    ]);
  }, 60_000);
});

describe('mute', () => {
  it('stops a muted member at its client and at the relay; unmuting lets it post again', async () => {
    const [owner, loud, listener] = await clients.addMany(['Owner', 'Loud', 'Listener']);
    if (!owner || !loud || !listener) throw new Error('clients');
    const ownerGroup = await owner.createGroup({ name: 'Mute', description: '', rules: '' });
    const link = await ownerGroup.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const [loudGroup, listenerGroup] = await joinEach(link, [loud, listener]);
    if (!loudGroup || !listenerGroup) throw new Error('joins');
    await loudGroup.send('before the mute');
    await loud.flushOutbox(10_000);
    await waitForText(listenerGroup, 'before the mute');

    // Offline, the member misses its mute: its client lets a post through, the relay refuses it.
    await clients.close(loud);
    await ownerGroup.mute(loudGroup.persona, Date.now() + HOUR, 'cool down');
    const stale = await clients.reopen(loud, { start: false });
    const refusals: string[] = [];
    stale.on('groupSendFailed', ({ error }) => {
      refusals.push(RelayRejectedError.isRelayRejection(error) ? error.relayCode : error.code);
    });
    const staleGroup = await stale.group(loudGroup.id);
    await staleGroup.send('sneaking past the mute');
    await stale.flushOutbox(10_000);
    expect(refusals).toStrictEqual([RelayErrorCode.GroupMuted]);
    expect((await staleGroup.messages()).at(-1)).toMatchObject({
      text: 'sneaking past the mute',
      status: 'failed',
    });

    // Online again, it learns of the mute and refuses by itself.
    await stale.start({ receive: true });
    await waitFor(
      async () => (await staleGroup.members()).some((m) => m.self && m.mutedUntil > Date.now()),
      10_000,
      'the member to learn of its mute',
    );
    await expect(staleGroup.send('still muted?')).rejects.toMatchObject({
      code: CoreErrorCode.GroupMuted,
    });

    await ownerGroup.mute(loudGroup.persona, 0, 'welcome back');
    await waitFor(
      async () => (await staleGroup.members()).some((m) => m.self && m.mutedUntil === 0),
      10_000,
      'the member to learn of its unmute',
    );
    await staleGroup.send('thank you for unmuting me');
    await stale.flushOutbox(10_000);
    await waitForText(listenerGroup, 'thank you for unmuting me');
    expect(await textsOf(listenerGroup)).not.toContain('sneaking past the mute');
    expect((await listenerGroup.warnings()).length).toBe(0);
    expect((await listenerGroup.log()).slice(-2)).toMatchObject([
      { action: 'mute', target: loudGroup.persona, reason: 'cool down' },
      { action: 'mute', target: loudGroup.persona, detail: 'unmuted', reason: 'welcome back' },
    ]);
  }, 60_000);
});

describe('slow mode', () => {
  it('holds a plain member to one post per interval; moderators are exempt', async () => {
    const [owner, member, mod] = await clients.addMany(['Owner', 'Member', 'Moderator']);
    if (!owner || !member || !mod) throw new Error('clients');
    const ownerGroup = await owner.createGroup({
      name: 'Slow',
      description: '',
      rules: '',
      slowModeSeconds: 2,
    });
    const link = await ownerGroup.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const [memberGroup, modGroup] = await joinEach(link, [member, mod]);
    if (!memberGroup || !modGroup) throw new Error('joins');
    await ownerGroup.promote(modGroup.persona);
    await waitForLog(ownerGroup, [memberGroup, modGroup]);

    await memberGroup.send('first');
    await expect(memberGroup.send('too soon')).rejects.toMatchObject({
      code: CoreErrorCode.GroupSlowMode,
    });
    await modGroup.send('moderator one');
    await modGroup.send('moderator two');
    await ownerGroup.send('owner one');
    await ownerGroup.send('owner two');
    await Promise.all([member, mod, owner].map((c) => c.flushOutbox(10_000)));
    await sleep(2_100);
    await memberGroup.send('after the interval');
    await member.flushOutbox(10_000);
    await waitForText(ownerGroup, 'after the interval');
    await waitForText(ownerGroup, 'moderator two');
    await waitForText(memberGroup, 'owner two');
    expect((await textsOf(ownerGroup)).sort()).toStrictEqual(
      [
        'first',
        'moderator one',
        'moderator two',
        'owner one',
        'owner two',
        'after the interval',
      ].sort(),
    );
    expect(await textsOf(ownerGroup)).not.toContain('too soon');
  }, 60_000);
});

describe('pins, deletions, group info and the moderation log', () => {
  it('shows every member the moderator’s actions, with actor and reason', async () => {
    const [owner, mod, author, reader] = await clients.addMany([
      'Owner',
      'Moderator Mo',
      'Author',
      'Reader',
    ]);
    if (!owner || !mod || !author || !reader) throw new Error('clients');
    const ownerGroup = await owner.createGroup({
      name: 'Before',
      description: 'the description stays',
      rules: 'old rules',
      pseudonym: 'Owner',
    });
    const link = await ownerGroup.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const [modGroup, authorGroup, readerGroup] = await joinEach(link, [mod, author, reader]);
    if (!modGroup || !authorGroup || !readerGroup) throw new Error('joins');
    await ownerGroup.promote(modGroup.persona, 'trusted');
    await authorGroup.send('a useful resource');
    await authorGroup.send('a harmful claim');
    await author.flushOutbox(10_000);
    const everyone = [ownerGroup, modGroup, authorGroup, readerGroup];
    for (const group of everyone) await waitForText(group, 'a harmful claim');

    const pinnedId = await messageIdOf(modGroup, 'a useful resource');
    const deletedId = await messageIdOf(modGroup, 'a harmful claim');
    await modGroup.pin(pinnedId, 'worth keeping');
    await modGroup.deleteMessage(deletedId, 'medical misinformation');
    await modGroup.setInfo({ name: 'After', rules: 'new rules' });
    await waitForLog(modGroup, everyone);

    for (const group of everyone) {
      const messages = await group.messages();
      const byId = (id: string) => messages.find((m) => toHex(m.messageId) === id);
      expect(byId(pinnedId), group.persona).toMatchObject({
        text: 'a useful resource',
        pinned: true,
        deleted: false,
      });
      expect(byId(deletedId), group.persona).toMatchObject({ text: '', deleted: true });
      const details = await group.details();
      expect(details).toMatchObject({
        name: 'After',
        description: 'the description stays',
        rules: 'new rules',
        pinned: [pinnedId],
      });
      const log = await group.log();
      expect(log.slice(-4), group.persona).toMatchObject([
        {
          action: 'promote',
          actor: ownerGroup.persona,
          actorPseudonym: 'Owner',
          target: modGroup.persona,
          targetPseudonym: 'Moderator Mo',
          reason: 'trusted',
        },
        {
          action: 'pin',
          actor: modGroup.persona,
          actorPseudonym: 'Moderator Mo',
          detail: pinnedId,
          reason: 'worth keeping',
        },
        {
          action: 'deleteMessage',
          actor: modGroup.persona,
          actorPseudonym: 'Moderator Mo',
          detail: deletedId,
          reason: 'medical misinformation',
        },
        { action: 'setInfo', actor: modGroup.persona, actorPseudonym: 'Moderator Mo' },
      ]);
    }
  }, 60_000);
});

describe('reports', () => {
  it('reach every moderator, and only moderators, with the message and its context', async () => {
    const [owner, mod, reporter, author, bystander] = await clients.addMany([
      'Owner',
      'Moderator',
      'Reporter',
      'Author',
      'Bystander',
    ]);
    if (!owner || !mod || !reporter || !author || !bystander) throw new Error('clients');
    const ownerGroup = await owner.createGroup({ name: 'Reports', description: '', rules: '' });
    const link = await ownerGroup.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const [modGroup, reporterGroup, authorGroup, bystanderGroup] = await joinEach(link, [
      mod,
      reporter,
      author,
      bystander,
    ]);
    if (!modGroup || !reporterGroup || !authorGroup || !bystanderGroup) throw new Error('joins');
    await ownerGroup.promote(modGroup.persona);
    await waitForLog(ownerGroup, [modGroup, reporterGroup, authorGroup, bystanderGroup]);

    for (const text of ['context one', 'context two', 'context three', 'context four']) {
      await reporterGroup.send(text);
    }
    await reporter.flushOutbox(10_000);
    await waitForText(authorGroup, 'context four');
    await authorGroup.send('you are all fakers');
    await author.flushOutbox(10_000);
    await waitForText(reporterGroup, 'you are all fakers');
    const reportedId = await messageIdOf(reporterGroup, 'you are all fakers');
    expect(await reporterGroup.report(reportedId, 'harassment')).toBe(2);
    await reporter.flushOutbox(10_000);

    for (const group of [ownerGroup, modGroup]) {
      await waitFor(async () => (await group.reports()).length === 1, 10_000, 'the report');
      const [report] = await group.reports();
      expect(report).toMatchObject({
        reporter: reporterGroup.persona,
        author: authorGroup.persona,
        text: 'you are all fakers',
        check: 'matches',
        reason: 'harassment',
        context: [
          { author: reporterGroup.persona, text: 'context two', check: 'matches' },
          { author: reporterGroup.persona, text: 'context three', check: 'matches' },
          { author: reporterGroup.persona, text: 'context four', check: 'matches' },
        ],
      });
      expect(report?.claimed).toBeUndefined();
      expect(toHex(report?.messageId ?? new Uint8Array(0))).toBe(reportedId);
    }
    await Promise.all(
      [reporter, author, bystander].map((client) => client.whenInboxQuiet(300, 5_000)),
    );
    for (const group of [reporterGroup, authorGroup, bystanderGroup]) {
      expect(await group.reports(), group.persona).toStrictEqual([]);
    }
  }, 60_000);
});

describe('forged reports', () => {
  it('show the moderator its own copy of the message, flagged, never the forged words', async () => {
    const [owner, reporter, author] = await clients.addMany(['Owner', 'Forger', 'Author']);
    if (!owner || !reporter || !author) throw new Error('clients');
    const ownerGroup = await owner.createGroup({ name: 'Forged', description: '', rules: '' });
    const link = await ownerGroup.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const [reporterGroup, authorGroup] = await joinEach(link, [reporter, author]);
    if (!reporterGroup || !authorGroup) throw new Error('joins');
    await waitForLog(ownerGroup, [reporterGroup, authorGroup]);
    await authorGroup.send('see you all on thursday');
    await authorGroup.send('bring the leaflets');
    await author.flushOutbox(10_000);
    await waitForText(reporterGroup, 'bring the leaflets');
    await waitForText(ownerGroup, 'bring the leaflets');
    const contextId = fromHex(await messageIdOf(reporterGroup, 'see you all on thursday'));
    const reportedId = fromHex(await messageIdOf(reporterGroup, 'bring the leaflets'));
    if (contextId === undefined || reportedId === undefined) throw new Error('ids');

    // A modified reporter: its report puts words in the author's mouth (a real id, other
    // text), and a second one quotes a message that was never posted at all.
    const home = clients.home(reporter);
    const reporterAddress = reporterGroup.persona;
    const groupId = groupIdOf(ownerGroup);
    await clients.close(reporter);
    const vault = await Vault.open(home, PASSPHRASE);
    try {
      const directory = new PersonaDirectory(vault);
      const state = new PersonaState(
        await directory.get(reporterAddress),
        directory.dataFor(reporterAddress),
      );
      await state.transact(async () => {
        await queueDirect(state, ownerGroup.persona, {
          case: 'report',
          value: {
            groupId,
            messageId: reportedId,
            author: authorGroup.persona,
            text: 'I know where you live and I will come for you',
            context: [
              {
                messageId: contextId,
                author: authorGroup.persona,
                text: 'you all deserve your illness',
                sentAt: 1n,
              },
            ],
            reason: 'threats',
          },
        });
        await queueDirect(state, ownerGroup.persona, {
          case: 'report',
          value: {
            groupId,
            messageId: new Uint8Array(randomBytes(16)),
            author: authorGroup.persona,
            text: 'a message nobody ever posted',
            context: [],
            reason: 'threats',
          },
        });
      });
      await state.store.flush();
    } finally {
      await vault.lock();
    }
    const forger = await clients.reopen(reporter);
    await forger.flushOutbox(10_000);

    await waitFor(async () => (await ownerGroup.reports()).length === 2, 10_000, 'the reports');
    const [misquoted, invented] = await ownerGroup.reports();
    expect(misquoted).toMatchObject({
      reporter: reporterAddress,
      author: authorGroup.persona,
      text: 'bring the leaflets',
      check: 'differs',
      claimed: {
        author: authorGroup.persona,
        text: 'I know where you live and I will come for you',
      },
      context: [
        {
          author: authorGroup.persona,
          text: 'see you all on thursday',
          check: 'differs',
          claimed: { author: authorGroup.persona, text: 'you all deserve your illness' },
        },
      ],
    });
    expect(invented).toMatchObject({
      text: 'a message nobody ever posted',
      check: 'unknown',
      context: [],
    });
    expect(invented?.claimed).toBeUndefined();
  }, 60_000);
});

describe('leaving', () => {
  it('lets a member leave, and not the owner', async () => {
    const [owner, leaver, stayer] = await clients.addMany(['Owner', 'Leaver', 'Stayer']);
    if (!owner || !leaver || !stayer) throw new Error('clients');
    const ownerGroup = await owner.createGroup({ name: 'Leaving', description: '', rules: '' });
    const link = await ownerGroup.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
    const [leaverGroup, stayerGroup] = await joinEach(link, [leaver, stayer]);
    if (!leaverGroup || !stayerGroup) throw new Error('joins');
    await waitForLog(ownerGroup, [stayerGroup]);

    await leaverGroup.leave();
    expect((await leaverGroup.details()).status).toBe('left');
    await expect(leaverGroup.send('one more thing')).rejects.toMatchObject({
      code: CoreErrorCode.GroupNotMember,
    });
    await waitFor(
      async () => (await stayerGroup.members()).length === 2,
      10_000,
      'the others to see the leave',
    );
    expect((await stayerGroup.log()).at(-1)).toMatchObject({
      action: 'leave',
      actor: leaverGroup.persona,
    });
    await expect(ownerGroup.leave()).rejects.toMatchObject({
      code: CoreErrorCode.GroupForbidden,
    });
    expect((await ownerGroup.details()).role).toBe('owner');
    // The relay refuses it too, signed by hand with the owner's key.
    const keys = groupKeysOf(link);
    await clients.close(owner);
    const ownerKeys = await personaFromVault(clients.home(owner), ownerGroup.persona);
    const state = await fetchGroupState(relay.url, keys);
    await expect(
      submitOperation(
        relay.url,
        signGroupOperation(ownerKeys, {
          groupId: keys.groupId,
          state,
          action: { case: 'leave', value: {} },
        }),
      ),
    ).rejects.toMatchObject({ relayCode: RelayErrorCode.GroupForbidden });
    expect((await fetchGroupState(relay.url, keys)).members.get(ownerKeys.address)?.role).toBe(
      'owner',
    );
  }, 60_000);
});
