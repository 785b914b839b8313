import { groupKey } from '../groupStream.js';

/**
 * Where RedisRelayStore keeps what, under one key prefix (default `kindred:`). Every key of one
 * persona (its record, delivery keys, prekeys, mailbox, list of groups, wake-up channels) carries
 * the hash tag `{a:ADDRESS}`, and every key of one group the tag `{g:GROUP-ID-HEX}`: Redis Cluster
 * puts all keys with one tag in one slot, so each atomic step (a Lua script) touches one slot, and
 * nothing ever needs a cross-slot transaction. docs/running-a-cluster.md lists the keys.
 */
export class RedisKeys {
  constructor(readonly prefix: string) {}

  /** The hash-tagged base every key of one persona starts with. */
  addressBase(address: string): string {
    return `${this.prefix}{a:${tagSafe(address)}}`;
  }

  persona(address: string): PersonaKeys {
    return personaKeys(this.addressBase(address));
  }

  mailbox(address: string): MailboxKeys {
    return mailboxKeys(this.addressBase(address));
  }

  groupBase(groupId: Uint8Array): string {
    return `${this.prefix}{g:${groupKey(groupId)}}`;
  }

  group(groupId: Uint8Array): GroupKeys {
    return groupKeys(this.groupBase(groupId));
  }

  invite(id: Uint8Array): string {
    return `${this.prefix}invite:${groupKey(id)}`;
  }

  setting(name: string): string {
    return `${this.prefix}setting:${tagSafe(name)}`;
  }

  /** SCAN patterns for the relay-wide sweeps; the part before the suffix is a base. */
  get patterns(): SweepPatterns {
    const prefix = escapeGlob(this.prefix);
    return {
      mailboxIds: { match: `${prefix}{a:*}${MAILBOX_IDS}`, suffix: MAILBOX_IDS },
      mailboxReceived: { match: `${prefix}{a:*}${MAILBOX_RECEIVED}`, suffix: MAILBOX_RECEIVED },
      mailboxDue: { match: `${prefix}{a:*}${MAILBOX_DUE}`, suffix: MAILBOX_DUE },
      groupHeads: { match: `${prefix}{g:*}${GROUP_HEAD}`, suffix: GROUP_HEAD },
    };
  }
}

export interface SweepPattern {
  readonly match: string;
  readonly suffix: string;
}

export interface SweepPatterns {
  readonly mailboxIds: SweepPattern;
  readonly mailboxReceived: SweepPattern;
  readonly mailboxDue: SweepPattern;
  readonly groupHeads: SweepPattern;
}

export interface PersonaKeys {
  /** String: the persona record (records.ts encodePersona). */
  readonly persona: string;
  /** Hash: delivery key hash (hex) → expiry (ms, 0 never). */
  readonly deliveryKeys: string;
  /** Hash: `signed` and `kyber` (last resort) → encoded signed prekey. */
  readonly preKeys: string;
  /** Hash id → encoded one-time EC prekey, with a sorted set of the ids (lowest taken first). */
  readonly oneTime: string;
  readonly oneTimeIds: string;
  /** The same for one-time Kyber prekeys. */
  readonly oneTimeKyber: string;
  readonly oneTimeKyberIds: string;
  /**
   * Sorted set: group id (hex) → sequence of the latest operation that admitted the persona. A
   * superset of its groups, checked against the groups' cursors on read (RedisMemberGroups).
   */
  readonly groups: string;
  /** Sharded pub/sub channels: the mailbox changed; a membership began or ended. */
  readonly mailboxChannel: string;
  readonly groupsChannel: string;
}

export interface MailboxKeys {
  /** Hash: id → envelope value (records.ts encodeEnvelopeValue). */
  readonly envelopes: string;
  /** Sorted set: ids, scored by id (mailbox order). */
  readonly ids: string;
  /** Sorted set: ids, scored by receivedAt (retention). */
  readonly received: string;
  /** Sorted set: ids of envelopes with their own expiry, scored by it (disappearing). */
  readonly due: string;
  /** Hash: key tag → envelopes appended with it and not yet deleted. */
  readonly tags: string;
  /** Counter: the last id handed out (never deleted, so ids are never reused). */
  readonly lastId: string;
}

export interface GroupKeys {
  /** Hash: `last` (last index used), `ops` (operations in the log), `timer` (ms, disappearing). */
  readonly head: string;
  /** Hash: index → entry value (records.ts encodeGroupEntryValue). */
  readonly entries: string;
  /** Sorted set: every entry's index, scored by index (stream order). */
  readonly indexes: string;
  /** List: the stream index of each operation, by sequence. */
  readonly operations: string;
  /** Sorted sets: message indexes, scored by index and by receivedAt (pruning). */
  readonly messages: string;
  readonly messagesReceived: string;
  /** Hash: address → cursor `acked,readUntil` (readUntil 0: still a member). */
  readonly cursors: string;
  /** Hash: `len` and `bytes` of the group state snapshot. */
  readonly snapshot: string;
  /** Sharded pub/sub channel: entries were appended. */
  readonly channel: string;
}

const MAILBOX_IDS = ':mb:ids';
const MAILBOX_RECEIVED = ':mb:recv';
const MAILBOX_DUE = ':mb:due';
const GROUP_HEAD = ':head';

export function personaKeys(base: string): PersonaKeys {
  return {
    persona: `${base}:persona`,
    deliveryKeys: `${base}:dkeys`,
    preKeys: `${base}:pk`,
    oneTime: `${base}:pk:ec`,
    oneTimeIds: `${base}:pk:ec:ids`,
    oneTimeKyber: `${base}:pk:kyber`,
    oneTimeKyberIds: `${base}:pk:kyber:ids`,
    groups: `${base}:groups`,
    mailboxChannel: `${base}:wake:mb`,
    groupsChannel: `${base}:wake:groups`,
  };
}

export function mailboxKeys(base: string): MailboxKeys {
  return {
    envelopes: `${base}:mb`,
    ids: `${base}${MAILBOX_IDS}`,
    received: `${base}${MAILBOX_RECEIVED}`,
    due: `${base}${MAILBOX_DUE}`,
    tags: `${base}:mb:tags`,
    lastId: `${base}:mb:last`,
  };
}

export function groupKeys(base: string): GroupKeys {
  return {
    head: `${base}${GROUP_HEAD}`,
    entries: `${base}:e`,
    indexes: `${base}:ix`,
    operations: `${base}:ops`,
    messages: `${base}:msg`,
    messagesReceived: `${base}:msg:recv`,
    cursors: `${base}:cur`,
    snapshot: `${base}:snap`,
    channel: `${base}:wake`,
  };
}

/** The mailbox keys in the order the Lua scripts take them. */
export function mailboxKeyList(keys: MailboxKeys): string[] {
  return [keys.envelopes, keys.ids, keys.received, keys.due, keys.tags, keys.lastId];
}

/** The group keys in the order the Lua scripts take them. */
export function groupKeyList(keys: GroupKeys): string[] {
  return [
    keys.head,
    keys.entries,
    keys.indexes,
    keys.operations,
    keys.messages,
    keys.messagesReceived,
    keys.cursors,
    keys.snapshot,
  ];
}

/**
 * Addresses and setting names as they are when they cannot break a hash tag or a key's shape
 * (persona addresses always can't: hex and dashes); anything else as `~` + hex of its UTF-8.
 */
function tagSafe(text: string): string {
  return /^[A-Za-z0-9._=-]{1,200}$/.test(text)
    ? text
    : `~${Buffer.from(text, 'utf8').toString('hex')}`;
}

/** A key prefix as a literal in a SCAN MATCH pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}
