/**
 * Group secret epochs through real clients and a real relay (issue 10 §1): a banned member keeps
 * none of the group's future, whatever links and keys it kept; a member who joins after a rotation
 * reads the group as members always have; a rotation racing with posts loses none; and a leave is
 * followed by a rotation with no moderator online.
 */
import { Level } from 'level';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupHandle, GroupSecret } from '../../core/client/index.js';
import {
  GroupSecret as Secret,
  RelayConnection,
  RelayErrorCode,
  decodeGroupOperation,
  parseGroupInviteLink,
} from '../../core/client/index.js';
import {
  openAnyMemberProfile,
  openGroupEnvelope,
  openGroupInfo,
  openReason,
} from '../../core/client/groups/groupCodec.js';
import { epochContext } from '../../core/client/groups/GroupKeys.js';
import type { RunningRelay } from '../../server/index.js';
import { STORE_FOLDER } from '../../server/index.js';
import {
  GroupTestClients,
  epochSecretsFromVault,
  messageIdOf,
  sleep,
  textsOf,
} from './groupHelpers.js';
import { TempDirs, startTestRelay, waitFor } from './helpers.js';

const dirs = new TempDirs();
let relay: RunningRelay & { dataDir: string };
const HOUR = 3_600_000;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
});

afterAll(async () => {
  await relay.close();
  await dirs.cleanup();
});

/** Every operation an anonymous connection gets for `logKey`, or the relay's refusal code. */
async function fetchAll(groupId: Uint8Array, logKey: Uint8Array): Promise<Uint8Array[] | string> {
  const connection = await RelayConnection.open({ url: relay.url });
  try {
    const operations: Uint8Array[] = [];
    for (;;) {
      const page = await connection.request(
        {
          case: 'fetchGroupLog',
          value: { groupId, logKey, fromSequence: BigInt(operations.length) },
        },
        'groupLogPage',
      );
      operations.push(...page.operations);
      if (page.operations.length === 0 || operations.length >= Number(page.logLength)) {
        return operations;
      }
    }
  } catch (error) {
    const code = (error as { relayCode?: string }).relayCode;
    if (code === undefined) throw error;
    return code;
  } finally {
    connection.close();
  }
}

/** Whatever of `sealed` any of `secrets` opens, as the purpose it was sealed for. */
async function opensAny(
  secrets: readonly GroupSecret[],
  groupId: Uint8Array,
  operation: ReturnType<typeof decodeGroupOperation>,
): Promise<string[]> {
  const opened: string[] = [];
  for (const secret of secrets) {
    if ((await openReason(secret, groupId, operation.sealedReason)) !== '') opened.push('reason');
    const action = operation.action;
    if (action.case === 'setInfo') {
      const info = await openGroupInfo(secret, groupId, action.value.sealedInfo).catch(() => null);
      if (info !== null) opened.push('info');
    }
    if (action.case === 'invite' && action.value.sealedWelcome.length > 0) {
      const welcome = await openGroupInfo(secret, groupId, action.value.sealedWelcome).catch(
        () => null,
      );
      if (welcome !== null) opened.push('welcome');
    }
    if (action.case === 'join') {
      const profile = await openAnyMemberProfile(
        [secret],
        groupId,
        operation.actor,
        action.value.sealedProfile,
      ).catch(() => null);
      if (profile !== null) opened.push('profile');
    }
    if (action.case === 'rotateEpoch') {
      const previous = await secret
        .open('epoch', action.value.sealedPreviousSecret, epochContext(groupId, 0))
        .catch(() => null);
      if (previous !== null) opened.push('previous secret');
    }
  }
  return opened;
}

describe('a banned member, with every link and key it ever held', () => {
  it('fetches and opens nothing written after its ban; a member who joins later reads all', async () => {
    const pool = new GroupTestClients(dirs, relay.url);
    try {
      const owner = await pool.add('Olive');
      const [ana, bo, carol] = await pool.addMany(['Ana', 'Bo', 'Carol']);
      if (!ana || !bo || !carol) throw new Error('clients');
      const group = await owner.createGroup({
        name: 'Rare circle',
        description: '',
        rules: '',
        pseudonym: 'Olive',
      });
      const expiresSoon = Date.now() + 4000;
      const shared = await group.invite({ maxUses: 10, expiresAt: Date.now() + HOUR });
      const single = await group.invite({ maxUses: 1, expiresAt: Date.now() + HOUR });
      const brief = await group.invite({ maxUses: 10, expiresAt: expiresSoon });
      const other = await group.invite({ maxUses: 10, expiresAt: Date.now() + HOUR });
      const anaGroup = await ana.joinGroup(single, { pseudonym: 'Ana' });
      const boGroup = await bo.joinGroup(shared, { pseudonym: 'Bo' });
      const groupId = parseGroupInviteLink(shared).groupId;
      await waitFor(async () => (await boGroup.members()).length === 3, 10_000, 'bo sees all');
      await anaGroup.send('before the ban');
      await ana.flushOutbox(10_000);
      await waitFor(
        async () => (await textsOf(boGroup)).includes('before the ban'),
        10_000,
        'bo reads',
      );

      // The ban; the owner's client starts the next epoch at once.
      await group.ban(boGroup.persona, 'spam');
      expect((await group.details()).epoch).toBe(1);
      const banAt = (await group.log()).findIndex((entry) => entry.action === 'ban');
      // Written after the ban: new info, a new member, a reason, messages.
      await group.setInfo({ name: 'Thursdays at St James’s, room 4' });
      await sleep(Math.max(0, expiresSoon - Date.now() + 200));
      const carolGroup = await carol.joinGroup(other, { pseudonym: 'Carol' });
      await waitFor(
        async () => !(await carolGroup.details()).waitingForKey,
        15_000,
        'carol gets the group key',
      );
      await group.mute(carolGroup.persona, Date.now() + HOUR, 'a reason after the ban');
      await group.mute(carolGroup.persona, 0);
      await anaGroup.send('after the ban, from ana');
      await group.send('after the ban, from the owner');
      await Promise.all([ana.flushOutbox(20_000), owner.flushOutbox(20_000)]);
      await waitFor(
        async () => (await textsOf(carolGroup)).includes('after the ban, from the owner'),
        15_000,
        'carol reads',
      );

      // What the new member sees: the group as it is, everyone named, the history it may read.
      const details = await carolGroup.details();
      expect(details).toMatchObject({ name: 'Thursdays at St James’s, room 4', epoch: 1 });
      expect((await carolGroup.members()).map((member) => member.pseudonym).sort()).toStrictEqual([
        'Ana',
        'Carol',
        'Olive',
      ]);
      const carolLog = await carolGroup.log();
      // The ban's reason was sealed under epoch 0: the new member walked back to it.
      expect(carolLog.find((entry) => entry.action === 'ban')).toMatchObject({
        reason: 'spam',
        targetPseudonym: 'Bo',
      });
      expect(carolLog.find((entry) => entry.reason === 'a reason after the ban')).toBeDefined();

      // Everything Bo held: its epoch secret (from its vault), and every link's key.
      const boAddress = boGroup.persona;
      await pool.close(bo);
      const boSecrets = await epochSecretsFromVault(pool.home(bo), boAddress, groupId);
      expect(boSecrets).toHaveLength(1);
      const inviteSecrets = [shared, single, brief, other].map((link) =>
        Secret.forInvite(parseGroupInviteLink(link, 0).invitePrivateKey),
      );
      const [sharedSecret, singleSecret, briefSecret, otherSecret] = inviteSecrets;
      if (!sharedSecret || !singleSecret || !briefSecret || !otherSecret) throw new Error('keys');
      const everything = [...boSecrets, ...inviteSecrets];

      // The old epoch's log key: the log up to the rotation that followed the ban, no further.
      const epoch0 = boSecrets[0];
      if (epoch0 === undefined) throw new Error('no epoch 0 secret');
      const old = await fetchAll(groupId, epoch0.logKey());
      if (typeof old === 'string') throw new Error(`refused: ${old}`);
      expect(old.length).toBe(banAt + 2);
      expect(decodeGroupOperation(old.at(-1) ?? new Uint8Array(0)).action.case).toBe('rotateEpoch');
      // The link it joined with (revoked by the ban), a used-up one, an expired one: nothing.
      expect(await fetchAll(groupId, sharedSecret.logKey())).toBe(RelayErrorCode.GroupLogKey);
      expect(await fetchAll(groupId, singleSecret.logKey())).toBe(RelayErrorCode.GroupLogKey);
      expect(await fetchAll(groupId, briefSecret.logKey())).toBe(RelayErrorCode.GroupLogKey);
      // A link still live for others reads the log, but opens nothing written after the ban.
      const whole = await fetchAll(groupId, otherSecret.logKey());
      if (typeof whole === 'string') throw new Error(`refused: ${whole}`);
      expect(whole.length).toBeGreaterThan(banAt + 5);
      const openedAfter: string[] = [];
      for (const signed of whole.slice(banAt + 1)) {
        openedAfter.push(...(await opensAny(everything, groupId, decodeGroupOperation(signed))));
      }
      expect(openedAfter).toStrictEqual([]);
      // Positive control: before the ban, the same keys open what they should.
      const openedBefore: string[] = [];
      for (const signed of whole.slice(0, banAt)) {
        openedBefore.push(...(await opensAny(everything, groupId, decodeGroupOperation(signed))));
      }
      expect(openedBefore).toContain('welcome');

      // Messages: every value the relay stored, opened with every key Bo has, and with the
      // owner's (the control): only the messages from before the ban open for Bo.
      const ownerAddress = group.persona;
      await pool.closeAll();
      const ownerSecrets = await epochSecretsFromVault(pool.home(owner), ownerAddress, groupId);
      expect(ownerSecrets).toHaveLength(2);
      await relay.close();
      const db = new Level<string, Uint8Array>(path.join(relay.dataDir, STORE_FOLDER), {
        valueEncoding: 'view',
      });
      const forBo: string[] = [];
      const forOwner: string[] = [];
      try {
        for await (const value of db.values()) {
          for (let offset = 0; offset < 32 && offset < value.length; offset++) {
            const bytes = value.subarray(offset);
            const tryWith = async (
              secrets: readonly GroupSecret[],
            ): Promise<string | undefined> => {
              for (const secret of secrets) {
                try {
                  return (await openGroupEnvelope(secret, groupId, bytes)).sender;
                } catch {
                  // Not this epoch, or not an envelope at this offset.
                }
              }
              return undefined;
            };
            const owners = await tryWith(ownerSecrets);
            if (owners === undefined) continue;
            forOwner.push(owners);
            const bos = await tryWith(everything);
            if (bos !== undefined) forBo.push(bos);
            break;
          }
        }
      } finally {
        await db.close();
      }
      expect(forOwner.length).toBeGreaterThanOrEqual(forBo.length + 2);
      expect(forBo.length).toBeLessThanOrEqual(1);
    } finally {
      await pool.closeAll();
      relay = await startTestRelay(dirs);
    }
  }, 120_000);
});

describe('a rotation racing with posts', () => {
  it('loses nothing: every post, before and after, from several members, arrives once', async () => {
    const pool = new GroupTestClients(dirs, relay.url);
    try {
      const owner = await pool.add('Olive');
      const [ana, bo, dan] = await pool.addMany(['Ana', 'Bo', 'Dan']);
      if (!ana || !bo || !dan) throw new Error('clients');
      const group = await owner.createGroup({ name: 'Race', description: '', rules: '' });
      const link = await group.invite({ maxUses: 10, expiresAt: Date.now() + HOUR });
      const anaGroup = await ana.joinGroup(link);
      const boGroup = await bo.joinGroup(link);
      const danGroup = await dan.joinGroup(link);
      await waitFor(async () => (await danGroup.members()).length === 4, 10_000, 'everyone');
      await waitFor(
        async () => !(await danGroup.details()).waitingForKey,
        10_000,
        'dan gets the key',
      );
      const sent: string[] = [];
      const writer = async (handle: GroupHandle, name: string): Promise<void> => {
        for (let i = 0; i < 6; i++) {
          const text = `${name} ${i}`;
          sent.push(text);
          await handle.send(text);
          await sleep(30);
        }
      };
      await Promise.all([
        writer(anaGroup, 'ana'),
        writer(danGroup, 'dan'),
        writer(group, 'olive'),
        (async () => {
          await sleep(60);
          await group.remove(boGroup.persona, 'racing');
        })(),
      ]);
      await Promise.all([
        ana.flushOutbox(30_000),
        dan.flushOutbox(30_000),
        owner.flushOutbox(30_000),
      ]);
      for (const [name, handle] of [
        ['olive', group],
        ['ana', anaGroup],
        ['dan', danGroup],
      ] as const) {
        await waitFor(
          async () => (await textsOf(handle)).length === sent.length,
          30_000,
          `${name} reads every post`,
        );
        const texts = await textsOf(handle);
        expect([...texts].sort(), name).toStrictEqual([...sent].sort());
        expect(new Set(texts).size).toBe(texts.length);
      }
      expect((await group.details()).epoch).toBe(1);
      // Bo, removed mid-race, has none of the posts the new epoch carried.
      expect(await messageIdOf(group, 'olive 5')).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      await pool.closeAll();
    }
  }, 120_000);
});

describe('a leave with no moderator online', () => {
  it('is followed by a rotation the remaining members make, and talk goes on', async () => {
    const pool = new GroupTestClients(dirs, relay.url);
    try {
      const owner = await pool.add('Olive');
      const [ana, bo, cy] = await pool.addMany(['Ana', 'Bo', 'Cy']);
      if (!ana || !bo || !cy) throw new Error('clients');
      const group = await owner.createGroup({ name: 'Night owls', description: '', rules: '' });
      const link = await group.invite({ maxUses: 10, expiresAt: Date.now() + HOUR });
      const anaGroup = await ana.joinGroup(link);
      const boGroup = await bo.joinGroup(link);
      const cyGroup = await cy.joinGroup(link);
      for (const handle of [anaGroup, boGroup, cyGroup]) {
        await waitFor(async () => !(await handle.details()).waitingForKey, 10_000, 'the key');
      }
      await pool.close(owner);

      await boGroup.leave();
      for (const handle of [anaGroup, cyGroup]) {
        await waitFor(
          async () => {
            const details = await handle.details();
            return details.epoch === 1 && !details.waitingForKey;
          },
          20_000,
          'a plain member rotates, and the other gets the new key',
        );
      }
      const rotations = (await anaGroup.log()).filter((entry) => entry.action === 'rotateEpoch');
      expect(rotations).toHaveLength(1);
      expect([anaGroup.persona, cyGroup.persona]).toContain(rotations[0]?.actor);
      await anaGroup.send('still here');
      await ana.flushOutbox(20_000);
      await waitFor(
        async () => (await textsOf(cyGroup)).includes('still here'),
        20_000,
        'cy reads',
      );
    } finally {
      await pool.closeAll();
    }
  }, 120_000);
});
