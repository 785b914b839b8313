import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CoreError,
  PSEUDONYM_MAX_LENGTH,
  Persona,
  PersonaDirectory,
  Vault,
  fromUtf8,
  isPersonaAddress,
  ownedBytes,
  personaAddressFor,
  utf8,
} from '../../core/index.js';
import type { CoreErrorCode } from '../../core/index.js';

const PASSPHRASE = 'correct horse battery staple';

async function expectCode(promise: Promise<unknown>, code: CoreErrorCode): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(CoreError);
  await expect(promise).rejects.toMatchObject({ code });
}

function expectThrowsCode(call: () => unknown, code: CoreErrorCode): void {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(CoreError);
  expect(thrown).toMatchObject({ code });
}

/** A well-formed address that belongs to no persona in the directory. */
function strangerAddress(): string {
  return personaAddressFor(new Uint8Array(randomBytes(33)));
}

function editRecord(record: Uint8Array, edit: (json: Record<string, unknown>) => void): Uint8Array {
  const json = JSON.parse(fromUtf8(record)) as Record<string, unknown>;
  edit(json);
  return utf8(JSON.stringify(json));
}

describe('Persona', () => {
  it('derives its address from its identity key', () => {
    const persona = Persona.generate('Robin');
    expect(persona.address).toBe(personaAddressFor(persona.identityPublicKey));
    expect(isPersonaAddress(persona.address)).toBe(true);
    expect(persona.pseudonym).toBe('Robin');
    expect(Number.isInteger(persona.registrationId)).toBe(true);
    expect(persona.registrationId).toBeGreaterThanOrEqual(1);
    expect(persona.registrationId).toBeLessThan(16384);
    expect(persona.profileKey).toHaveLength(32);
    expect(persona.info()).toStrictEqual({
      address: persona.address,
      pseudonym: 'Robin',
      registrationId: persona.registrationId,
      identityKey: persona.identityPublicKey,
      createdAt: persona.createdAt,
    });
    expect(Persona.generate('Robin').address).not.toBe(persona.address);
  });

  it('round-trips through toRecord and fromRecord, private key included', () => {
    const persona = Persona.generate('Quiet Fern', 1_700_000_000_000);
    const restored = Persona.fromRecord(persona.toRecord());
    expect(restored.info()).toStrictEqual(persona.info());
    expect(restored.profileKey).toStrictEqual(persona.profileKey);
    expect(restored.createdAt).toBe(1_700_000_000_000);

    const message = utf8('relay challenge');
    const publicKey = persona.identityKeyPair().publicKey;
    expect(publicKey.verify(ownedBytes(message), ownedBytes(restored.sign(message)))).toBe(true);
    expect(
      publicKey.verify(ownedBytes(utf8('other message')), ownedBytes(restored.sign(message))),
    ).toBe(false);
  });

  it('refuses a record whose address does not match its identity key', () => {
    const persona = Persona.generate('Robin');
    const other = Persona.generate('Robin');
    const record = editRecord(persona.toRecord(), (json) => {
      json.address = other.address;
    });
    expectThrowsCode(() => Persona.fromRecord(record), 'CORE_VAULT_CORRUPT');
  });

  it.each<[string, (json: Record<string, unknown>) => void]>([
    ['a missing pseudonym', (json) => delete json.pseudonym],
    ['a numeric address', (json) => (json.address = 7)],
    ['a string registration id', (json) => (json.registrationId = '12')],
    ['a missing creation time', (json) => delete json.createdAt],
    ['a short profile key', (json) => (json.profileKey = 'AAAA')],
    ['an identity that is not base64url', (json) => (json.identity = '!!')],
    ['an identity that is not a key pair', (json) => (json.identity = 'AAAA')],
  ])('refuses a record with %s', (_label, edit) => {
    const record = editRecord(Persona.generate('Robin').toRecord(), edit);
    expectThrowsCode(() => Persona.fromRecord(record), 'CORE_VAULT_CORRUPT');
  });

  it('refuses a record that is not JSON', () => {
    expectThrowsCode(() => Persona.fromRecord(utf8('{not json')), 'CORE_VAULT_CORRUPT');
    expectThrowsCode(() => Persona.fromRecord(Uint8Array.of(0xff, 0xfe)), 'CORE_VAULT_CORRUPT');
  });
});

describe('pseudonyms', () => {
  it.each<[string, unknown]>([
    ['empty', ''],
    ['only spaces', '   '],
    ['only whitespace', ' \t\n '],
    ['65 characters', 'x'.repeat(PSEUDONYM_MAX_LENGTH + 1)],
    ['65 emoji', '\u{1F33F}'.repeat(PSEUDONYM_MAX_LENGTH + 1)],
    ['a NUL', 'Rob\u0000in'],
    ['a newline inside', 'Rob\nin'],
    ['a tab inside', 'Rob\tin'],
    ['an escape sequence', 'Rob\u001b[31min'],
    ['DEL', 'Rob\u007fin'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['an object', { toString: () => 'Robin' }],
  ])('refuses a pseudonym that is %s', (_label, pseudonym) => {
    expectThrowsCode(() => Persona.generate(pseudonym as string), 'CORE_INVALID_PSEUDONYM');
  });

  // Unicode's control characters (category Cc) include C1, U+0080 to U+009F; U+009B is a one-byte
  // CSI that some terminals honour, so the CLI would print an escape sequence a contact chose.
  it.each([
    ['NEL', 'Rob\u0085in'],
    ['CSI', 'Rob\u009b31min'],
  ])('refuses a pseudonym with the C1 control character %s', (_label, pseudonym) => {
    expectThrowsCode(() => Persona.generate(pseudonym), 'CORE_INVALID_PSEUDONYM');
  });

  it('trims, normalizes and counts characters, not UTF-16 units', () => {
    expect(Persona.generate('  Robin  ').pseudonym).toBe('Robin');
    expect(Persona.generate('Zoe\u0308').pseudonym).toBe('Zo\u00eb');
    expect(Persona.generate('x'.repeat(PSEUDONYM_MAX_LENGTH)).pseudonym).toHaveLength(64);
    const emoji = '\u{1F33F}'.repeat(PSEUDONYM_MAX_LENGTH);
    expect(Persona.generate(emoji).pseudonym).toBe(emoji);
    expect(Persona.generate('Rémi Ōtsuka 李').pseudonym).toBe('Rémi Ōtsuka 李');
  });
});

describe('PersonaDirectory over a Vault', () => {
  const dirs: string[] = [];
  let vault: Vault | undefined;

  beforeEach(async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kindred-'));
    dirs.push(dir);
    vault = await Vault.create(dir, PASSPHRASE, { kdf: 'insecure-fast' });
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await vault?.lock();
    vault = undefined;
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  function currentVault(): Vault {
    if (vault === undefined) throw new Error('no vault');
    return vault;
  }

  function directory(): PersonaDirectory {
    return new PersonaDirectory(currentVault());
  }

  /** Creates a persona with a chosen creation time, so "oldest" is not left to the clock. */
  async function createAt(
    personas: PersonaDirectory,
    pseudonym: string,
    time: number,
  ): Promise<Persona> {
    const clock = vi.spyOn(Date, 'now').mockReturnValue(time);
    try {
      return await personas.create(pseudonym);
    } finally {
      clock.mockRestore();
    }
  }

  async function addresses(personas: PersonaDirectory): Promise<string[]> {
    return (await personas.list()).map((info) => info.address);
  }

  it('starts with no personas and nothing selected', async () => {
    const personas = directory();
    expect(await personas.list()).toStrictEqual([]);
    expect(await personas.selected()).toBeUndefined();
  });

  it('creates a persona, stores it and selects the first one', async () => {
    const personas = directory();
    const first = await personas.create('  Robin ');
    expect(first.pseudonym).toBe('Robin');
    expect(first.address).toBe(personaAddressFor(first.identityPublicKey));
    expect(isPersonaAddress(first.address)).toBe(true);
    expect((await personas.get(first.address)).info()).toStrictEqual(first.info());
    expect((await personas.selected())?.address).toBe(first.address);

    const second = await personas.create('Heron');
    expect((await personas.selected())?.address).toBe(first.address);
    expect((await personas.list()).map((info) => info.pseudonym).sort()).toStrictEqual([
      'Heron',
      'Robin',
    ]);
    expect((await personas.get(second.address)).profileKey).toStrictEqual(second.profileKey);
  });

  it('lists personas oldest first, by address when created at the same time', async () => {
    const personas = directory();
    const late = await createAt(personas, 'Late', 3_000);
    const early = await createAt(personas, 'Early', 1_000);
    const middle = await createAt(personas, 'Middle', 2_000);
    expect(await addresses(personas)).toStrictEqual([early.address, middle.address, late.address]);

    const twinA = await createAt(personas, 'Twin', 5_000);
    const twinB = await createAt(personas, 'Twin', 5_000);
    const twins = (await addresses(personas)).slice(3);
    expect(twins).toStrictEqual([twinA.address, twinB.address].sort());
  });

  it('selects a persona, and refuses to select an unknown one', async () => {
    const personas = directory();
    const first = await personas.create('First');
    const second = await personas.create('Second');
    await personas.select(second.address);
    expect((await personas.selected())?.address).toBe(second.address);
    await expectCode(personas.select(strangerAddress()), 'CORE_PERSONA_NOT_FOUND');
    await expectCode(personas.select('not-an-address'), 'CORE_PERSONA_NOT_FOUND');
    expect((await personas.selected())?.address).toBe(second.address);
    await personas.select(first.address);
    expect((await personas.selected())?.address).toBe(first.address);
  });

  it('selects the oldest remaining persona when the selected one is deleted', async () => {
    const personas = directory();
    const a = await createAt(personas, 'A', 1_000);
    const b = await createAt(personas, 'B', 2_000);
    const c = await createAt(personas, 'C', 3_000);
    const d = await createAt(personas, 'D', 4_000);
    expect((await personas.selected())?.address).toBe(a.address);

    await personas.select(d.address);
    await personas.delete(d.address);
    expect((await personas.selected())?.address).toBe(a.address);

    // Deleting a persona that is not selected leaves the selection alone.
    await personas.delete(b.address);
    expect((await personas.selected())?.address).toBe(a.address);

    await personas.delete(a.address);
    expect((await personas.selected())?.address).toBe(c.address);
    expect(await addresses(personas)).toStrictEqual([c.address]);

    await personas.delete(c.address);
    expect(await personas.selected()).toBeUndefined();
    expect(await personas.list()).toStrictEqual([]);
  });

  it('deletes everything under dataFor(address), and nothing of anyone else', async () => {
    const personas = directory();
    const gone = await personas.create('Gone');
    const kept = await personas.create('Kept');
    await personas.dataFor(gone.address).put('sessions/peer/1', utf8('gone session'));
    await personas.dataFor(gone.address).put('prekeys/7', utf8('gone prekey'));
    await personas.dataFor(kept.address).put('sessions/peer/1', utf8('kept session'));
    await currentVault().put('settings/theme', utf8('dark'));

    await personas.delete(gone.address);

    const goneData = personas.dataFor(gone.address);
    expect(await goneData.get('sessions/peer/1')).toBeUndefined();
    expect(await goneData.list('sessions')).toStrictEqual([]);
    expect(await goneData.list('prekeys')).toStrictEqual([]);
    expect(
      (await currentVault().list('persona-data')).map((entry) => entry.key.split('/')[1]),
    ).toStrictEqual([kept.address]);
    expect(await personas.dataFor(kept.address).get('sessions/peer/1')).toStrictEqual(
      utf8('kept session'),
    );
    expect(await currentVault().get('settings/theme')).toStrictEqual(utf8('dark'));
    await expectCode(personas.get(gone.address), 'CORE_PERSONA_NOT_FOUND');
    expect(await addresses(personas)).toStrictEqual([kept.address]);
    expect((await personas.selected())?.address).toBe(kept.address);
  });

  it('reports unknown or malformed addresses as CORE_PERSONA_NOT_FOUND', async () => {
    const personas = directory();
    const persona = await personas.create('Robin');
    for (const address of [
      strangerAddress(),
      '',
      'not-an-address',
      persona.address.toUpperCase(),
      `${persona.address}/x`,
      '../personas',
    ]) {
      await expectCode(personas.get(address), 'CORE_PERSONA_NOT_FOUND');
      await expectCode(personas.delete(address), 'CORE_PERSONA_NOT_FOUND');
      await expectCode(personas.select(address), 'CORE_PERSONA_NOT_FOUND');
    }
    for (const address of ['', 'not-an-address', persona.address.toUpperCase(), 'a/b']) {
      expectThrowsCode(() => personas.dataFor(address), 'CORE_PERSONA_NOT_FOUND');
    }
    expect(await addresses(personas)).toStrictEqual([persona.address]);
  });

  it('refuses invalid pseudonyms and creates nothing', async () => {
    const personas = directory();
    for (const pseudonym of ['', '   ', 'x'.repeat(65), 'Rob\u0000in', 'Rob\nin', 42, null]) {
      await expectCode(personas.create(pseudonym as string), 'CORE_INVALID_PSEUDONYM');
    }
    expect(await personas.list()).toStrictEqual([]);
    expect(await personas.selected()).toBeUndefined();
  });

  it('refuses a persona record stored under another persona’s address', async () => {
    const personas = directory();
    const victim = await personas.create('Victim');
    const impostor = await personas.create('Impostor');
    // A record in the wrong slot (a bug, or a store that does not bind records to their keys).
    await currentVault().put(`personas/${victim.address}`, impostor.toRecord());
    await expectCode(personas.get(victim.address), 'CORE_VAULT_CORRUPT');
    await expectCode(personas.list(), 'CORE_VAULT_CORRUPT');
  });

  it('refuses a persona record whose address does not match its key', async () => {
    const personas = directory();
    const persona = await personas.create('Robin');
    const record = editRecord(persona.toRecord(), (json) => {
      json.address = strangerAddress();
    });
    await currentVault().put(`personas/${persona.address}`, record);
    await expectCode(personas.get(persona.address), 'CORE_VAULT_CORRUPT');
    await expectCode(personas.list(), 'CORE_VAULT_CORRUPT');
    await expectCode(personas.selected(), 'CORE_VAULT_CORRUPT');
  });

  it('survives lock and reopen', async () => {
    const personas = directory();
    const first = await createAt(personas, 'First', 1_000);
    const second = await createAt(personas, 'Second', 2_000);
    await personas.select(second.address);
    await personas.dataFor(second.address).put('sessions/peer', utf8('state'));
    const listed = await personas.list();

    const dir = dirs[0];
    if (dir === undefined) throw new Error('no folder');
    await currentVault().lock();
    vault = await Vault.open(dir, PASSPHRASE);
    const reopened = directory();

    expect(await reopened.list()).toStrictEqual(listed);
    expect((await reopened.selected())?.address).toBe(second.address);
    const restored = await reopened.get(first.address);
    expect(restored.info()).toStrictEqual(first.info());
    expect(restored.profileKey).toStrictEqual(first.profileKey);
    const message = utf8('still me');
    expect(
      first
        .identityKeyPair()
        .publicKey.verify(ownedBytes(message), ownedBytes(restored.sign(message))),
    ).toBe(true);
    expect(await reopened.dataFor(second.address).get('sessions/peer')).toStrictEqual(
      utf8('state'),
    );
  });
});
