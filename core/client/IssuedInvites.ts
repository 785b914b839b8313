import { toBase64Url } from '../bytes/bytes.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';
import { RecordReader, encodeRecord } from './jsonRecord.js';

/** An invite link this persona handed out, and how often it has been used. */
export interface IssuedInvite {
  readonly inviteId: Uint8Array;
  readonly createdAt: number;
  /** 0 = never. */
  readonly expiresAt: number;
  /** 0 = unlimited. */
  readonly maxUses: number;
  readonly uses: number;
}

const INVITES = 'client/invites';

/** The invites one persona issued. An introduction is accepted only against one of these. */
export class IssuedInvites {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  async record(invite: IssuedInvite): Promise<void> {
    await this.#store.put(inviteKey(invite.inviteId), encodeRecord(invite));
  }

  async get(inviteId: Uint8Array): Promise<IssuedInvite | undefined> {
    if (inviteId.length === 0) return undefined;
    const bytes = await this.#store.get(inviteKey(inviteId));
    return bytes === undefined ? undefined : readInvite(bytes);
  }

  /** Every invite still on record, oldest first. */
  async list(): Promise<IssuedInvite[]> {
    const entries = await this.#store.list(INVITES);
    return entries.map(({ value }) => readInvite(value)).sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Forgets an invite: an introduction against it is refused from now on. */
  async delete(inviteId: Uint8Array): Promise<void> {
    await this.#store.delete(inviteKey(inviteId));
  }

  /**
   * Counts one use of an invite if it exists, has not expired and has uses left, and returns it
   * as it now is. Returns undefined (and changes nothing) otherwise.
   */
  async use(inviteId: Uint8Array, now: number): Promise<IssuedInvite | undefined> {
    const invite = await this.get(inviteId);
    if (invite === undefined) return undefined;
    if (invite.expiresAt !== 0 && invite.expiresAt <= now) return undefined;
    if (invite.maxUses !== 0 && invite.uses >= invite.maxUses) return undefined;
    const used = { ...invite, uses: invite.uses + 1 };
    await this.record(used);
    return used;
  }
}

function readInvite(bytes: Uint8Array): IssuedInvite {
  const r = RecordReader.decode(bytes, 'invite');
  return {
    inviteId: r.bytes('inviteId'),
    createdAt: r.number('createdAt'),
    expiresAt: r.number('expiresAt'),
    maxUses: r.number('maxUses'),
    uses: r.number('uses'),
  };
}

function inviteKey(inviteId: Uint8Array): string {
  return `${INVITES}/${toBase64Url(inviteId)}`;
}
