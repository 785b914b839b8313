// The one compliance suite every RelayStore runs (STYLE.md rule 6). Each test opens a fresh,
// empty store and closes it afterwards.
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { personaAddressFor } from '../../core/index.js';
import type {
  RelayStore,
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

export function relayStoreContract(name: string, harness: StoreHarness): void {
  describe(`RelayStore contract: ${name}`, () => {
    let store: RelayStore;
    beforeEach(async () => {
      store = await harness.open();
    });
    afterEach(async () => {
      await harness.dispose(store);
    });

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
    });
  });
}
