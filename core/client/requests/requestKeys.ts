import { hkdfSync } from 'node:crypto';
import { PublicKey } from '@signalapp/libsignal-client';
import { concatBytes, ownedBytes, toHex, utf8 } from '../../bytes/bytes.js';
import type { Persona } from '../../persona/Persona.js';
import { ACCESS_KEY_BYTES } from '../../protocol/frames.js';
import type { DeliveryKeyScope } from '../DeliveryKeys.js';
import type { PersonaState } from '../PersonaState.js';

/**
 * Pairwise request keys (docs/messages.md, "Message requests"). A member who is not our contact
 * writes its first messages to us with a key only it and we can compute: HKDF over the X25519
 * agreement of our two identity keys (both in the group's signed log), salted with the group id
 * and bound to the recipient's address. Every fellow member of a group whose policy allows
 * private messages gets one of its own, so blocking one requester revokes exactly its key at the
 * relay, and turning the policy off revokes them all; the group-membership key, which every
 * member holds, is never what a request travels on.
 */

const LABEL = 'kindred/request-key/v1';

/** The delivery-key scope of `member`'s request key in one group. */
export function requestKeyScope(groupId: Uint8Array, member: string): DeliveryKeyScope {
  return `request:${toHex(groupId)}:${member}`;
}

/**
 * The key `writer` uses to send requests to `recipient` in one group: the same bytes whichever
 * of the two computes it (`self` is one of them, `other` the other's identity key).
 */
export function deriveRequestKey(
  self: Persona,
  otherIdentityKey: Uint8Array,
  groupId: Uint8Array,
  recipient: string,
): Uint8Array<ArrayBuffer> {
  const shared = self
    .identityKeyPair()
    .privateKey.agree(PublicKey.deserialize(ownedBytes(otherIdentityKey)));
  return new Uint8Array(
    hkdfSync(
      'sha256',
      shared,
      groupId,
      concatBytes(utf8(LABEL), utf8(recipient)),
      ACCESS_KEY_BYTES,
    ),
  );
}

/**
 * Brings the persona's request keys in line with its groups: one per fellow member of every
 * active group whose policy allows private messages (made `pending`, for the keeper to register),
 * none for a blocked requester or contact; any other is marked for revocation. Inside a
 * transaction; returns how many keys it made or retired.
 */
export async function reconcileRequestKeys(state: PersonaState): Promise<number> {
  const self = state.persona.address;
  // Scope → the group and the member's identity key; the key itself is derived only when made.
  const wanted = new Map<DeliveryKeyScope, { groupId: Uint8Array; identityKey: Uint8Array }>();
  for (const record of await state.groups.list()) {
    if (record.status !== 'active') continue;
    const group = await state.groups.state(record.groupId);
    if (group?.policy.membersMessagePrivately !== true || !group.members.has(self)) continue;
    for (const member of group.members.values()) {
      if (member.address === self || (await isBlocked(state, member.address))) continue;
      wanted.set(requestKeyScope(record.groupId, member.address), {
        groupId: record.groupId,
        identityKey: member.identityKey,
      });
    }
  }
  let changed = 0;
  const held = new Set<DeliveryKeyScope>();
  for (const key of await state.deliveryKeys.list()) {
    if (!key.scope.startsWith('request:') || key.status === 'revoking') continue;
    held.add(key.scope);
    if (!wanted.has(key.scope)) changed += await state.deliveryKeys.revoke(key.scope);
  }
  for (const [scope, { groupId, identityKey }] of wanted) {
    if (held.has(scope)) continue;
    const key = deriveRequestKey(state.persona, identityKey, groupId, self);
    await state.deliveryKeys.create(scope, { key });
    changed += 1;
  }
  return changed;
}

async function isBlocked(state: PersonaState, address: string): Promise<boolean> {
  return (
    (await state.requests.isBlocked(address)) ||
    (await state.contacts.get(address))?.blocked === true
  );
}
