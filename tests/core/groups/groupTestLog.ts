/**
 * Shared fixtures for the group rule suites: a group log that tests drive operation by operation,
 * action builders, raw (deliberately malformed) operations, and assertions on error codes. Every
 * operation applied through TestGroupLog also checks that the state it was applied to is left
 * exactly as it was, so immutability is asserted by every test, not only by the ones about it.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import {
  CoreError,
  GROUP_INVITE_ID_BYTES,
  GROUP_MESSAGE_ID_BYTES,
  GroupSecret,
  applyGroupOperation,
  generateInviteKeyPair,
  groupOperationSigningBytes,
  logKeyHash,
  signGroupJoin,
  signGroupOperation,
  wire,
} from '../../../core/index.js';
import type {
  CoreErrorCode,
  GroupActionInit,
  GroupOperationSigner,
  GroupRuleContext,
  GroupState,
} from '../../../core/index.js';

/** A fixed clock far from the real one, so nothing depends on when the suite runs. */
export const T0 = 1_800_000_000_000;
/** Each operation a TestGroupLog signs is this much later than the one before. */
export const STEP_MS = 1000;
export const HOUR_MS = 3_600_000;

type PolicyInit = MessageInitShape<typeof wire.GroupPolicySchema>;
type OperationInit = MessageInitShape<typeof wire.GroupOperationSchema>;

/**
 * A deep copy of a group state (or any part of one) made of plain values: native Maps and Sets
 * for the persistent collections the rules build (which compare by contents, in any order), fresh
 * copies of every byte array. Snapshots taken with it detect any later change to the original.
 */
export function plainState<T>(value: T): T {
  return plainCopy(value) as T;
}

function plainCopy(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(plainCopy);
  if (isMapLike(value)) {
    return new Map([...value.entries()].map(([key, item]) => [key, plainCopy(item)]));
  }
  if (isSetLike(value)) return new Set([...value.values()].map(plainCopy));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, plainCopy(item)]));
  }
  return value;
}

function isMapLike(value: unknown): value is ReadonlyMap<unknown, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ReadonlyMap<unknown, unknown>>).get === 'function' &&
    typeof (value as Partial<ReadonlyMap<unknown, unknown>>).entries === 'function'
  );
}

function isSetLike(value: unknown): value is ReadonlySet<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<ReadonlySet<unknown>>).has === 'function' &&
    typeof (value as Partial<ReadonlySet<unknown>>).values === 'function'
  );
}

export function randomBytesOf(length: number): Uint8Array {
  return new Uint8Array(randomBytes(length));
}

/** Stands in for a blob sealed under the group secret: the rules only check its size. */
export function sealedBlob(length = 24): Uint8Array {
  return randomBytesOf(length);
}

export function messageId(): Uint8Array {
  return randomBytesOf(GROUP_MESSAGE_ID_BYTES);
}

/** The code of the CoreError `call` throws; fails the test on success or on any other throw. */
export function codeThrownBy(call: () => unknown): CoreErrorCode {
  let thrown: unknown;
  try {
    call();
  } catch (error) {
    thrown = error;
  }
  if (!CoreError.is(thrown)) {
    throw new Error('expected a CoreError', { cause: thrown });
  }
  return thrown.code;
}

export function expectCode(call: () => unknown, code: CoreErrorCode): void {
  expect(codeThrownBy(call)).toBe(code);
}

export const act = {
  approve: (member: string): GroupActionInit => ({ case: 'approve', value: { member } }),
  deny: (member: string): GroupActionInit => ({ case: 'deny', value: { member } }),
  remove: (member: string): GroupActionInit => ({ case: 'remove', value: { member } }),
  ban: (member: string): GroupActionInit => ({ case: 'ban', value: { member } }),
  unban: (member: string): GroupActionInit => ({ case: 'unban', value: { member } }),
  mute: (member: string, until: number): GroupActionInit => ({
    case: 'mute',
    value: { member, until: BigInt(until) },
  }),
  promote: (member: string): GroupActionInit => ({ case: 'promote', value: { member } }),
  demote: (member: string): GroupActionInit => ({ case: 'demote', value: { member } }),
  transferOwnership: (member: string): GroupActionInit => ({
    case: 'transferOwnership',
    value: { member },
  }),
  leave: (): GroupActionInit => ({ case: 'leave', value: {} }),
  setInfo: (sealedInfo: Uint8Array): GroupActionInit => ({
    case: 'setInfo',
    value: { sealedInfo },
  }),
  pin: (id: Uint8Array): GroupActionInit => ({ case: 'pin', value: { messageId: id } }),
  unpin: (id: Uint8Array): GroupActionInit => ({ case: 'unpin', value: { messageId: id } }),
  deleteMessage: (id: Uint8Array): GroupActionInit => ({
    case: 'deleteMessage',
    value: { messageId: id },
  }),
  setPolicy: (policy: PolicyInit): GroupActionInit => ({ case: 'setPolicy', value: policy }),
  invite: (invite: {
    inviteId: Uint8Array;
    inviteKey: Uint8Array;
    expiresAt: number;
    maxUses: number;
  }): GroupActionInit => ({
    case: 'invite',
    value: { ...invite, expiresAt: BigInt(invite.expiresAt) },
  }),
  rotateEpoch: (epoch: number, next: GroupSecret, revokeInvites = false): GroupActionInit => ({
    case: 'rotateEpoch',
    value: {
      epoch: BigInt(epoch),
      logKeyHash: logKeyHash(next.logKey()),
      sealedPreviousSecret: sealedBlob(72),
      revokeInvites,
      joinKey: randomBytesOf(32),
    },
  }),
  join: (
    inviteId: Uint8Array,
    inviteSignature: Uint8Array,
    sealedProfile: Uint8Array = sealedBlob(),
  ): GroupActionInit => ({ case: 'join', value: { inviteId, inviteSignature, sealedProfile } }),
};

/** An invite registered in the log, with the private key its link would carry. */
export interface TestInvite {
  readonly inviteId: Uint8Array;
  readonly privateKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export function newInvite(): TestInvite {
  const { privateKey, publicKey } = generateInviteKeyPair();
  return { inviteId: randomBytesOf(GROUP_INVITE_ID_BYTES), privateKey, publicKey };
}

export interface SignOptions {
  readonly createdAt?: number;
  readonly sealedReason?: Uint8Array;
  /** Sign against this state instead of the current one (a stale or forged head). */
  readonly state?: GroupState;
  readonly groupId?: Uint8Array;
}

/**
 * One group's log as a test drives it: `state` is the head, `operations` every accepted signed
 * operation in order, and `clock` the createdAt the next operation gets.
 */
export class TestGroupLog {
  readonly operations: Uint8Array[] = [];
  clock: number;
  #state: GroupState;

  private constructor(
    readonly groupId: Uint8Array,
    readonly secret: GroupSecret,
    readonly owner: GroupOperationSigner & { readonly address: string },
    create: Uint8Array,
    createdAt: number,
  ) {
    this.#state = applyGroupOperation(undefined, create).state;
    this.operations.push(create);
    this.clock = createdAt + STEP_MS;
  }

  static create(
    owner: GroupOperationSigner & { readonly address: string },
    options: { readonly policy?: PolicyInit; readonly createdAt?: number } = {},
  ): TestGroupLog {
    const groupId = randomBytesOf(16);
    const secret = GroupSecret.generate();
    const createdAt = options.createdAt ?? T0;
    const signed = signGroupOperation(owner, {
      groupId,
      state: undefined,
      createdAt,
      action: {
        case: 'create',
        value: {
          logKeyHash: logKeyHash(secret.logKey()),
          sealedInfo: sealedBlob(),
          sealedProfile: sealedBlob(),
          ...(options.policy === undefined ? {} : { policy: options.policy }),
        },
      },
    });
    return new TestGroupLog(groupId, secret, owner, signed, createdAt);
  }

  get state(): GroupState {
    return this.#state;
  }

  sign(
    signer: GroupOperationSigner,
    action: GroupActionInit,
    options: SignOptions = {},
  ): Uint8Array {
    return signGroupOperation(signer, {
      groupId: options.groupId ?? this.groupId,
      state: options.state ?? this.#state,
      action,
      createdAt: options.createdAt ?? this.clock,
      ...(options.sealedReason === undefined ? {} : { sealedReason: options.sealedReason }),
    });
  }

  /** Applies a signed operation that must be accepted; returns the new state. */
  applySigned(signed: Uint8Array, context?: GroupRuleContext): GroupState {
    const before = this.#state;
    const snapshot = plainState(before);
    const applied = applyGroupOperation(before, signed, context);
    expect(plainState(before)).toStrictEqual(snapshot);
    this.#state = applied.state;
    this.operations.push(signed);
    this.clock += STEP_MS;
    return applied.state;
  }

  /** Signs and applies an operation that must be accepted. */
  do(signer: GroupOperationSigner, action: GroupActionInit, options: SignOptions = {}): GroupState {
    return this.applySigned(this.sign(signer, action, options));
  }

  /** Asserts that a signed operation is refused with `code` and leaves the state untouched. */
  refuseSigned(signed: Uint8Array, code: CoreErrorCode, context?: GroupRuleContext): void {
    const snapshot = plainState(this.#state);
    expectCode(() => applyGroupOperation(this.#state, signed, context), code);
    expect(plainState(this.#state)).toStrictEqual(snapshot);
  }

  /** Signs an operation and asserts that it is refused with `code`. */
  refuse(
    signer: GroupOperationSigner,
    action: GroupActionInit,
    code: CoreErrorCode,
    options: SignOptions = {},
  ): void {
    this.refuseSigned(this.sign(signer, action, options), code);
  }

  /**
   * Starts the next epoch (a new secret, its log-key hash, the previous secret sealed under it);
   * `by` defaults to the owner. Returns the new epoch's secret.
   */
  rotate(
    by: GroupOperationSigner = this.owner,
    options: { readonly revokeInvites?: boolean } = {},
  ): GroupSecret {
    const next = GroupSecret.generate();
    this.do(by, act.rotateEpoch(this.#state.epoch + 1, next, options.revokeInvites ?? false));
    return next;
  }

  /** Registers a fresh invite made by `by`. */
  invite(
    by: GroupOperationSigner,
    options: { readonly maxUses?: number; readonly expiresAt?: number } = {},
  ): TestInvite {
    const invite = newInvite();
    this.do(
      by,
      act.invite({
        inviteId: invite.inviteId,
        inviteKey: invite.publicKey,
        expiresAt: options.expiresAt ?? this.clock + HOUR_MS,
        maxUses: options.maxUses ?? 1,
      }),
    );
    return invite;
  }

  /** The join action `joiner` would sign with `invite` (signed by `inviteKey`, by default its own). */
  joinAction(
    joiner: GroupOperationSigner,
    invite: TestInvite,
    options: { readonly inviteKey?: Uint8Array; readonly groupId?: Uint8Array } = {},
  ): GroupActionInit {
    const signature = signGroupJoin(
      options.inviteKey ?? invite.privateKey,
      options.groupId ?? this.groupId,
      invite.inviteId,
      joiner.identityPublicKey,
    );
    return act.join(invite.inviteId, signature);
  }

  join(joiner: GroupOperationSigner, invite: TestInvite): GroupState {
    return this.do(joiner, this.joinAction(joiner, invite));
  }

  /** Makes `persona` a member (invited by the owner, approved when the group asks for it). */
  addMember(persona: GroupOperationSigner & { readonly address: string }): GroupState {
    this.join(persona, this.invite(this.owner));
    if (this.#state.requests.has(persona.address))
      this.do(this.owner, act.approve(persona.address));
    return this.#state;
  }

  addModerator(persona: GroupOperationSigner & { readonly address: string }): GroupState {
    this.addMember(persona);
    return this.do(this.owner, act.promote(persona.address));
  }
}

/** Signs an arbitrary GroupOperation (the fields a well-behaved client would never produce). */
export function signRawOperation(signer: GroupOperationSigner, init: OperationInit): Uint8Array {
  const operation = toBinary(wire.GroupOperationSchema, create(wire.GroupOperationSchema, init));
  return envelope(operation, signer.sign(groupOperationSigningBytes(operation)));
}

export function envelope(operation: Uint8Array, signature: Uint8Array): Uint8Array {
  return toBinary(
    wire.SignedGroupOperationSchema,
    create(wire.SignedGroupOperationSchema, { operation, signature }),
  );
}

export function openEnvelope(signed: Uint8Array): {
  readonly operation: wire.GroupOperation;
  readonly operationBytes: Uint8Array;
  readonly signature: Uint8Array;
} {
  const outer = fromBinary(wire.SignedGroupOperationSchema, signed);
  return {
    operation: fromBinary(wire.GroupOperationSchema, outer.operation),
    operationBytes: outer.operation,
    signature: outer.signature,
  };
}

/** The fields of an operation signed by `signGroupOperation`, for building a variant of it. */
export function operationInit(signed: Uint8Array): OperationInit {
  const { operation } = openEnvelope(signed);
  return {
    version: operation.version,
    groupId: operation.groupId,
    sequence: operation.sequence,
    previous: operation.previous,
    createdAt: operation.createdAt,
    actor: operation.actor,
    sealedReason: operation.sealedReason,
    action: operation.action,
  };
}

/** A protobuf varint, for hand-built (non-canonical) encodings. */
export function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return bytes;
}
