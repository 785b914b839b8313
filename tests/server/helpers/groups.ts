// Groups driven against a real relay: real signed operations (core's signGroupOperation with the
// test personas' identity keys), a local copy of the state built with core's rules, and the
// frames that submit, fetch, post and acknowledge.
import { randomBytes } from 'node:crypto';
import type { MessageInitShape } from '@bufbuild/protobuf';
import {
  GROUP_INVITE_ID_BYTES,
  GROUP_RULES,
  GroupSecret,
  generateInviteKeyPair,
  logKeyHash,
  signGroupJoin,
  signGroupOperation,
} from '../../../core/index.js';
import type { GroupActionInit, GroupRuleContext, GroupState, wire } from '../../../core/index.js';
import type { ClientBody, RawClient, ServerFrame } from './rawClient.js';
import type { TestPersona } from './personas.js';

export type PolicyInit = MessageInitShape<typeof wire.GroupPolicySchema>;

export function randomBytesOf(length: number): Uint8Array {
  return new Uint8Array(randomBytes(length));
}

/** Stands in for a blob sealed under the group secret: the rules only check its size. */
export function sealedBlob(length = 24): Uint8Array {
  return randomBytesOf(length);
}

export const act = {
  remove: (member: string): GroupActionInit => ({ case: 'remove', value: { member } }),
  ban: (member: string): GroupActionInit => ({ case: 'ban', value: { member } }),
  approve: (member: string): GroupActionInit => ({ case: 'approve', value: { member } }),
  promote: (member: string): GroupActionInit => ({ case: 'promote', value: { member } }),
  leave: (): GroupActionInit => ({ case: 'leave', value: {} }),
  mute: (member: string, until: number): GroupActionInit => ({
    case: 'mute',
    value: { member, until: BigInt(until) },
  }),
  setPolicy: (policy: PolicyInit): GroupActionInit => ({ case: 'setPolicy', value: policy }),
  setInfo: (): GroupActionInit => ({ case: 'setInfo', value: { sealedInfo: sealedBlob() } }),
};

export interface TestInvite {
  readonly inviteId: Uint8Array;
  readonly privateKey: Uint8Array;
}

/**
 * One group as its members see it: `state` is the head every accepted operation moved forward.
 * Operations are signed with the current time, as the relay checks it.
 */
export class TestGroup {
  readonly secret = GroupSecret.generate();
  /** The current epoch's secret (the create's until a rotation). */
  #current: GroupSecret = this.secret;
  #state: GroupState | undefined;
  /** What the local copy applies the rules with (a lowered disappearing minimum, as the relay's). */
  ruleContext: GroupRuleContext = {};

  /** A new group; `groupId` reuses an existing group's id (to try creating it twice). */
  constructor(readonly groupId: Uint8Array = randomBytesOf(16)) {}

  get state(): GroupState {
    if (this.#state === undefined) throw new Error('the group has not been created');
    return this.#state;
  }

  get logLength(): number {
    return this.#state?.length ?? 0;
  }

  /** The current epoch's log key. */
  logKey(): Uint8Array {
    return this.#current.logKey();
  }

  /** Starts the next epoch (by `actor`); returns the stream index and the new secret. */
  async rotate(client: RawClient, actor: TestPersona): Promise<number> {
    const next = GroupSecret.generate();
    const index = await this.run(client, actor, {
      case: 'rotateEpoch',
      value: {
        epoch: BigInt(this.state.epoch + 1),
        logKeyHash: logKeyHash(next.logKey()),
        sealedPreviousSecret: sealedBlob(),
        joinKey: randomBytesOf(32),
      },
    });
    this.#current = next;
    return index;
  }

  /** The create operation, signed by `owner`. */
  createOperation(owner: TestPersona, policy?: PolicyInit): Uint8Array {
    return signGroupOperation(owner.persona, {
      groupId: this.groupId,
      state: undefined,
      action: {
        case: 'create',
        value: {
          logKeyHash: logKeyHash(this.secret.logKey()),
          sealedInfo: sealedBlob(),
          sealedProfile: sealedBlob(),
          ...(policy === undefined ? {} : { policy }),
        },
      },
    });
  }

  /** An operation by `actor` on the current head (or on `state`, for a stale one). */
  sign(
    actor: TestPersona,
    action: GroupActionInit,
    options: { readonly state?: GroupState; readonly createdAt?: number } = {},
  ): Uint8Array {
    return signGroupOperation(actor.persona, {
      groupId: this.groupId,
      state: options.state ?? this.state,
      action,
      createdAt: options.createdAt ?? Date.now(),
    });
  }

  /** Moves the local head over an operation the relay accepted. */
  accept(signed: Uint8Array): void {
    this.#state = GROUP_RULES.apply(this.#state, signed, this.ruleContext).state;
  }

  /** A fresh invite signed by `by` (a moderator), and its private key. */
  inviteOperation(by: TestPersona, maxUses = 1): { signed: Uint8Array; invite: TestInvite } {
    const { privateKey, publicKey } = generateInviteKeyPair();
    const inviteId = randomBytesOf(GROUP_INVITE_ID_BYTES);
    const signed = this.sign(by, {
      case: 'invite',
      value: {
        inviteId,
        inviteKey: publicKey,
        expiresAt: BigInt(Date.now() + 3_600_000),
        maxUses,
      },
    });
    return { signed, invite: { inviteId, privateKey } };
  }

  joinOperation(joiner: TestPersona, invite: TestInvite): Uint8Array {
    const inviteSignature = signGroupJoin(
      invite.privateKey,
      this.groupId,
      invite.inviteId,
      joiner.persona.identityPublicKey,
    );
    return this.sign(joiner, {
      case: 'join',
      value: { inviteId: invite.inviteId, inviteSignature, sealedProfile: sealedBlob() },
    });
  }

  // ---- against a relay ----------------------------------------------------------------------

  /** Submits an operation that must be accepted; returns its stream index. */
  async submit(client: RawClient, signed: Uint8Array): Promise<number> {
    const appended = await client.expect(submitBody(signed), 'groupAppended');
    this.accept(signed);
    return Number(appended.index);
  }

  async create(client: RawClient, owner: TestPersona, policy?: PolicyInit): Promise<number> {
    return this.submit(client, this.createOperation(owner, policy));
  }

  async run(client: RawClient, actor: TestPersona, action: GroupActionInit): Promise<number> {
    return this.submit(client, this.sign(actor, action));
  }

  /**
   * Makes `joiner` a member: `owner` (on `ownerClient`) invites, the joiner joins (on
   * `joinerClient`, which may be anonymous), the owner approves if the group asks for it.
   * Returns the index of the operation that admitted it.
   */
  async add(
    ownerClient: RawClient,
    owner: TestPersona,
    joinerClient: RawClient,
    joiner: TestPersona,
  ): Promise<number> {
    const { signed, invite } = this.inviteOperation(owner);
    await this.submit(ownerClient, signed);
    const joined = await this.submit(joinerClient, this.joinOperation(joiner, invite));
    if (!this.state.requests.has(joiner.address)) return joined;
    return this.run(ownerClient, owner, act.approve(joiner.address));
  }

  postBody(text: string, logLength = this.logLength): ClientBody {
    return {
      case: 'postGroupMessage',
      value: {
        groupId: this.groupId,
        logLength: BigInt(logLength),
        envelope: new TextEncoder().encode(text),
      },
    };
  }

  async post(client: RawClient, text: string): Promise<number> {
    return Number((await client.expect(this.postBody(text), 'groupAppended')).index);
  }

  fetchBody(fromSequence = 0, logKey = this.logKey()): ClientBody {
    return {
      case: 'fetchGroupLog',
      value: { groupId: this.groupId, logKey, fromSequence: BigInt(fromSequence) },
    };
  }

  ackBody(index: number): ClientBody {
    return { case: 'ackGroup', value: { groupId: this.groupId, index: BigInt(index) } };
  }
}

export function submitBody(signed: Uint8Array): ClientBody {
  return { case: 'submitGroupOperation', value: { operation: signed } };
}

/** A delivered group entry, decoded for assertions: `index:kind:text` for messages. */
export function describeDelivery(deliver: wire.GroupDeliver): string {
  const { entry } = deliver;
  if (entry.case === 'message') {
    return `${deliver.index}:message:${new TextDecoder().decode(entry.value)}`;
  }
  return `${deliver.index}:${entry.case ?? 'empty'}`;
}

export function isGroupDeliver(frame: ServerFrame, group?: TestGroup): boolean {
  if (frame.body.case !== 'groupDeliver') return false;
  return group === undefined || Buffer.from(frame.body.value.groupId).equals(group.groupId);
}

/** Waits for `count` GroupDeliver frames (of `group`, when given), in arrival order. */
export async function groupDeliveries(
  client: RawClient,
  count: number,
  group?: TestGroup,
  timeoutMs?: number,
): Promise<wire.GroupDeliver[]> {
  const out: wire.GroupDeliver[] = [];
  while (out.length < count) {
    const frame = await client.next((f) => isGroupDeliver(f, group), timeoutMs);
    if (frame.body.case === 'groupDeliver') out.push(frame.body.value);
  }
  return out;
}

/** GroupDeliver frames received and not yet taken. */
export function pendingGroupDeliveries(client: RawClient, group?: TestGroup): number {
  return client.pending().filter((f) => isGroupDeliver(f, group)).length;
}
