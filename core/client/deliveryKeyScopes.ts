import { toHex } from '../bytes/bytes.js';
import type { DeliveryKeyScope } from './DeliveryKeys.js';

/**
 * How long a used-up invite link's key keeps working at the relay: the new contact writes with it
 * until our DeliveryKeyGrant reaches it (docs/protocol.md, "Delivery keys").
 */
export const INVITE_KEY_GRACE_MS = 10 * 60 * 1000;

export function inviteKeyScope(inviteId: Uint8Array): DeliveryKeyScope {
  return `invite:${toHex(inviteId)}`;
}

export function contactKeyScope(address: string): DeliveryKeyScope {
  return `contact:${address}`;
}

export function groupKeyScope(groupId: Uint8Array): DeliveryKeyScope {
  return `group:${toHex(groupId)}`;
}
