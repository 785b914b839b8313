// Backup → both sides keep chatting (1:1 and in a group) → restore on a new home → the restored
// client renews its sessions and sender keys, "secure session renewed" shows on both sides, and
// both sides send and receive again, 1:1 and in the group. Real relay, real vault folders.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GroupHandle, HistoryEntry, KindredClient } from '../../core/client/index.js';
import { KindredClient as Client, restoreVaultBackup } from '../../core/client/index.js';
import {
  PASSPHRASE,
  TEST_CLIENT_OPTIONS,
  connectPair,
  messagesOf,
  newClient,
  useTestRelay,
  waitFor,
} from './helpers.js';

const relay = useTestRelay();
const { dirs } = relay;
const NEW_PASSPHRASE = 'restored on a new laptop';

async function texts(group: GroupHandle): Promise<string[]> {
  return (await group.messages()).map((message) => message.text);
}

function notices(entries: readonly HistoryEntry[]): string[] {
  return entries.flatMap((entry) =>
    entry.kind === 'notice' ? [`${entry.notice}:${entry.direction}`] : [],
  );
}

async function chat(from: KindredClient, to: KindredClient, text: string): Promise<void> {
  await from.send(to.address, text);
  await from.flushOutbox(20_000);
  await waitFor(
    async () => messagesOf(await to.messages(from.address)).some((m) => m.text === text),
    20_000,
    `"${text}" to arrive`,
  );
}

async function post(
  from: GroupHandle,
  owner: KindredClient,
  to: GroupHandle,
  text: string,
): Promise<void> {
  await from.send(text);
  await owner.flushOutbox(20_000);
  await waitFor(async () => (await texts(to)).includes(text), 20_000, `"${text}" in the group`);
}

describe('session renewal after a restore', { timeout: 240_000 }, () => {
  const state = {
    alice: undefined as KindredClient | undefined,
    bob: undefined as KindredClient | undefined,
    restored: undefined as KindredClient | undefined,
    aliceGroup: undefined as GroupHandle | undefined,
    bobGroup: undefined as GroupHandle | undefined,
    restoredGroup: undefined as GroupHandle | undefined,
    file: '',
    key: '',
    home: '',
  };
  const need = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('an earlier step failed');
    return value;
  };

  it('backs up while chatting, then both sides keep chatting, 1:1 and in a group', async () => {
    const alice = await newClient(dirs, relay.url, 'Alice R');
    const bob = await newClient(dirs, relay.url, 'Bob R');
    relay.track(alice);
    relay.track(bob);
    state.alice = alice;
    state.bob = bob;
    await Promise.all([alice.start({ receive: true }), bob.start({ receive: true })]);
    await connectPair(alice, bob);
    await chat(alice, bob, 'before 1');
    await chat(bob, alice, 'before 2');
    const aliceGroup = await alice.createGroup({
      name: 'Renewal circle',
      description: '',
      rules: '',
    });
    const link = await aliceGroup.invite({ maxUses: 1, expiresAt: Date.now() + 3_600_000 });
    const bobGroup = await bob.joinGroup(link);
    state.aliceGroup = aliceGroup;
    state.bobGroup = bobGroup;
    await waitFor(async () => (await aliceGroup.members()).length === 2, 20_000, 'the join');
    await waitFor(async () => !(await bobGroup.details()).waitingForKey, 20_000, 'the group key');
    await post(aliceGroup, alice, bobGroup, 'group before 1');
    await post(bobGroup, bob, aliceGroup, 'group before 2');

    const root = await dirs.make('renewal');
    state.file = path.join(root, 'alice.backup');
    const result = await alice.backup(state.file, {
      passphrase: PASSPHRASE,
      protection: 'recovery-key',
    });
    state.key = result.recoveryKey ?? '';

    // Both ratchets and both sender-key chains move on past what the backup holds.
    for (let round = 1; round <= 3; round += 1) {
      await chat(alice, bob, `after backup from alice ${round}`);
      await chat(bob, alice, `after backup from bob ${round}`);
      await post(aliceGroup, alice, bobGroup, `group after alice ${round}`);
      await post(bobGroup, bob, aliceGroup, `group after bob ${round}`);
    }
    // The laptop is lost.
    await alice.close();
  });

  it('restores on a new home, which renews its sessions and shows it on both sides', async () => {
    const bob = need(state.bob);
    state.home = path.join(await dirs.make('renewal-home'), 'alice');
    await restoreVaultBackup({
      file: state.file,
      home: state.home,
      secret: state.key,
      passphrase: NEW_PASSPHRASE,
      kdf: 'insecure-fast',
    });
    const restored = await Client.open({
      home: state.home,
      passphrase: NEW_PASSPHRASE,
      ...TEST_CLIENT_OPTIONS,
    });
    relay.track(restored);
    state.restored = restored;
    await restored.start({ receive: true });
    await restored.flushOutbox(20_000);
    expect(notices(await restored.messages(bob.address))).toStrictEqual(['session-renewed:out']);
    await waitFor(
      async () => notices(await bob.messages(restored.address)).includes('session-renewed:in'),
      20_000,
      'bob to see the renewal',
    );
    state.restoredGroup = await restored.group('Renewal circle');
    // The restored vault has what was there at the backup.
    expect(messagesOf(await restored.messages(bob.address)).map((m) => m.text)).toContain(
      'before 2',
    );
    expect(await texts(state.restoredGroup)).toContain('group before 2');
  });

  it('continues 1:1: several messages each way after the restore', async () => {
    const restored = need(state.restored);
    const bob = need(state.bob);
    for (let round = 1; round <= 3; round += 1) {
      await chat(restored, bob, `restored to bob ${round}`);
      await chat(bob, restored, `bob to restored ${round}`);
    }
  });

  it('continues in the group: both post and both read', async () => {
    const restored = need(state.restored);
    const bob = need(state.bob);
    const restoredGroup = need(state.restoredGroup);
    const bobGroup = need(state.bobGroup);
    for (let round = 1; round <= 2; round += 1) {
      await post(restoredGroup, restored, bobGroup, `restored in group ${round}`);
      await post(bobGroup, bob, restoredGroup, `bob in group ${round}`);
    }
  });
});
