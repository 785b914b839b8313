import { bytesEqual, toHex } from '../bytes/bytes.js';
import { RENEWAL_PENDING_KEY } from '../backup/restoredMark.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { PreKeyBundle } from '../protocol/gen/kindred_pb.js';
import { RelayErrorCode } from '../protocol/RelayErrorCode.js';
import { decodeContent, encodeContent } from './contentCodec.js';
import { newMessageId } from './messages/messageBodyCodec.js';
import { distributionIdFor } from './groups/groupCodec.js';
import type { EmitClientEvent } from './clientEvents.js';
import type { Contact } from './ContactBook.js';
import type { OutboxEntry } from './Outbox.js';
import type { PersonaState } from './PersonaState.js';
import type { RelayConnection } from './RelayConnection.js';
import { RelayRejectedError } from './RelayRejectedError.js';

/**
 * Safe renewal after a restore. A restored vault holds a persona's state from the time of the
 * backup while its contacts moved on: its 1:1 ratchets are behind theirs (sending on them would
 * reuse message keys the contact has seen), its own group sender-key chains are behind (the same),
 * and the relay may hold one-time prekeys whose private halves were made after the backup. So,
 * once, on the persona's first authenticated connection after the restore (restoredMark.ts):
 *
 * 1. a fresh prekey set is uploaded, replacing all of the relay's (signed, last-resort Kyber and,
 *    with `replace_one_time`, every one-time key: the old device's later ones are useless here);
 * 2. every contact (not blocked) and every fellow group member gets a fresh session from a bundle
 *    fetched now, checked against the identity key we already hold for them; the first message
 *    on it is a `SessionRenewed` body, which the receiver's libsignal accepts as a new
 *    PreKeySignalMessage from the same identity, and shows as "secure session renewed"; we show
 *    the same on our side;
 * 3. our sender key in every active group is replaced, and handed to the members (1:1, on the
 *    fresh sessions) before our next post there.
 *
 * A receiver of `SessionRenewed` also forgets that the sender holds its own sender keys, so it
 * sends them again with its next post: the restored side may lack keys made after the backup.
 * The marker is deleted only once all of this is queued, so a failure retries on the next
 * connection. Messages sent to the old device after the backup, on sessions the restored vault
 * never had, cannot be read here: they show as a gap in the conversation.
 */
export interface RenewalContext {
  readonly state: PersonaState;
  /** An anonymous connection for bundle lookups. */
  readonly lookup: () => Promise<RelayConnection>;
  /** Uploads a fresh prekey set on the authenticated connection, replacing the one-time keys. */
  readonly uploadPreKeys: () => Promise<void>;
  /**
   * Reports each stored "session renewed" notice (`sessionRenewed`, direction `out`), and each
   * active group whose sender key was replaced (`groupSessionRenewed`, direction `out`).
   */
  readonly emit?: EmitClientEvent;
}

/** Refusals that pass: the renewal is tried again rather than the contact skipped. */
const PASSING_REFUSALS = new Set<string>([RelayErrorCode.RateLimited, RelayErrorCode.Unavailable]);

/** Whether this persona still has a renewal to run. */
export async function renewalPending(state: PersonaState): Promise<boolean> {
  return (await state.store.get(RENEWAL_PENDING_KEY)) !== undefined;
}

/** Runs the renewal described above; see {@link RenewalContext}. Idempotent until it succeeds. */
export async function renewSessions(context: RenewalContext): Promise<{ renewed: number }> {
  const { state } = context;
  await context.uploadPreKeys();
  const peers = await state.transact(async () => {
    const found = new Map<string, { accessKey: Uint8Array; identityKey: Uint8Array }>();
    for (const contact of await state.contacts.list()) {
      if (contact.blocked === true) continue;
      found.set(contact.address, contact);
    }
    for (const record of await state.groups.list()) {
      if (record.status !== 'active') continue;
      const group = await state.groups.requireState(record.groupId);
      for (const address of group.members.keys()) {
        if (address === state.persona.address || found.has(address)) continue;
        const peer = await state.groups.anyPeer(address);
        if (peer !== undefined) found.set(address, peer);
      }
    }
    return found;
  });
  let renewed = 0;
  const notices: Contact[] = [];
  for (const [address, peer] of peers) {
    let bundle: PreKeyBundle;
    try {
      const connection = await context.lookup();
      bundle = await connection.request(
        { case: 'fetchPreKeyBundle', value: { address, accessKey: peer.accessKey } },
        'preKeyBundle',
      );
    } catch (error) {
      // A contact the relay refuses to give a bundle for (they blocked us, left the relay) cannot
      // be renewed: the others still are. Anything passing (the relay unreachable, a timeout)
      // fails the renewal, which runs again on the next start: no stale session stays in use.
      if (RelayRejectedError.isRelayRejection(error) && !PASSING_REFUSALS.has(error.relayCode)) {
        continue;
      }
      throw error;
    }
    if (bundle.address !== address || !bytesEqual(bundle.identityKey, peer.identityKey)) {
      throw new CoreError(
        CoreErrorCode.IdentityMismatch,
        'the relay returned a prekey bundle for another key than the one we hold',
      );
    }
    const { signedPreKey, kyberPreKey } = bundle;
    if (signedPreKey === undefined || kyberPreKey === undefined) continue;
    await state.transact(async () => {
      await state.cipher.startSession({
        address,
        registrationId: bundle.registrationId,
        identityKey: bundle.identityKey,
        signedPreKey,
        kyberPreKey,
        ...(bundle.preKey === undefined ? {} : { preKey: bundle.preKey }),
      });
      // The renewal goes first on the new session: what was queued before it (a text written
      // right after the restore, before the first connection) is numbered after it.
      const queued = (await state.outbox.list()).filter((entry) => entry.recipient === address);
      const sequence = await state.history.takeOutgoingSequence(address);
      for (const entry of queued) await renumber(state, entry);
      const sentAt = Date.now();
      const messageId = newMessageId();
      const { bytes } = encodeContent({
        messageId,
        sequence,
        sentAt,
        body: { case: 'sessionRenewed', value: {} },
      });
      await state.outbox.put({
        messageId,
        recipient: address,
        sequence,
        content: bytes,
        enqueuedAt: sentAt,
      });
      const contact = await state.contacts.get(address);
      if (contact !== undefined) {
        notices.push(contact);
        await state.history.appendNotice(address, {
          notice: 'session-renewed',
          direction: 'out',
          storedAt: sentAt,
        });
      }
    });
    renewed += 1;
  }
  const renewedGroups: string[] = [];
  await state.transact(async () => {
    for (const record of await state.groups.list()) {
      if (record.status !== 'active') continue;
      await state.cipher.rotateSenderKey(distributionIdFor(record.groupId));
      await state.groups.put({ ...record, distributedTo: [] });
      renewedGroups.push(toHex(record.groupId));
    }
    await state.store.delete(RENEWAL_PENDING_KEY);
  });
  await state.store.flush();
  for (const contact of notices) context.emit?.('sessionRenewed', { contact, direction: 'out' });
  for (const groupId of renewedGroups) {
    context.emit?.('groupSessionRenewed', {
      groupId,
      member: state.persona.address,
      direction: 'out',
    });
  }
  return { renewed };
}

/** Gives a queued entry the next sequence number of its conversation, in its Content too. */
async function renumber(state: PersonaState, entry: OutboxEntry): Promise<void> {
  const content = decodeContent(entry.content);
  if (content === undefined) return;
  const sequence = await state.history.takeOutgoingSequence(entry.recipient);
  const { bytes } = encodeContent({ ...content, sequence });
  await state.outbox.put({ ...entry, sequence, content: bytes });
  if (entry.historyIndex !== undefined) {
    await state.history.setSequence(entry.recipient, entry.historyIndex, sequence);
  }
}

/**
 * A contact or fellow member renewed its session with us (it was restored from a backup).
 * Inside a transaction. Returns undefined when the sender is neither (the body is then dropped),
 * else the active groups (hex ids) the sender is a fellow member of.
 */
export async function acceptSessionRenewal(
  state: PersonaState,
  sender: string,
): Promise<{ readonly groups: readonly string[] } | undefined> {
  const contact = await state.contacts.get(sender);
  const groups: string[] = [];
  for (const record of await state.groups.list()) {
    if (record.status !== 'active') continue;
    const group = await state.groups.requireState(record.groupId);
    if (!group.members.has(sender)) continue;
    groups.push(toHex(record.groupId));
    // Their restored vault may lack our current sender key: it goes again with our next post.
    if (record.distributedTo.includes(sender)) {
      await state.groups.put({
        ...record,
        distributedTo: record.distributedTo.filter((address) => address !== sender),
      });
    }
  }
  if (contact !== undefined && contact.blocked !== true) {
    await state.history.appendNotice(sender, {
      notice: 'session-renewed',
      direction: 'in',
      storedAt: Date.now(),
    });
    return { groups };
  }
  return groups.length > 0 ? { groups } : undefined;
}
