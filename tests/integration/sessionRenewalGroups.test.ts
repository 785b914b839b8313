// After a restore: the "secure session renewed" notice arrives as a live event on both sides, a
// group post written before the restored client's first start waits for the renewal, and a group
// secret rotated after the backup reaches the restored member again from a moderator. Real relay,
// real vault folders.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KindredClientEmits } from '../../core/client/index.js';
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

describe('session renewal: live notice, queued group posts, rotated group secrets', () => {
  it(
    'shows the renewal live, posts what waited, and hands the restored member the new secret',
    {
      timeout: 240_000,
    },
    async () => {
      const alice = await newClient(dirs, relay.url, 'Alice G');
      const bob = await newClient(dirs, relay.url, 'Bob G');
      relay.track(bob);
      await Promise.all([alice.start({ receive: true }), bob.start({ receive: true })]);
      await connectPair(alice, bob);
      // Bob owns the group (a moderator); Alice is a member.
      const bobGroup = await bob.createGroup({
        name: 'Rotation circle',
        description: '',
        rules: '',
      });
      const link = await bobGroup.invite({ maxUses: 1, expiresAt: Date.now() + 3_600_000 });
      const aliceGroup = await alice.joinGroup(link);
      await waitFor(async () => (await bobGroup.members()).length === 2, 20_000, 'the join');
      await waitFor(async () => !(await aliceGroup.details()).waitingForKey, 20_000, 'the key');

      const file = path.join(await dirs.make('renewal-groups'), 'alice.backup');
      const { recoveryKey } = await alice.backup(file, {
        passphrase: PASSPHRASE,
        protection: 'recovery-key',
      });
      const epochAtBackup = (await bobGroup.details()).epoch;

      // After the backup the group moves to a new epoch: its secret goes to Alice's old device only.
      await bobGroup.resetInvites();
      await bob.flushOutbox(20_000);
      await waitFor(
        async () => (await aliceGroup.details()).epoch === epochAtBackup + 1,
        20_000,
        'the old device to follow the rotation',
      );
      await bobGroup.send('after the rotation');
      await waitFor(
        async () => (await aliceGroup.messages()).some((m) => m.text === 'after the rotation'),
        20_000,
        'the old device to read the new epoch',
      );
      await alice.close();

      const bobSaw: KindredClientEmits['sessionRenewed'][] = [];
      bob.on('sessionRenewed', (event) => bobSaw.push(event));

      const home = path.join(await dirs.make('renewal-groups-home'), 'alice');
      await restoreVaultBackup({
        file,
        home,
        secret: recoveryKey ?? '',
        passphrase: 'a new laptop',
        kdf: 'insecure-fast',
      });
      const restored = await Client.open({
        home,
        passphrase: 'a new laptop',
        ...TEST_CLIENT_OPTIONS,
      });
      relay.track(restored);
      const restoredSaw: KindredClientEmits['sessionRenewed'][] = [];
      restored.on('sessionRenewed', (event) => restoredSaw.push(event));
      const restoredGroup = await restored.group('Rotation circle');
      // The vault holds the epoch of the backup only.
      expect((await restoredGroup.details()).epoch).toBe(epochAtBackup);
      // Written before the first start: it must not go out before the renewal.
      await restoredGroup.send('queued before the first start');
      await restored.start({ receive: true });

      await waitFor(() => restoredSaw.length > 0, 20_000, 'the restored side to see it');
      expect(restoredSaw.map((e) => [e.persona, e.contact.address, e.direction])).toStrictEqual([
        [restored.address, bob.address, 'out'],
      ]);
      await waitFor(() => bobSaw.length > 0, 20_000, 'bob to hear the renewal live');
      expect(bobSaw.map((e) => [e.persona, e.contact.address, e.direction])).toStrictEqual([
        [bob.address, restored.address, 'in'],
      ]);
      // Bob (a moderator) sent the current epoch's secret again: the restored member reads on.
      await waitFor(
        async () => (await restoredGroup.details()).epoch === epochAtBackup + 1,
        30_000,
        'the restored member to follow the log',
      );
      await waitFor(
        async () => !(await restoredGroup.details()).waitingForKey,
        30_000,
        'the rotated secret to reach the restored member',
      );
      await waitFor(
        async () =>
          (await bobGroup.messages()).some((m) => m.text === 'queued before the first start'),
        30_000,
        'the queued post to reach bob',
      );
      await bobGroup.send('after the restore');
      await waitFor(
        async () => (await restoredGroup.messages()).some((m) => m.text === 'after the restore'),
        30_000,
        'the restored member to read the new epoch',
      );
      await restored.send(bob.address, 'hello again');
      await restored.flushOutbox(20_000);
      await waitFor(
        async () =>
          messagesOf(await bob.messages(restored.address)).some((m) => m.text === 'hello again'),
        20_000,
        '1:1 after the restore',
      );
    },
  );
});
