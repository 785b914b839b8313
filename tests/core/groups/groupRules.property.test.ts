/**
 * Property tests for the group rules. Random sequences of operations by random actors (the owner,
 * moderators, members, requesters, strangers), applied with a relay clock, must keep the
 * membership invariants, leave the state untouched whenever they are refused, grant no power the
 * authority rules deny, and replay from the accepted log alone to the very same states. Random
 * byte mutations of valid signed operations must be refused with a CoreError, never accepted.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CoreError,
  CoreErrorCode,
  GroupSecret,
  MAX_PINNED,
  Persona,
  ROLE_RANK,
  applyGroupOperation,
  bytesEqual,
  concatBytes,
  groupOperationHash,
  personaAddressFor,
  signGroupJoin,
} from '../../../core/index.js';
import type { GroupAction, GroupActionInit, GroupState } from '../../../core/index.js';
import {
  HOUR_MS,
  STEP_MS,
  T0,
  TestGroupLog,
  act,
  codeThrownBy,
  newInvite,
  plainState,
  randomBytesOf,
  sealedBlob,
} from './groupTestLog.js';
import type { TestInvite } from './groupTestLog.js';

const RUNS = 100;
const MAX_STEPS = 60;

/** Index 0 creates the group; the others start as strangers. */
const cast: readonly Persona[] = ['Owner', 'Ash', 'Birch', 'Cedar', 'Dune', 'Elm', 'Fir'].map(
  (name) => Persona.generate(name),
);
const MESSAGE_IDS = [randomBytesOf(16), randomBytesOf(16)];

type Standing = 'owner' | 'moderator' | 'member' | 'requester' | 'banned' | 'outsider';

function standing(weights: Partial<Record<Standing, number>>): fc.Arbitrary<Standing> {
  return fc.oneof(
    ...Object.entries(weights).map(([name, weight]) => ({
      weight,
      arbitrary: fc.constant(name as Standing),
    })),
  );
}

/**
 * Who acts or is acted on, by standing at the time the command runs, so that most commands have a
 * plausible actor and target; the rest are the refusals the rules must get right.
 */
function someone(weights: Partial<Record<Standing, number>>) {
  return fc.record({ standing: standing(weights), pick: fc.nat({ max: cast.length - 1 }) });
}
const actor = someone({ owner: 3, moderator: 3, member: 3, requester: 1, banned: 1, outsider: 1 });
const joiner = someone({ outsider: 6, member: 1, requester: 1, banned: 1 });
const target = someone({ owner: 1, moderator: 2, member: 5, requester: 2, banned: 2, outsider: 1 });
type Someone = typeof actor extends fc.Arbitrary<infer T> ? T : never;

// Repeated: promotions, which others need, and what needs an earlier ban or promotion.
const targetAction = fc.constantFrom(
  'approve',
  'deny',
  'remove',
  'ban',
  'unban',
  'unban',
  'unban',
  'promote',
  'promote',
  'demote',
  'demote',
  'transferOwnership',
) satisfies fc.Arbitrary<GroupAction>;

const command = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('invite' as const),
      actor,
      maxUses: fc.integer({ min: 1, max: 3 }),
      lifetimeSteps: fc.integer({ min: 1, max: 40 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('join' as const),
      actor: joiner,
      invite: fc.nat({ max: 3 }),
      forgery: fc.constantFrom('none', 'none', 'none', 'none', 'otherKey', 'otherJoiner'),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('target' as const),
      action: targetAction,
      actor,
      target,
      aimed: fc.nat({ max: 3 }).map((n) => n > 0),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('mute' as const),
      action: fc.constant('mute' as const),
      actor,
      target,
      aimed: fc.nat({ max: 3 }).map((n) => n > 0),
      until: fc.constantFrom(0, -HOUR_MS, HOUR_MS),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leave' as const), actor }) },
  // Frequent: every departure makes a rotation due, and until one lands little else is accepted.
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('rotate' as const),
      actor,
      revokeInvites: fc.nat({ max: 5 }).map((n) => n === 0),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom(
        'pin' as const,
        'unpin' as const,
        'unpin' as const,
        'deleteMessage' as const,
      ),
      actor,
      message: fc.nat({ max: MESSAGE_IDS.length - 1 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('setPolicy' as const),
      actor,
      joinByApproval: fc.boolean(),
      slowModeSeconds: fc.constantFrom(0, 30),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('setInfo' as const), actor }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('stale' as const),
      actor,
      back: fc.integer({ min: 1, max: 3 }),
    }),
  },
);
type Command = typeof command extends fc.Arbitrary<infer T> ? T : never;
type TargetAction = (typeof targetAction extends fc.Arbitrary<infer T> ? T : never) | 'mute';

/**
 * An aimed command is one a well-behaved client would send: its actor has the standing the action
 * needs and its target the standing the action is meant for. Unaimed commands are random.
 */
function aimedActor(next: { action: TargetAction; actor: Someone }): Someone {
  const ownerOnly = ['promote', 'demote', 'transferOwnership'].includes(next.action);
  return { ...next.actor, standing: ownerOnly ? 'owner' : 'moderator' };
}

/** The standing each target action is meant for. */
const AIM: Readonly<Record<TargetAction, Standing>> = {
  approve: 'requester',
  deny: 'requester',
  remove: 'member',
  ban: 'member',
  unban: 'banned',
  promote: 'member',
  demote: 'moderator',
  transferOwnership: 'member',
  mute: 'member',
};

function personaAt(index: number): Persona {
  const persona = cast[index % cast.length];
  if (persona === undefined) throw new Error('empty cast');
  return persona;
}

function messageAt(index: number): Uint8Array {
  const id = MESSAGE_IDS[index % MESSAGE_IDS.length];
  if (id === undefined) throw new Error('no message ids');
  return id;
}

function standingOf(state: GroupState, persona: Persona): Standing {
  const member = state.members.get(persona.address);
  if (member !== undefined) return member.role;
  if (state.requests.has(persona.address)) return 'requester';
  return state.banned.has(persona.address) ? 'banned' : 'outsider';
}

/**
 * A persona of the wanted standing. When nobody has it: the owner in place of a moderator (so
 * early commands are not all refused for want of staff), anyone at all otherwise.
 */
function resolve(state: GroupState, who: Someone): Persona {
  const candidates = cast.filter((persona) => standingOf(state, persona) === who.standing);
  if (candidates.length === 0 && who.standing === 'moderator') {
    return resolve(state, { ...who, standing: 'owner' });
  }
  return candidates[who.pick % Math.max(candidates.length, 1)] ?? personaAt(who.pick);
}

/** Throws (cheaply, without vitest's diffing) unless `condition` holds. */
function invariant(condition: boolean, what: string): void {
  if (!condition) throw new Error(`invariant broken: ${what}`);
}

function checkInvariants(state: GroupState, log: readonly Uint8Array[]): void {
  const owners = [...state.members.values()].filter((member) => member.role === 'owner');
  invariant(owners.length === 1, 'exactly one owner');
  for (const [address, member] of state.members) {
    invariant(member.address === address, 'members are keyed by address');
    invariant(personaAddressFor(member.identityKey) === address, "a member's key is its address");
    invariant(!state.banned.has(address), 'no member is banned');
    invariant(!state.requests.has(address), 'no member is waiting for approval');
  }
  for (const [address, request] of state.requests) {
    invariant(request.address === address, 'requests are keyed by address');
    invariant(
      personaAddressFor(request.identityKey) === address,
      "a requester's key is its address",
    );
    invariant(!state.banned.has(address), 'no requester is banned');
  }
  invariant(new Set(state.pinned).size === state.pinned.length, 'pins are unique');
  invariant(state.pinned.length <= MAX_PINNED, 'pins are bounded');
  invariant(
    state.pinned.every((id) => !state.deleted.has(id)),
    'a deleted message is never pinned',
  );
  for (const invite of state.invites.values()) {
    invariant(invite.uses <= invite.maxUses, 'invites are not overspent');
  }
  const last = log.at(-1);
  invariant(state.length === log.length, 'length counts the log');
  invariant(state.epochs.length === state.epoch + 1, 'every epoch is recorded');
  invariant(
    state.epochs.every((epoch, index) => epoch.epoch === index),
    'epochs are numbered in order',
  );
  invariant(
    state.epochs.at(-1)?.logKeyHash === state.logKeyHash,
    'the log key hash is the current epoch’s',
  );
  invariant(
    last !== undefined && bytesEqual(state.head, groupOperationHash(last)),
    'head is the hash of the last operation',
  );
}

/** What the authority rules say of an operation, from the state before it alone. */
function checkAuthority(
  before: GroupState,
  actor: Persona,
  action: GroupAction,
  refusal: CoreErrorCode | undefined,
): void {
  const role = before.members.get(actor.address)?.role;
  if (before.rotationDue && !['rotateEpoch', 'remove', 'ban', 'leave'].includes(action)) {
    // After a departure nothing else is written under the old epoch.
    expect(refusal).toBe(CoreErrorCode.GroupRotationDue);
    return;
  }
  if (action === 'join') return;
  if (action === 'leave' && before.requests.has(actor.address)) {
    // A requester may withdraw its request.
    expect(refusal).toBeUndefined();
    return;
  }
  if (role === undefined) {
    // Outsiders (strangers, requesters, the banned) may do nothing but join, or withdraw.
    expect(refusal).toBe(CoreErrorCode.GroupForbidden);
    return;
  }
  if (refusal !== undefined) return;
  if (action === 'leave') {
    expect(role).not.toBe('owner');
  } else if (action === 'rotateEpoch') {
    // Any member when a rotation is due; otherwise a moderator or the owner.
    if (!before.rotationDue) expect(ROLE_RANK[role]).toBeGreaterThanOrEqual(ROLE_RANK.moderator);
  } else if (action === 'promote' || action === 'demote' || action === 'transferOwnership') {
    expect(role).toBe('owner');
  } else {
    expect(ROLE_RANK[role]).toBeGreaterThanOrEqual(ROLE_RANK.moderator);
  }
}

interface Run {
  readonly log: readonly Uint8Array[];
  /** The state after each operation of `log`. */
  readonly states: readonly GroupState[];
  /** `action:code` or `action:accepted` for each command. */
  readonly outcomes: readonly string[];
}

function runCommands(joinByApproval: boolean, commands: readonly Command[]): Run {
  const owner = personaAt(0);
  const group = TestGroupLog.create(owner, { createdAt: T0, policy: { joinByApproval } });
  /** Invites the log accepted, newest last; an open one to start, so runs grow a membership. */
  const invites: TestInvite[] = [group.invite(owner, { maxUses: 5, expiresAt: T0 + 30 * STEP_MS })];
  const log = [...group.operations];
  const states: GroupState[] = [];
  for (const signed of log) states.push(applyGroupOperation(states.at(-1), signed).state);
  const outcomes: string[] = [];
  let clock = group.clock;

  for (const next of commands) {
    clock += STEP_MS;
    const state = states.at(-1);
    if (state === undefined) throw new Error('no state');
    const actor = resolve(
      state,
      (next.kind === 'target' || next.kind === 'mute') && next.aimed
        ? aimedActor(next)
        : next.actor,
    );
    let action: GroupActionInit;
    let signState = state;
    let inviteMade: TestInvite | undefined;
    switch (next.kind) {
      case 'invite':
        inviteMade = newInvite();
        action = act.invite({
          inviteId: inviteMade.inviteId,
          inviteKey: inviteMade.publicKey,
          expiresAt: clock + next.lifetimeSteps * STEP_MS,
          maxUses: next.maxUses,
        });
        break;
      case 'join': {
        // Mostly one of the newest invites, which are the likeliest to be alive.
        const invite = invites.at(-1 - (next.invite % invites.length)) ?? newInvite();
        const key = next.forgery === 'otherKey' ? newInvite().privateKey : invite.privateKey;
        const signedFor =
          next.forgery === 'otherJoiner' ? personaAt(cast.indexOf(actor) + 1) : actor;
        action = act.join(
          invite.inviteId,
          signGroupJoin(key, group.groupId, invite.inviteId, signedFor.identityPublicKey),
        );
        break;
      }
      case 'target': {
        const aim = next.aimed ? { ...next.target, standing: AIM[next.action] } : next.target;
        action = { case: next.action, value: { member: resolve(state, aim).address } };
        break;
      }
      case 'mute':
        action = act.mute(
          resolve(state, next.aimed ? { ...next.target, standing: AIM.mute } : next.target).address,
          next.until === 0 ? 0 : clock + next.until,
        );
        break;
      case 'leave':
        action = act.leave();
        break;
      case 'pin':
      case 'unpin':
      case 'deleteMessage':
        action = { case: next.kind, value: { messageId: messageAt(next.message) } };
        break;
      case 'setPolicy':
        action = act.setPolicy({
          joinByApproval: next.joinByApproval,
          slowModeSeconds: next.slowModeSeconds,
        });
        break;
      case 'setInfo':
        action = act.setInfo(sealedBlob());
        break;
      case 'rotate':
        action = act.rotateEpoch(state.epoch + 1, GroupSecret.generate(), next.revokeInvites);
        break;
      case 'stale': {
        // A perfectly good operation, signed against a head the log has moved past.
        const earlier = states[states.length - 1 - next.back];
        if (earlier === undefined) continue;
        action = act.setInfo(sealedBlob());
        signState = earlier;
        break;
      }
    }
    const signed = group.sign(actor, action, { state: signState, createdAt: clock });
    const snapshot = plainState(state);
    let applied: GroupState | undefined;
    let refusal: CoreErrorCode | undefined;
    try {
      applied = applyGroupOperation(state, signed, { now: clock }).state;
    } catch (error) {
      if (!CoreError.is(error)) throw error;
      refusal = error.code;
    }
    invariant(
      isDeepStrictEqual(plainState(state), snapshot),
      'applying an operation leaves its state as is',
    );
    const actionCase = action.case;
    if (actionCase === undefined) throw new Error('command without action');
    outcomes.push(`${next.kind === 'stale' ? 'stale' : actionCase}:${refusal ?? 'accepted'}`);
    if (next.kind === 'stale') {
      expect(refusal).toBe(CoreErrorCode.GroupConflict);
      continue;
    }
    if (next.kind === 'join' && next.forgery !== 'none') {
      expect(refusal).toBeDefined();
    }
    checkAuthority(state, actor, actionCase, refusal);
    if (applied === undefined) continue;
    if (inviteMade !== undefined) invites.push(inviteMade);
    log.push(signed);
    states.push(applied);
    checkInvariants(applied, log);
  }
  return { log, states, outcomes };
}

describe('group rules on random operation sequences', () => {
  it('keep the membership invariants, refuse without side effects, and replay identically', () => {
    const seen = new Set<string>();
    // The generator must reach every action both ways, or the properties above prove little. (The
    // rarest, unban and unpin, are accepted about ten times per hundred runs.)
    const actions: GroupAction[] = [
      'invite',
      'join',
      'approve',
      'deny',
      'remove',
      'ban',
      'unban',
      'mute',
      'promote',
      'demote',
      'transferOwnership',
      'leave',
      'setInfo',
      'pin',
      'unpin',
      'deleteMessage',
      'setPolicy',
    ];
    const missing = (): string[] =>
      actions.flatMap((action) => [
        ...(seen.has(`${action}:accepted`) ? [] : [`${action} accepted`]),
        ...([...seen].some((o) => o.startsWith(`${action}:CORE_`)) ? [] : [`${action} refused`]),
      ]);
    // Rounds of RUNS until every action was seen both ways, at most five: a rare outcome missing
    // from one round is chance; missing from five, a generator that cannot reach it.
    for (let round = 0; round < 5 && (round === 0 || missing().length > 0); round++) {
      fc.assert(
        fc.property(
          fc.boolean(),
          fc.array(command, { minLength: 20, maxLength: MAX_STEPS }),
          (joinByApproval, commands) => {
            const run = runCommands(joinByApproval, commands);
            for (const outcome of run.outcomes) seen.add(outcome);
            // A client rebuilds every state from the accepted log alone, without the relay's clock.
            let replayed: GroupState | undefined;
            run.log.forEach((signed, index) => {
              replayed = applyGroupOperation(replayed, signed).state;
              invariant(
                isDeepStrictEqual(plainState(replayed), plainState(run.states[index])),
                'replay gives the same state',
              );
            });
            expect(plainState(replayed)).toStrictEqual(plainState(run.states.at(-1)));
          },
        ),
        { numRuns: RUNS },
      );
    }
    expect(missing()).toStrictEqual([]);
    expect(seen.has(`stale:${CoreErrorCode.GroupConflict}`)).toBe(true);
  });
});

describe('mutated operations', () => {
  /** Valid signed operations of every shape, each with the state it applies to. */
  function fixture(): { state: GroupState | undefined; signed: Uint8Array }[] {
    const [owner, moderator, member, joiner] = [
      personaAt(0),
      personaAt(1),
      personaAt(2),
      personaAt(3),
    ];
    const group = TestGroupLog.create(owner);
    group.addModerator(moderator);
    group.addMember(member);
    const invite = group.invite(moderator, { maxUses: 2 });
    const state = group.state;
    const cases = [
      group.sign(joiner, group.joinAction(joiner, invite)),
      group.sign(moderator, act.remove(member.address), { sealedReason: sealedBlob(40) }),
      group.sign(owner, act.promote(member.address)),
      group.sign(moderator, act.setPolicy({ joinByApproval: true, slowModeSeconds: 30 })),
      group.sign(moderator, act.mute(member.address, T0 + HOUR_MS)),
    ].map((signed): { state: GroupState | undefined; signed: Uint8Array } => ({ state, signed }));
    const [create] = group.operations;
    if (create === undefined) throw new Error('no create operation');
    cases.push({ state: undefined, signed: create });
    for (const { state: before, signed } of cases) {
      expect(() => applyGroupOperation(before, signed)).not.toThrow();
    }
    return cases;
  }
  const cases = fixture();

  const mutation = fc.oneof(
    fc.record({
      kind: fc.constant('flip' as const),
      at: fc.nat(),
      mask: fc.integer({ min: 1, max: 255 }),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({
      kind: fc.constant('delete' as const),
      at: fc.nat(),
      count: fc.integer({ min: 1, max: 8 }),
    }),
    // Inserted before the last byte: appending is the known gap (see groupRules.test.ts).
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
    }),
  );

  type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

  function mutate(bytes: Uint8Array, change: Mutation): Uint8Array {
    if (bytes.length === 0) return change.kind === 'insert' ? change.bytes : bytes;
    const at = change.at % bytes.length;
    switch (change.kind) {
      case 'flip': {
        const out = Uint8Array.from(bytes);
        out[at] = (out[at] ?? 0) ^ change.mask;
        return out;
      }
      case 'truncate':
        return bytes.slice(0, at);
      case 'delete':
        return concatBytes(bytes.subarray(0, at), bytes.subarray(at + change.count));
      case 'insert':
        return concatBytes(bytes.subarray(0, at), change.bytes, bytes.subarray(at));
    }
  }

  it('refuses every random mutation of a valid operation with CORE_GROUP_OPERATION_INVALID', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: cases.length - 1 }),
        fc.array(mutation, { minLength: 1, maxLength: 3 }),
        (index, changes) => {
          const chosen = cases[index];
          if (chosen === undefined) throw new Error('no such case');
          const mutated = changes.reduce(mutate, chosen.signed);
          fc.pre(!bytesEqual(mutated, chosen.signed));
          expect(codeThrownBy(() => applyGroupOperation(chosen.state, mutated))).toBe(
            CoreErrorCode.GroupOperationInvalid,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses every single-bit flip of every byte of every operation', () => {
    for (const { state, signed } of cases) {
      for (let index = 0; index < signed.length; index++) {
        for (const mask of [0x01, 0x80]) {
          const flipped = Uint8Array.from(signed);
          flipped[index] = (flipped[index] ?? 0) ^ mask;
          expect(codeThrownBy(() => applyGroupOperation(state, flipped))).toBe(
            CoreErrorCode.GroupOperationInvalid,
          );
        }
      }
    }
  });

  it('refuses random bytes with CORE_GROUP_OPERATION_INVALID', () => {
    const state = cases[0]?.state;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        expect(codeThrownBy(() => applyGroupOperation(state, bytes))).toBe(
          CoreErrorCode.GroupOperationInvalid,
        );
        expect(codeThrownBy(() => applyGroupOperation(undefined, bytes))).toBe(
          CoreErrorCode.GroupOperationInvalid,
        );
      }),
      { numRuns: 200 },
    );
  });
});
