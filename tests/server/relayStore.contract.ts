// The one compliance suite every RelayStore runs (STYLE.md rule 6). Each test opens a fresh,
// empty store and closes it afterwards.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { personaAddressFor } from '../../core/index.js';
import { GroupAppendConflictError } from '../../server/index.js';
import { blobRecordsContract } from './relayStoreBlobs.contract.js';
import { directoryRecordsContract } from './relayStoreDirectory.contract.js';
import type {
  NewGroupEntry,
  RelayStore,
  StoredGroupEntry,
  StoredPersona,
  StoredPreKeyUpload,
  StoredSignedPreKey,
} from '../../server/index.js';

export interface StoreHarness {
  /** A fresh, empty store. */
  open(): Promise<RelayStore>;
  /** Closes it (and deletes whatever it left behind). */
  dispose(store: RelayStore): Promise<void>;
}

export function bytes(length: number): Uint8Array {
  return new Uint8Array(randomBytes(length));
}

export function newAddress(): string {
  return personaAddressFor(bytes(33));
}

export function persona(address = newAddress()): StoredPersona {
  return {
    address,
    identityKey: bytes(33),
    registrationId: 1234,
    accessKeyHash: bytes(32),
    registeredAt: 1_700_000_000_000,
  };
}

export function signed(id: number): StoredSignedPreKey {
  return { id, publicKey: bytes(33), signature: bytes(64) };
}

export function upload(oneTime: number, oneTimeKyber: number, firstId = 1): StoredPreKeyUpload {
  return {
    signedPreKey: signed(100_000),
    lastResortKyberPreKey: signed(100_001),
    oneTimePreKeys: Array.from({ length: oneTime }, (_, i) => ({
      id: firstId + i,
      publicKey: bytes(33),
    })),
    oneTimeKyberPreKeys: Array.from({ length: oneTimeKyber }, (_, i) => signed(firstId + i)),
  };
}

function envelope(recipient: string, text: string, receivedAt = Date.now()) {
  return { recipient, sealed: new TextEncoder().encode(text), receivedAt };
}

function text(sealed: Uint8Array): string {
  return new TextDecoder().decode(sealed);
}

export function newGroupId(): Uint8Array {
  return bytes(16);
}

/** A group operation entry (the store does not read the bytes: any will do). */
export function operation(
  groupId: Uint8Array,
  sequence: number,
  label: string,
  membership: { readonly joined?: readonly string[]; readonly left?: readonly string[] } = {},
  receivedAt = Date.now(),
): NewGroupEntry {
  return {
    kind: 'operation',
    groupId,
    bytes: new TextEncoder().encode(label),
    receivedAt,
    sequence,
    joined: membership.joined ?? [],
    left: membership.left ?? [],
  };
}

/** An operation that sets the group's disappearing timer (`disappearingMs`, 0 off). */
function timerOperation(
  groupId: Uint8Array,
  sequence: number,
  label: string,
  disappearingMs: number,
  receivedAt: number,
): NewGroupEntry {
  return {
    kind: 'operation',
    groupId,
    bytes: new TextEncoder().encode(label),
    receivedAt,
    sequence,
    joined: [],
    left: [],
    disappearingMs,
  };
}

export function groupMessage(
  groupId: Uint8Array,
  logLength: number,
  label: string,
  receivedAt = Date.now(),
): NewGroupEntry {
  return {
    kind: 'message',
    groupId,
    bytes: new TextEncoder().encode(label),
    receivedAt,
    logLength,
  };
}

function labels(entries: readonly StoredGroupEntry[] | undefined): string[] {
  return (entries ?? []).map((entry) => `${entry.index}:${text(entry.bytes)}`);
}

export function relayStoreContract(name: string, harness: StoreHarness): void {
  describe(`RelayStore contract: ${name}`, () => {
    let store: RelayStore;
    beforeEach(async () => {
      store = await harness.open();
    });
    afterEach(async () => {
      await harness.dispose(store);
    });

    blobRecordsContract(() => store);
    directoryRecordsContract(() => store);

    describe('personas', () => {
      it('stores, reads back and replaces a persona', async () => {
        const p = persona();
        expect(await store.getPersona(p.address)).toBeUndefined();
        await store.putPersona(p);
        expect(await store.getPersona(p.address)).toStrictEqual(p);
        const changed = { ...p, accessKeyHash: bytes(32) };
        await store.putPersona(changed);
        expect(await store.getPersona(p.address)).toStrictEqual(changed);
      });
    });

    describe('delivery keys', () => {
      it('adds, replaces the expiry of, and deletes delivery keys, each change a new set', async () => {
        const address = newAddress();
        const empty = await store.getDeliveryKeys(address);
        expect(empty.size).toBe(0);
        await store.putDeliveryKey(address, 'aa'.repeat(32), 0);
        await store.putDeliveryKey(address, 'bb'.repeat(32), 5000);
        const two = await store.getDeliveryKeys(address);
        expect([...two].sort()).toStrictEqual([
          ['aa'.repeat(32), 0],
          ['bb'.repeat(32), 5000],
        ]);
        await store.putDeliveryKey(address, 'bb'.repeat(32), 9000);
        const replaced = await store.getDeliveryKeys(address);
        expect(replaced).not.toBe(two);
        expect(two.get('bb'.repeat(32))).toBe(5000);
        expect(replaced.get('bb'.repeat(32))).toBe(9000);
        await store.deleteDeliveryKeys(address, ['aa'.repeat(32), 'cc'.repeat(32)]);
        expect([...(await store.getDeliveryKeys(address)).keys()]).toStrictEqual(['bb'.repeat(32)]);
        expect((await store.getDeliveryKeys(newAddress())).size).toBe(0);
      });

      it('counts envelopes per key tag until they are acknowledged or expire', async () => {
        const a = newAddress();
        const ids = await store.appendEnvelopes([
          { ...envelope(a, 'x1', 1000), keyTag: 'x' },
          { ...envelope(a, 'y1', 1001), keyTag: 'y' },
          { ...envelope(a, 'x2', 5000), keyTag: 'x' },
          envelope(a, 'untagged', 5001),
        ]);
        expect(await store.mailboxKeyDepth(a, 'x')).toBe(2);
        expect(await store.mailboxKeyDepth(a, 'y')).toBe(1);
        expect(await store.mailboxKeyDepth(a, '')).toBe(1);
        expect(await store.mailboxKeyDepth(a, 'z')).toBe(0);
        expect(await store.mailboxKeyDepth(newAddress(), 'x')).toBe(0);
        // The tag is bookkeeping: the envelope reads back exactly as it was sealed.
        expect((await store.readMailbox(a, 0n, 10)).map((e) => text(e.sealed))).toStrictEqual([
          'x1',
          'y1',
          'x2',
          'untagged',
        ]);
        await store.deleteEnvelopes(a, [ids[0] ?? 0n, ids[0] ?? 0n]);
        expect(await store.mailboxKeyDepth(a, 'x')).toBe(1);
        expect(await store.expireEnvelopes(2000)).toBe(1);
        expect(await store.mailboxKeyDepth(a, 'y')).toBe(0);
        expect(await store.mailboxKeyDepth(a, 'x')).toBe(1);
        expect(await store.mailboxDepth(a)).toBe(2);
      });
    });

    describe('prekeys', () => {
      it('has no bundle before a signed prekey is uploaded', async () => {
        const address = newAddress();
        expect(await store.takePreKeyBundle(address)).toBeUndefined();
        const keys = upload(2, 2);
        await store.putPreKeys(address, {
          oneTimePreKeys: keys.oneTimePreKeys,
          oneTimeKyberPreKeys: keys.oneTimeKyberPreKeys,
        });
        expect(await store.takePreKeyBundle(address)).toBeUndefined();
        expect(await store.countPreKeys(address)).toStrictEqual({
          oneTimePreKeys: 2,
          oneTimeKyberPreKeys: 2,
        });
      });

      it('consumes each one-time key once, then falls back to the last-resort Kyber key', async () => {
        const address = newAddress();
        const keys = upload(2, 1);
        await store.putPreKeys(address, keys);
        const first = await store.takePreKeyBundle(address);
        const second = await store.takePreKeyBundle(address);
        const third = await store.takePreKeyBundle(address);
        expect(first?.signedPreKey).toStrictEqual(keys.signedPreKey);
        expect(first?.preKey).toStrictEqual(keys.oneTimePreKeys[0]);
        expect(first?.kyberPreKey).toStrictEqual(keys.oneTimeKyberPreKeys[0]);
        expect(second?.preKey).toStrictEqual(keys.oneTimePreKeys[1]);
        expect(second?.kyberPreKey).toStrictEqual(keys.lastResortKyberPreKey);
        expect(third?.preKey).toBeUndefined();
        expect(third?.kyberPreKey).toStrictEqual(keys.lastResortKyberPreKey);
        expect(await store.countPreKeys(address)).toStrictEqual({
          oneTimePreKeys: 0,
          oneTimeKyberPreKeys: 0,
        });
      });

      it('replaces the signed and last-resort keys and appends one-time keys', async () => {
        const address = newAddress();
        await store.putPreKeys(address, upload(1, 1));
        const newSigned = signed(7);
        await store.putPreKeys(address, {
          signedPreKey: newSigned,
          oneTimePreKeys: [{ id: 50, publicKey: bytes(33) }],
          oneTimeKyberPreKeys: [],
        });
        expect(await store.countPreKeys(address)).toStrictEqual({
          oneTimePreKeys: 2,
          oneTimeKyberPreKeys: 1,
        });
        expect((await store.takePreKeyBundle(address))?.signedPreKey).toStrictEqual(newSigned);
      });

      it('never hands the same one-time key to two concurrent takes', async () => {
        const address = newAddress();
        await store.putPreKeys(address, upload(20, 15));
        const bundles = await Promise.all(
          Array.from({ length: 30 }, () => store.takePreKeyBundle(address)),
        );
        const preKeyIds = bundles.flatMap((b) => (b?.preKey === undefined ? [] : [b.preKey.id]));
        const kyberIds = bundles.map((b) => b?.kyberPreKey.id);
        expect(preKeyIds).toHaveLength(20);
        expect(new Set(preKeyIds).size).toBe(20);
        const oneTimeKyber = kyberIds.filter((id) => id !== 100_001);
        expect(oneTimeKyber).toHaveLength(15);
        expect(new Set(oneTimeKyber).size).toBe(15);
      });

      it('keeps personas apart', async () => {
        const a = newAddress();
        const b = newAddress();
        await store.putPreKeys(a, upload(3, 3));
        expect(await store.takePreKeyBundle(b)).toBeUndefined();
        expect((await store.countPreKeys(b)).oneTimePreKeys).toBe(0);
      });
    });

    describe('mailboxes', () => {
      it('appends with increasing ids per mailbox and reads oldest first', async () => {
        const a = newAddress();
        const b = newAddress();
        const ids = await store.appendEnvelopes([
          envelope(a, 'a1'),
          envelope(b, 'b1'),
          envelope(a, 'a2'),
        ]);
        expect(ids).toHaveLength(3);
        const [a1, b1, a2] = ids;
        expect(a1).toBeDefined();
        expect(b1).toBeDefined();
        expect((a2 ?? 0n) > (a1 ?? 0n)).toBe(true);
        const more = await store.appendEnvelopes([envelope(a, 'a3')]);
        expect((more[0] ?? 0n) > (a2 ?? 0n)).toBe(true);
        const read = await store.readMailbox(a, 0n, 10);
        expect(read.map((e) => text(e.sealed))).toStrictEqual(['a1', 'a2', 'a3']);
        expect(read.map((e) => e.id)).toStrictEqual([a1, a2, more[0]]);
        expect((await store.readMailbox(b, 0n, 10)).map((e) => text(e.sealed))).toStrictEqual([
          'b1',
        ]);
        expect(await store.mailboxDepth(a)).toBe(3);
        expect(await store.mailboxDepth(b)).toBe(1);
        expect(await store.mailboxDepth(newAddress())).toBe(0);
      });

      it('gives the depth of every non-empty mailbox, without addresses', async () => {
        const before = await store.mailboxDepths();
        const a = newAddress();
        const b = newAddress();
        const ids = await store.appendEnvelopes([
          envelope(a, 'a1', 1000),
          envelope(b, 'b1', 1000),
          envelope(a, 'a2', 1000),
          envelope(a, 'a3', 1000),
        ]);
        await store.deleteEnvelopes(a, [ids[0] ?? 0n]);
        const sorted = (depths: number[]): number[] => [...depths].sort((x, y) => x - y);
        expect(sorted(await store.mailboxDepths())).toStrictEqual(sorted([...before, 2, 1]));
      });

      it('reads after a cursor and within a limit, with receivedAt kept', async () => {
        const a = newAddress();
        const ids = await store.appendEnvelopes(
          Array.from({ length: 5 }, (_, i) => envelope(a, `m${i}`, 1000 + i)),
        );
        const page = await store.readMailbox(a, ids[1] ?? 0n, 2);
        expect(page.map((e) => text(e.sealed))).toStrictEqual(['m2', 'm3']);
        expect(page.map((e) => e.receivedAt)).toStrictEqual([1002, 1003]);
        expect(await store.readMailbox(a, ids[4] ?? 0n, 10)).toStrictEqual([]);
        expect(await store.readMailbox(a, 0n, 0)).toStrictEqual([]);
      });

      it('deletes acknowledged envelopes, ignoring unknown and repeated ids', async () => {
        const a = newAddress();
        const ids = await store.appendEnvelopes([
          envelope(a, 'x'),
          envelope(a, 'y'),
          envelope(a, 'z'),
        ]);
        const [x, , z] = ids;
        await store.deleteEnvelopes(a, [x ?? 0n, x ?? 0n, 999n]);
        await store.deleteEnvelopes(a, [x ?? 0n]);
        expect(await store.mailboxDepth(a)).toBe(2);
        await store.deleteEnvelopes(a, [z ?? 0n]);
        expect((await store.readMailbox(a, 0n, 10)).map((e) => text(e.sealed))).toStrictEqual([
          'y',
        ]);
        expect(await store.mailboxDepth(a)).toBe(1);
        await store.deleteEnvelopes(newAddress(), [1n]);
      });

      it('expires envelopes received before the cutoff, in every mailbox', async () => {
        const a = newAddress();
        const b = newAddress();
        await store.appendEnvelopes([
          envelope(a, 'old-a', 1000),
          envelope(b, 'old-b', 1500),
          envelope(a, 'new-a', 5000),
        ]);
        expect(await store.expireEnvelopes(2000)).toBe(2);
        expect((await store.readMailbox(a, 0n, 10)).map((e) => text(e.sealed))).toStrictEqual([
          'new-a',
        ]);
        expect(await store.readMailbox(b, 0n, 10)).toStrictEqual([]);
        expect(await store.mailboxDepth(a)).toBe(1);
        expect(await store.mailboxDepth(b)).toBe(0);
        expect(await store.expireEnvelopes(2000)).toBe(0);
      });

      it('deletes envelopes whose own expiry has come, delivered or not, and only those', async () => {
        const a = newAddress();
        const b = newAddress();
        await store.appendEnvelopes([
          { ...envelope(a, 'timed-a', 1000), expiresAt: 3000 },
          envelope(a, 'plain-a', 1000),
          { ...envelope(b, 'timed-b', 1000), expiresAt: 6000 },
        ]);
        const [gone] = await store.appendEnvelopes([
          { ...envelope(b, 'acked-b', 1000), expiresAt: 4000 },
        ]);
        await store.deleteEnvelopes(b, [gone ?? 0n]);
        expect(await store.expireDue(2999)).toBe(0);
        expect(await store.expireDue(3000)).toBe(1);
        expect((await store.readMailbox(a, 0n, 10)).map((e) => text(e.sealed))).toStrictEqual([
          'plain-a',
        ]);
        expect(await store.mailboxDepth(a)).toBe(1);
        // The acknowledged one is not counted again when its time comes.
        expect(await store.expireDue(5000)).toBe(0);
        expect(await store.mailboxDepth(b)).toBe(1);
        expect(await store.expireDue(6000)).toBe(1);
        expect(await store.readMailbox(b, 0n, 10)).toStrictEqual([]);
        expect(await store.mailboxDepth(b)).toBe(0);
        expect(await store.expireDue(Number.MAX_SAFE_INTEGER)).toBe(0);
        // The relay's own retention still applies to what has no timer.
        expect(await store.expireEnvelopes(2000)).toBe(1);
      });

      it('signals subscribers after the envelope is committed, and stops after unsubscribe', async () => {
        const a = newAddress();
        const seen: string[][] = [];
        const signals: Promise<void>[] = [];
        let signal: () => void = () => undefined;
        signals.push(
          new Promise((resolve) => {
            signal = resolve;
          }),
        );
        const unsubscribe = store.subscribeMailbox(a, () => {
          void store.readMailbox(a, 0n, 10).then((read) => {
            seen.push(read.map((e) => text(e.sealed)));
            signal();
          });
        });
        let otherCalls = 0;
        const unsubscribeOther = store.subscribeMailbox(newAddress(), () => {
          otherCalls += 1;
        });
        await store.appendEnvelopes([envelope(a, 'hello')]);
        await signals[0];
        expect(seen[0]).toStrictEqual(['hello']);
        unsubscribe();
        await store.appendEnvelopes([envelope(a, 'again')]);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(seen).toHaveLength(1);
        expect(otherCalls).toBe(0);
        unsubscribeOther();
      });

      it('group-commits 200 concurrent appends: all stored, ids in call order', async () => {
        const a = newAddress();
        const b = newAddress();
        const results = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            store.appendEnvelopes([envelope(i % 2 === 0 ? a : b, `m${i}`)]),
          ),
        );
        const idsA = results.filter((_, i) => i % 2 === 0).map((ids) => ids[0] ?? 0n);
        for (let i = 1; i < idsA.length; i++)
          expect((idsA[i] ?? 0n) > (idsA[i - 1] ?? 0n)).toBe(true);
        const readA = await store.readMailbox(a, 0n, 1000);
        expect(readA.map((e) => text(e.sealed))).toStrictEqual(
          Array.from({ length: 100 }, (_, i) => `m${i * 2}`),
        );
        expect(readA.map((e) => e.id)).toStrictEqual(idsA);
        expect(await store.mailboxDepth(b)).toBe(100);
      });

      it('keeps the envelope bytes it was given, even if the caller reuses its buffer', async () => {
        const a = newAddress();
        const sealed = bytes(300);
        const original = sealed.slice();
        await store.appendEnvelopes([{ recipient: a, sealed, receivedAt: 1 }]);
        sealed.fill(0);
        expect((await store.readMailbox(a, 0n, 1))[0]?.sealed).toStrictEqual(original);
      });
    });

    describe('groups', () => {
      /** A group created by `owner`, with `members` added by the next operation. */
      async function group(owner: string, ...members: string[]): Promise<Uint8Array> {
        const id = newGroupId();
        await store.appendGroupEntry(operation(id, 0, 'create', { joined: [owner] }));
        if (members.length > 0) {
          await store.appendGroupEntry(operation(id, 1, 'add', { joined: members }));
        }
        return id;
      }

      async function conflictReason(entry: NewGroupEntry): Promise<string> {
        try {
          await store.appendGroupEntry(entry);
        } catch (error) {
          if (GroupAppendConflictError.is(error)) return error.reason;
          throw error;
        }
        return 'appended';
      }

      it('appends operations and messages at increasing indexes and pages the log', async () => {
        const owner = newAddress();
        const id = newGroupId();
        expect(await store.groupLogLength(id)).toBe(0);
        const created = await store.appendGroupEntry(operation(id, 0, 'op0', { joined: [owner] }));
        expect(created).toMatchObject({ index: 1, kind: 'operation' });
        const message = await store.appendGroupEntry(groupMessage(id, 1, 'm1', 1234));
        expect(message).toMatchObject({ index: 2, kind: 'message', receivedAt: 1234 });
        expect((await store.appendGroupEntry(operation(id, 1, 'op1'))).index).toBe(3);
        expect((await store.appendGroupEntry(operation(id, 2, 'op2'))).index).toBe(4);
        expect(await store.groupLogLength(id)).toBe(3);
        const ops = await store.readGroupOperations(id, 0, 10);
        expect(ops.map(text)).toStrictEqual(['op0', 'op1', 'op2']);
        expect((await store.readGroupOperations(id, 1, 1)).map(text)).toStrictEqual(['op1']);
        expect(await store.readGroupOperations(id, 3, 10)).toStrictEqual([]);
        expect(await store.readGroupOperations(newGroupId(), 0, 10)).toStrictEqual([]);
        const read = await store.readMemberEntries(id, owner, undefined, 10);
        expect(labels(read?.entries)).toStrictEqual(['1:op0', '2:m1', '3:op1', '4:op2']);
        expect(read?.entries.map((e) => e.kind)).toStrictEqual([
          'operation',
          'message',
          'operation',
          'operation',
        ]);
        expect(read?.entries[1]?.receivedAt).toBe(1234);
      });

      it('appends only when the log is where the entry expects it, writing nothing otherwise', async () => {
        const owner = newAddress();
        const id = await group(owner);
        expect(await conflictReason(operation(id, 0, 'again', { joined: [newAddress()] }))).toBe(
          'exists',
        );
        expect(await conflictReason(operation(id, 2, 'ahead'))).toBe('moved');
        expect(await conflictReason(operation(newGroupId(), 1, 'nowhere'))).toBe('missing');
        expect(await conflictReason(groupMessage(id, 0, 'behind'))).toBe('moved');
        expect(await conflictReason(groupMessage(id, 2, 'ahead'))).toBe('moved');
        expect(await conflictReason(groupMessage(newGroupId(), 0, 'nowhere'))).toBe('missing');
        expect(await store.groupLogLength(id)).toBe(1);
        const read = await store.readMemberEntries(id, owner, undefined, 10);
        expect(labels(read?.entries)).toStrictEqual(['1:create']);
        expect(await conflictReason(groupMessage(id, 1, 'fits'))).toBe('appended');
      });

      it('lets exactly one of two concurrent operations with the same sequence in', async () => {
        const id = await group(newAddress());
        const outcomes = await Promise.allSettled([
          store.appendGroupEntry(groupMessage(id, 1, 'before either')),
          store.appendGroupEntry(operation(id, 1, 'first')),
          store.appendGroupEntry(operation(id, 1, 'second')),
          store.appendGroupEntry(groupMessage(id, 1, 'stale by now')),
        ]);
        expect(outcomes.map((o) => o.status)).toStrictEqual([
          'fulfilled',
          'fulfilled',
          'rejected',
          'rejected',
        ]);
        expect((await store.readGroupOperations(id, 0, 10)).map(text)).toStrictEqual([
          'create',
          'first',
        ]);
      });

      it('group-commits 100 concurrent messages: all stored, indexes in call order', async () => {
        const owner = newAddress();
        const id = await group(owner);
        const stored = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            store.appendGroupEntry(groupMessage(id, 1, `m${i}`)),
          ),
        );
        expect(stored.map((e) => e.index)).toStrictEqual(
          Array.from({ length: 100 }, (_, i) => i + 2),
        );
        const read = await store.readMemberEntries(id, owner, 1, 1000);
        expect(read?.entries.map((e) => text(e.bytes))).toStrictEqual(
          Array.from({ length: 100 }, (_, i) => `m${i}`),
        );
      });

      it('starts a member at the operation that admitted it and reads from its cursor', async () => {
        const owner = newAddress();
        const late = newAddress();
        const id = await group(owner);
        await store.appendGroupEntry(groupMessage(id, 1, 'before'));
        const added = await store.appendGroupEntry(operation(id, 1, 'add', { joined: [late] }));
        await store.appendGroupEntry(groupMessage(id, 2, 'after'));
        expect(await store.getGroupCursor(id, owner)).toStrictEqual({ acked: 0 });
        expect(await store.getGroupCursor(id, late)).toStrictEqual({ acked: added.index - 1 });
        expect(await store.getGroupCursor(id, newAddress())).toBeUndefined();
        const fromCursor = await store.readMemberEntries(id, late, undefined, 10);
        expect(fromCursor?.cursor).toStrictEqual({ acked: 2 });
        expect(labels(fromCursor?.entries)).toStrictEqual(['3:add', '4:after']);
        expect(labels((await store.readMemberEntries(id, owner, 1, 2))?.entries)).toStrictEqual([
          '2:before',
          '3:add',
        ]);
        // Never at or before the acknowledged index, whatever the reader asks for.
        await store.ackGroup(id, owner, 2);
        expect(labels((await store.readMemberEntries(id, owner, 0, 10))?.entries)).toStrictEqual([
          '3:add',
          '4:after',
        ]);
        expect((await store.readMemberEntries(id, owner, 0, 0))?.entries).toStrictEqual([]);
        expect(await store.readMemberEntries(id, newAddress(), undefined, 10)).toBeUndefined();
        expect(await store.readMemberEntries(newGroupId(), owner, undefined, 10)).toBeUndefined();
      });

      it('moves cursors forward only, and never past the end of the stream', async () => {
        const owner = newAddress();
        const id = await group(owner);
        await store.appendGroupEntry(groupMessage(id, 1, 'a'));
        await store.appendGroupEntry(groupMessage(id, 1, 'b'));
        expect(await store.ackGroup(id, owner, 2)).toStrictEqual({ acked: 2 });
        expect(await store.ackGroup(id, owner, 1)).toStrictEqual({ acked: 2 });
        expect(await store.ackGroup(id, owner, 99)).toStrictEqual({ acked: 3 });
        expect(await store.getGroupCursor(id, owner)).toStrictEqual({ acked: 3 });
        expect((await store.readMemberEntries(id, owner, undefined, 10))?.entries).toStrictEqual(
          [],
        );
        expect(await store.ackGroup(id, newAddress(), 1)).toBeUndefined();
        expect(await store.ackGroup(newGroupId(), owner, 1)).toBeUndefined();
      });

      it('reads a former member up to the operation that ended its membership, then forgets it', async () => {
        const owner = newAddress();
        const gone = newAddress();
        const id = await group(owner, gone);
        await store.appendGroupEntry(groupMessage(id, 2, 'while member'));
        const removal = await store.appendGroupEntry(operation(id, 2, 'remove', { left: [gone] }));
        await store.appendGroupEntry(groupMessage(id, 3, 'after removal'));
        expect(await store.getGroupCursor(id, gone)).toStrictEqual({
          acked: 1,
          readUntil: removal.index,
        });
        const read = await store.readMemberEntries(id, gone, undefined, 10);
        expect(labels(read?.entries)).toStrictEqual(['2:add', '3:while member', '4:remove']);
        expect((await store.readMemberEntries(id, gone, 4, 10))?.entries).toStrictEqual([]);
        expect(await store.ackGroup(id, gone, 3)).toStrictEqual({ acked: 3, readUntil: 4 });
        expect((await store.listMemberGroups(gone)).map((g) => g.readUntil)).toStrictEqual([4]);
        expect(await store.ackGroup(id, gone, 99)).toBeUndefined();
        expect(await store.getGroupCursor(id, gone)).toBeUndefined();
        expect(await store.listMemberGroups(gone)).toStrictEqual([]);
        expect(await store.readMemberEntries(id, gone, undefined, 10)).toBeUndefined();
        // The others read on.
        expect(labels((await store.readMemberEntries(id, owner, 3, 10))?.entries)).toStrictEqual([
          '4:remove',
          '5:after removal',
        ]);
      });

      it('never loses a removal to a concurrent acknowledgement', async () => {
        const owner = newAddress();
        const gone = newAddress();
        const id = await group(owner, gone);
        for (let i = 0; i < 5; i++) await store.appendGroupEntry(groupMessage(id, 2, `m${i}`));
        const [, removal] = await Promise.all([
          store.ackGroup(id, gone, 5),
          store.appendGroupEntry(operation(id, 2, 'ban', { left: [gone] })),
          store.ackGroup(id, gone, 6),
        ]);
        const cursor = await store.getGroupCursor(id, gone);
        expect(cursor?.readUntil).toBe(removal.index);
        expect(cursor?.acked).toBe(6);
      });

      it('gives a member who rejoins a fresh cursor at the operation that readmitted it', async () => {
        const owner = newAddress();
        const back = newAddress();
        const id = await group(owner, back);
        await store.appendGroupEntry(operation(id, 2, 'leave', { left: [back] }));
        await store.appendGroupEntry(groupMessage(id, 3, 'while away'));
        const rejoined = await store.appendGroupEntry(operation(id, 3, 'join', { joined: [back] }));
        expect(await store.getGroupCursor(id, back)).toStrictEqual({ acked: rejoined.index - 1 });
        expect(
          labels((await store.readMemberEntries(id, back, undefined, 10))?.entries),
        ).toStrictEqual([`${rejoined.index}:join`]);
        // A reader that had not caught up before leaving does not see what it missed while away.
        expect(labels((await store.readMemberEntries(id, back, 0, 10))?.entries)).toStrictEqual([
          `${rejoined.index}:join`,
        ]);
      });

      it('lists the groups an address has a cursor in', async () => {
        const someone = newAddress();
        const first = await group(someone);
        const second = await group(newAddress(), someone);
        await group(newAddress());
        const listed = await store.listMemberGroups(someone);
        const byId = new Map(listed.map((g) => [Buffer.from(g.groupId).toString('hex'), g]));
        expect(byId.size).toBe(2);
        expect(byId.get(Buffer.from(first).toString('hex'))).toStrictEqual({
          groupId: first,
          acked: 0,
        });
        expect(byId.get(Buffer.from(second).toString('hex'))).toStrictEqual({
          groupId: second,
          acked: 1,
        });
        await store.ackGroup(first, someone, 1);
        const after = await store.listMemberGroups(someone);
        expect(after.find((g) => g.groupId.length === 16 && g.acked === 1)).toBeDefined();
        expect(await store.listMemberGroups(newAddress())).toStrictEqual([]);
      });

      it('prunes messages every cursor has passed and those past retention, never operations', async () => {
        const owner = newAddress();
        const member = newAddress();
        const id = await group(owner, member);
        const old = 1000;
        const now = 10_000;
        await store.appendGroupEntry(groupMessage(id, 2, 'old', old)); // 3
        await store.appendGroupEntry(groupMessage(id, 2, 'read by all', now)); // 4
        await store.appendGroupEntry(groupMessage(id, 2, 'read by one', now)); // 5
        await store.ackGroup(id, owner, 5);
        await store.ackGroup(id, member, 4);
        expect(await store.pruneGroups(5000)).toBe(2);
        // 'old' (past retention) and 'read by all' are gone; 'read by one' waits for the member.
        expect(
          labels((await store.readMemberEntries(id, member, undefined, 10))?.entries),
        ).toStrictEqual(['5:read by one']);
        expect(await store.readGroupOperations(id, 0, 10)).toHaveLength(2);
        expect(await store.pruneGroups(5000)).toBe(0);
        // Indexes are never reused after pruning.
        expect((await store.appendGroupEntry(groupMessage(id, 2, 'next', now))).index).toBe(6);
      });

      it("deletes messages older than the group's disappearing timer, never operations", async () => {
        const owner = newAddress();
        const member = newAddress();
        const id = newGroupId();
        await store.appendGroupEntry(operation(id, 0, 'create', { joined: [owner] }, 500)); // 1
        await store.appendGroupEntry(operation(id, 1, 'add', { joined: [member] }, 600)); // 2
        await store.appendGroupEntry(timerOperation(id, 2, 'timer', 5000, 1000)); // 3
        await store.appendGroupEntry(groupMessage(id, 3, 'old', 2000)); // 4
        await store.appendGroupEntry(groupMessage(id, 3, 'young', 8000)); // 5
        expect(await store.expireDue(6999)).toBe(0);
        expect(await store.expireDue(7000)).toBe(1);
        expect(
          labels((await store.readMemberEntries(id, member, undefined, 10))?.entries),
        ).toStrictEqual(['2:add', '3:timer', '5:young']);
        expect(await store.expireDue(7000)).toBe(0);
        // Switched off: nothing more goes, however old.
        await store.appendGroupEntry(timerOperation(id, 3, 'off', 0, 9000)); // 6
        await store.appendGroupEntry(groupMessage(id, 4, 'kept', 9500)); // 7
        expect(await store.expireDue(Number.MAX_SAFE_INTEGER)).toBe(0);
        expect(
          labels((await store.readMemberEntries(id, member, undefined, 10))?.entries),
        ).toStrictEqual(['2:add', '3:timer', '5:young', '6:off', '7:kept']);
        expect(await store.readGroupOperations(id, 0, 10)).toHaveLength(4);
        // A group without a timer keeps its messages.
        const other = await group(owner);
        await store.appendGroupEntry(groupMessage(other, 1, 'untimed', 1000));
        expect(await store.expireDue(Number.MAX_SAFE_INTEGER)).toBe(0);
      });

      it('keeps what a former member may still read, until its removal passes retention', async () => {
        const owner = newAddress();
        const gone = newAddress();
        const id = await group(owner, gone);
        await store.appendGroupEntry(groupMessage(id, 2, 'for both', 5000)); // 3
        await store.appendGroupEntry(operation(id, 2, 'remove', { left: [gone] }, 5000)); // 4
        await store.appendGroupEntry(groupMessage(id, 3, 'owner only', 5000)); // 5
        await store.ackGroup(id, owner, 5);
        expect(await store.pruneGroups(1000)).toBe(1);
        expect(
          labels((await store.readMemberEntries(id, gone, undefined, 10))?.entries),
        ).toStrictEqual(['2:add', '3:for both', '4:remove']);
        // Once the removal is older than the retention, the former member's cursor goes too.
        expect(await store.pruneGroups(6000)).toBe(1);
        expect(await store.getGroupCursor(id, gone)).toBeUndefined();
        expect(await store.listMemberGroups(gone)).toStrictEqual([]);
        expect(await store.getGroupCursor(id, owner)).toStrictEqual({ acked: 5 });
      });

      it('signals group subscribers after the commit, and membership changes before them', async () => {
        const owner = newAddress();
        const joiner = newAddress();
        const id = await group(owner);
        const events: string[] = [];
        const unsubscribeGroup = store.subscribeGroup(id, (appended) => {
          events.push(`group ${appended === undefined ? '?' : labels(appended).join(',')}`);
        });
        const unsubscribeMember = store.subscribeMemberGroups(joiner, (groupId) => {
          events.push(
            `member ${groupId.length === 16 && Buffer.from(groupId).equals(Buffer.from(id)) ? 'same' : 'other'}`,
          );
        });
        let otherCalls = 0;
        const unsubscribeOther = store.subscribeGroup(newGroupId(), () => {
          otherCalls += 1;
        });
        await store.appendGroupEntry(operation(id, 1, 'add', { joined: [joiner] }));
        await new Promise((resolve) => setTimeout(resolve, 20));
        // A networked store may signal without entries; an embedded one passes them.
        expect(events[0]).toBe('member same');
        expect(events[1]?.startsWith('group')).toBe(true);
        expect(['group 2:add', 'group ?']).toContain(events[1]);
        await store.appendGroupEntry(operation(id, 2, 'remove', { left: [joiner] }));
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(events[2]).toBe('member same');
        unsubscribeGroup();
        unsubscribeMember();
        await store.appendGroupEntry(groupMessage(id, 3, 'unheard'));
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(events).toHaveLength(4);
        expect(otherCalls).toBe(0);
        unsubscribeOther();
      });

      it('keeps the bytes it was given, even if the caller reuses its buffer', async () => {
        const owner = newAddress();
        const id = await group(owner);
        const envelopeBytes = bytes(100);
        const original = envelopeBytes.slice();
        await store.appendGroupEntry({
          kind: 'message',
          groupId: id,
          bytes: envelopeBytes,
          receivedAt: 1,
          logLength: 1,
        });
        envelopeBytes.fill(0);
        const read = await store.readMemberEntries(id, owner, 1, 1);
        expect(read?.entries[0]?.bytes).toStrictEqual(original);
      });
    });

    describe('group state snapshots', () => {
      async function logOf(length: number): Promise<Uint8Array> {
        const id = newGroupId();
        await store.appendGroupEntry(operation(id, 0, 'create', { joined: [newAddress()] }));
        for (let sequence = 1; sequence < length; sequence++) {
          await store.appendGroupEntry(operation(id, sequence, `op${sequence}`));
        }
        return id;
      }

      it('keeps the snapshot that covers the most of the log, never more than the log', async () => {
        const id = await logOf(5);
        expect(await store.getGroupSnapshot(id)).toBeUndefined();
        const two = { length: 2, bytes: bytes(40) };
        await store.putGroupSnapshot(id, two);
        expect(await store.getGroupSnapshot(id)).toStrictEqual(two);
        const four = { length: 4, bytes: bytes(40) };
        await store.putGroupSnapshot(id, four);
        // Older, beyond the log, empty or not a whole count: each is ignored.
        await store.putGroupSnapshot(id, { length: 3, bytes: bytes(8) });
        await store.putGroupSnapshot(id, { length: 6, bytes: bytes(8) });
        await store.putGroupSnapshot(id, { length: 0, bytes: bytes(8) });
        await store.putGroupSnapshot(id, { length: 4.5, bytes: bytes(8) });
        expect(await store.getGroupSnapshot(id)).toStrictEqual(four);
        // One as long replaces it (a damaged snapshot is overwritten by the replay it caused).
        const fourAgain = { length: 4, bytes: bytes(12) };
        await store.putGroupSnapshot(id, fourAgain);
        expect(await store.getGroupSnapshot(id)).toStrictEqual(fourAgain);
        const five = { length: 5, bytes: new Uint8Array(0) };
        await store.putGroupSnapshot(id, five);
        expect(await store.getGroupSnapshot(id)).toStrictEqual(five);
      });

      it('keeps none for a group that does not exist, and one per group', async () => {
        const missing = newGroupId();
        await store.putGroupSnapshot(missing, { length: 1, bytes: bytes(8) });
        expect(await store.getGroupSnapshot(missing)).toBeUndefined();
        const [a, b] = [await logOf(2), await logOf(2)];
        const snapshot = { length: 2, bytes: bytes(16) };
        await store.putGroupSnapshot(a, snapshot);
        expect(await store.getGroupSnapshot(b)).toBeUndefined();
        expect(await store.getGroupSnapshot(a)).toStrictEqual(snapshot);
      });

      it('keeps the newest of concurrent puts and the bytes it was given', async () => {
        const id = await logOf(20);
        const puts = Array.from({ length: 20 }, (_, i) => ({ length: i + 1, bytes: bytes(32) }));
        // Oldest last: each put after the newest is older, so ignored.
        const newest = puts[19];
        const kept = newest?.bytes.slice();
        await Promise.all(puts.reverse().map((put) => store.putGroupSnapshot(id, put)));
        newest?.bytes.fill(0);
        expect(await store.getGroupSnapshot(id)).toStrictEqual({ length: 20, bytes: kept });
      });
    });

    describe('invite tokens and settings', () => {
      it('counts invite token uses up to maxUses, per token', async () => {
        const first = bytes(16);
        const second = bytes(16);
        expect(await store.consumeInviteToken(first, 2)).toBe(true);
        expect(await store.consumeInviteToken(first, 2)).toBe(true);
        expect(await store.consumeInviteToken(first, 2)).toBe(false);
        expect(await store.consumeInviteToken(second, 1)).toBe(true);
        expect(await store.consumeInviteToken(second, 1)).toBe(false);
      });

      it('counts concurrent uses of one token exactly', async () => {
        const token = bytes(16);
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.consumeInviteToken(token, 3)),
        );
        expect(results.filter(Boolean)).toHaveLength(3);
      });

      it('stores settings', async () => {
        expect(await store.getSetting('relay-id')).toBeUndefined();
        const value = bytes(32);
        await store.putSetting('relay-id', value);
        expect(await store.getSetting('relay-id')).toStrictEqual(value);
      });

      it('claims a setting once: concurrent claims all get the one value kept', async () => {
        const candidates = [bytes(32), bytes(32), bytes(32)];
        const kept = await Promise.all(
          candidates.map((candidate) => store.claimSetting('issuer', candidate)),
        );
        const [first] = kept;
        expect(candidates).toContainEqual(first);
        for (const each of kept) expect(each).toStrictEqual(first);
        expect(await store.getSetting('issuer')).toStrictEqual(first);
        // Claimed already: a later claim keeps it too, and the caller's buffer is not shared.
        const later = await store.claimSetting('issuer', bytes(32));
        expect(later).toStrictEqual(first);
        later.fill(0);
        expect(await store.getSetting('issuer')).toStrictEqual(first);
        // A setting put outright is kept by a claim as well.
        const put = bytes(8);
        await store.putSetting('relay-id', put);
        expect(await store.claimSetting('relay-id', bytes(8))).toStrictEqual(put);
      });
    });
  });
}
