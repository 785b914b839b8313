import { Level } from 'level';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupHandle, GroupWarning, KindredClient } from '../../core/client/index.js';
import {
  CoreError,
  CoreErrorCode,
  GROUP_RULES,
  GroupSecret,
  RelayConnection,
  decodeGroupOperation,
  parseGroupInviteLink,
  signGroupOperation,
} from '../../core/client/index.js';
import { readClientProfile } from '../../core/client/ClientProfile.js';
import { PersonaState } from '../../core/client/PersonaState.js';
import {
  distributionIdFor,
  encodeGroupEnvelope,
  openGroupEnvelope,
} from '../../core/client/groups/groupCodec.js';
import { PersonaDirectory } from '../../core/persona/PersonaDirectory.js';
import { Vault } from '../../core/vault/Vault.js';
import { RelayProxy } from './RelayProxy.js';
import { epochSecretsFromVault } from './groupHelpers.js';
import type { RunningRelay } from '../../server/index.js';
import { STORE_FOLDER } from '../../server/index.js';
import {
  PASSPHRASE,
  TEST_CLIENT_OPTIONS,
  TempDirs,
  newClient,
  startTestRelay,
  waitFor,
} from './helpers.js';

const dirs = new TempDirs();
const clients: KindredClient[] = [];
const relays: RunningRelay[] = [];

async function client(relay: RunningRelay, name: string, home?: string): Promise<KindredClient> {
  const made = await newClient(dirs, relay.url, name, home === undefined ? {} : { home });
  clients.push(made);
  await made.start({ receive: true });
  return made;
}

async function texts(group: GroupHandle): Promise<string[]> {
  return (await group.messages()).map((message) => message.text);
}

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await Promise.all(relays.map((r) => r.close()));
  await dirs.cleanup();
});

describe('a removed member, handed everything the relay stores', () => {
  let relay: RunningRelay & { dataDir: string };
  beforeAll(async () => {
    relay = await startTestRelay(dirs);
    relays.push(relay);
  });

  // Without the rotation the removed member's chain would open later messages: disabling
  // rotateSenderKey in GroupSession makes this test fail.
  it('decrypts nothing sent after its removal', async () => {
    const ownerHome = await dirs.make('olive');
    const owner = await client(relay, 'Olive', ownerHome);
    const ana = await client(relay, 'Ana');
    const boHome = await dirs.make('bo');
    const bo = await client(relay, 'Bo', boHome);
    const cy = await client(relay, 'Cy');
    const group = await owner.createGroup({ name: 'circle', description: '', rules: '' });
    const link = await group.invite({ maxUses: 10, expiresAt: Date.now() + 3_600_000 });
    const anaGroup = await ana.joinGroup(link);
    const boGroup = await bo.joinGroup(link);
    const cyGroup = await cy.joinGroup(link);
    await waitFor(async () => (await group.members()).length === 4, 10_000, 'members');

    await anaGroup.send('before the removal');
    await ana.flushOutbox(10_000);
    await waitFor(
      async () => (await texts(boGroup)).includes('before the removal'),
      10_000,
      'bo reads',
    );
    await waitFor(
      async () => (await texts(cyGroup)).includes('before the removal'),
      10_000,
      'cy reads',
    );

    await group.remove(boGroup.persona, 'off topic');
    await waitFor(async () => (await anaGroup.members()).length === 3, 10_000, 'ana sees it');
    await anaGroup.send('after the removal, from ana');
    await group.send('after the removal, from the owner');
    await ana.flushOutbox(10_000);
    await owner.flushOutbox(10_000);
    await waitFor(
      async () => (await texts(anaGroup)).includes('after the removal, from the owner'),
      10_000,
      'ana reads the owner',
    );
    await bo.close();
    await relay.close();

    // Every value in the relay's LevelDB that opens as a group envelope of this group, with every
    // epoch's secret (the removed member holds only the first: this test hands it all of them).
    const groupId = parseGroupInviteLink(link).groupId;
    const ownerAddress = group.persona;
    await owner.close();
    const secrets = await epochSecretsFromVault(ownerHome, ownerAddress, groupId);
    expect(secrets.length).toBe(2);
    const db = new Level<string, Uint8Array>(path.join(relay.dataDir, STORE_FOLDER), {
      valueEncoding: 'view',
    });
    const envelopes: { sender: string; ciphertext: Uint8Array }[] = [];
    for await (const value of db.values()) {
      // Whatever framing the store puts around a stored envelope, try each place it may start.
      opening: for (let offset = 0; offset < 32 && offset < value.length; offset++) {
        for (const secret of secrets) {
          try {
            envelopes.push(await openGroupEnvelope(secret, groupId, value.subarray(offset)));
            break opening;
          } catch {
            // Not a group message of this group at this offset, under this epoch.
          }
        }
      }
    }
    await db.close();
    // The two sent after the removal at least (the first may be pruned once everyone had it).
    expect(envelopes.length).toBeGreaterThanOrEqual(2);

    const decryptAll = async (home: string, address: string): Promise<string[]> => {
      const vault = await Vault.open(home, PASSPHRASE);
      try {
        const directory = new PersonaDirectory(vault);
        const state = new PersonaState(await directory.get(address), directory.dataFor(address));
        const opened: string[] = [];
        for (const envelope of envelopes) {
          try {
            const plaintext = await state.transact(() =>
              state.cipher.groupDecrypt(envelope.sender, envelope.ciphertext),
            );
            opened.push(new TextDecoder().decode(plaintext));
          } catch (error) {
            expect(CoreError.is(error)).toBe(true);
          }
        }
        return opened;
      } finally {
        await vault.lock();
      }
    };
    const boOpened = await decryptAll(boHome, boGroup.persona);
    expect(boOpened.some((text) => text.includes('after the removal'))).toBe(false);
  }, 60_000);
});

describe('a malicious relay that accepts anything', () => {
  let relay: RunningRelay & { dataDir: string };
  beforeAll(async () => {
    relay = await startTestRelay(dirs, {
      // The seam the relay offers tests: rules that let every operation and post through while
      // still moving the log head on, so the chain continues past a forged operation.
      groupRules: {
        apply: (state, signed, context) => {
          try {
            return GROUP_RULES.apply(state, signed, context);
          } catch (error) {
            if (state === undefined) throw error;
            const operation = decodeGroupOperation(signed);
            return {
              state: { ...state, length: state.length + 1, head: operation.hash },
              operation,
              hash: operation.hash,
            };
          }
        },
        checkPost: () => undefined,
        slowModeWaitMs: () => 0,
      },
    });
    relays.push(relay);
  });

  it('every client refuses forged operations and ghost members, and warns', async () => {
    const owner = await client(relay, 'Olive');
    const ana = await client(relay, 'Ana');
    const malloryHome = await dirs.make('mallory');
    const mallory = await client(relay, 'Mallory', malloryHome);
    const eveHome = await dirs.make('eve');
    const eve = await client(relay, 'Eve', eveHome);
    const group = await owner.createGroup({ name: 'circle', description: '', rules: '' });
    const link = await group.invite({ maxUses: 10, expiresAt: Date.now() + 3_600_000 });
    const anaGroup = await ana.joinGroup(link);
    const malloryGroup = await mallory.joinGroup(link);
    await waitFor(async () => (await group.members()).length === 3, 10_000, 'members');
    const ownerWarnings: GroupWarning[] = [];
    owner.on('groupWarning', ({ warning }) => ownerWarnings.push(warning));
    const kinds = async (handle: GroupHandle): Promise<string[]> =>
      (await handle.warnings()).map((warning) => warning.kind);

    // Mallory, a plain member, removes the owner. Her client refuses, so she signs it by hand.
    await expect(malloryGroup.remove(group.persona)).rejects.toMatchObject({
      code: CoreErrorCode.GroupForbidden,
    });
    await mallory.close();
    await asPersona(malloryHome, malloryGroup.persona, async (state, connection) => {
      const current = await state.transact(() => state.groups.requireState(groupId(link)));
      const forged = signGroupOperation(state.persona, {
        groupId: groupId(link),
        state: current,
        action: { case: 'remove', value: { member: group.persona } },
      });
      await connection.request(
        { case: 'submitGroupOperation', value: { operation: forged } },
        'groupAppended',
      );
    });
    await waitFor(async () => (await kinds(anaGroup)).includes('forged-operation'), 10_000, 'ana');
    await waitFor(async () => (await kinds(group)).includes('forged-operation'), 10_000, 'owner');
    expect(ownerWarnings.some((warning) => warning.kind === 'forged-operation')).toBe(true);
    expect((await anaGroup.members()).map((member) => member.address)).toContain(group.persona);
    expect((await anaGroup.log()).map((entry) => entry.action)).not.toContain('remove');

    // Eve never joined: the relay lets her post anyway. Members refuse a sender not in the log.
    const eveAddress = eve.address;
    await eve.close();
    await asPersona(eveHome, eveAddress, async (state, connection) => {
      // Eve holds an invite link, never the group secret: she seals with a secret of her own,
      // and reads the log length with the link's read key.
      const secret = GroupSecret.generate();
      const readKey = GroupSecret.forInvite(parseGroupInviteLink(link).invitePrivateKey).logKey();
      // Creating a distribution sets up Eve's sender key; nobody ever receives it.
      await state.transact(() =>
        state.cipher.createSenderKeyDistribution(distributionIdFor(groupId(link))),
      );
      const ciphertext = await state.transact(() =>
        state.cipher.groupEncrypt(distributionIdFor(groupId(link)), new Uint8Array([1, 2, 3])),
      );
      const envelope = await encodeGroupEnvelope(secret, groupId(link), eveAddress, ciphertext);
      const page = await connection.request(
        {
          case: 'fetchGroupLog',
          value: { groupId: groupId(link), logKey: readKey, fromSequence: 0n },
        },
        'groupLogPage',
      );
      await connection.request(
        {
          case: 'postGroupMessage',
          value: { groupId: groupId(link), logLength: page.logLength, envelope },
        },
        'groupAppended',
      );
    });
    await waitFor(async () => (await kinds(anaGroup)).includes('ghost-member'), 10_000, 'ana');
    await waitFor(async () => (await kinds(group)).includes('ghost-member'), 10_000, 'owner');
    expect((await anaGroup.messages()).map((message) => message.sender)).not.toContain(eveAddress);
  }, 60_000);
});

describe('a relay that withholds an operation from one member', () => {
  let relay: RunningRelay;
  let proxy: RelayProxy;
  beforeAll(async () => {
    relay = await startTestRelay(dirs);
    relays.push(relay);
    proxy = await RelayProxy.start(relay.url);
  });
  afterAll(async () => {
    await proxy.close();
  });

  it('is noticed through the log length inside a member’s message', async () => {
    const owner = await client(relay, 'Olive');
    const ana = await client(relay, 'Ana');
    // Dana reaches the relay through the proxy, which hides every `setInfo` operation from her:
    // in the live stream and in log pages, whose length it shortens to match.
    const dana = await newClient(dirs, proxy.url, 'Dana');
    clients.push(dana);
    await dana.start({ receive: true });
    let hiding = false;
    proxy.rewriteServerFrame = (frame) => {
      if (!hiding) return frame;
      const body = frame.body;
      if (body.case === 'groupDeliver' && body.value.entry.case === 'operation') {
        if (decodeGroupOperation(body.value.entry.value).action.case === 'setInfo') {
          return { ...frame, body: { case: 'pong', value: { $typeName: 'kindred.v1.Pong' } } };
        }
      }
      if (body.case === 'groupLogPage') {
        const shown = [];
        for (const operation of body.value.operations) {
          if (decodeGroupOperation(operation).action.case === 'setInfo') break;
          shown.push(operation);
        }
        const hidden = body.value.operations.length - shown.length;
        body.value.operations = shown;
        body.value.logLength -= BigInt(hidden);
      }
      return frame;
    };
    const group = await owner.createGroup({ name: 'circle', description: '', rules: '' });
    const link = await group.invite({ maxUses: 10, expiresAt: Date.now() + 3_600_000 });
    const anaGroup = await ana.joinGroup(link);
    const danaGroup = await dana.joinGroup(link);
    await waitFor(async () => (await danaGroup.members()).length === 3, 10_000, 'dana sees all');
    hiding = true;
    await group.setInfo({ rules: 'new rules' });
    await waitFor(async () => (await anaGroup.details()).rules === 'new rules', 10_000, 'ana');
    await anaGroup.send('I read the new rules');
    await ana.flushOutbox(10_000);
    await waitFor(
      async () => (await danaGroup.warnings()).some((w) => w.kind === 'withheld-operations'),
      10_000,
      'dana warns',
    );
    expect((await danaGroup.details()).rules).toBe('');
    expect(await anaGroup.warnings()).toEqual([]);
  }, 60_000);
});

function groupId(link: string): Uint8Array {
  return parseGroupInviteLink(link).groupId;
}

/** Runs `body` as a persona of a closed client's vault, on an authenticated raw connection. */
async function asPersona(
  home: string,
  address: string,
  body: (state: PersonaState, connection: RelayConnection) => Promise<void>,
): Promise<void> {
  const vault = await Vault.open(home, PASSPHRASE);
  let connection: RelayConnection | undefined;
  try {
    const directory = new PersonaDirectory(vault);
    const state = new PersonaState(await directory.get(address), directory.dataFor(address));
    const profile = await state.transact(() => readClientProfile(state.store));
    connection = await RelayConnection.open({ url: profile.relayUrl, ...TEST_CLIENT_OPTIONS });
    await connection.authenticate(state.persona);
    await body(state, connection);
  } finally {
    connection?.close();
    await vault.lock();
  }
}
