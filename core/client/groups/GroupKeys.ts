import { concatBytes, toHex } from '../../bytes/bytes.js';
import { decodeGroupOperation, logKeyHash } from '../../groups/GroupRules.js';
import { GroupSecret } from '../../groups/GroupSecret.js';
import type { GroupState } from '../../groups/GroupState.js';
import type { PersonaState } from '../PersonaState.js';

/** Candidate secrets kept per group before the log confirms one (a flood is dropped). */
export const MAX_EPOCH_CANDIDATES = 64;

/**
 * The epoch secrets a persona holds for its groups. A secret is taken only once the verified log
 * names its log-key hash for an epoch; from the newest one held, every older one is recovered by
 * opening the previous secret each rotation carries (and checking it against the log too). A
 * holder of an old secret never learns a newer one from the log. Every method runs inside a
 * transaction of the persona's state.
 */
export class GroupKeys {
  readonly #state: PersonaState;

  constructor(state: PersonaState) {
    this.#state = state;
  }

  /** The secret of `epoch`, when held. */
  async secret(groupId: Uint8Array, epoch: number): Promise<GroupSecret | undefined> {
    const groups = this.#state.groups;
    const bytes = await groups.epochSecret(groupId, epoch);
    if (bytes !== undefined) return GroupSecret.from(bytes);
    if (epoch !== 0) return undefined;
    // Groups from before epochs kept their one secret in the record.
    const record = await groups.get(groupId);
    return record?.secret.length === 32 ? GroupSecret.from(record.secret) : undefined;
  }

  /** The current epoch's secret, when held: what we seal with and read the log with. */
  async current(groupId: Uint8Array, state: GroupState): Promise<GroupSecret | undefined> {
    return this.secret(groupId, state.epoch);
  }

  /** Every secret held, the one of `preferred` first, then newest to oldest. */
  async held(groupId: Uint8Array, state: GroupState, preferred?: number): Promise<GroupSecret[]> {
    const secrets: GroupSecret[] = [];
    const first = preferred === undefined ? undefined : await this.secret(groupId, preferred);
    if (first !== undefined) secrets.push(first);
    for (let epoch = state.epoch; epoch >= 0; epoch--) {
      if (epoch === preferred) continue;
      const secret = await this.secret(groupId, epoch);
      if (secret !== undefined) secrets.push(secret);
    }
    return secrets;
  }

  /** Keeps a secret a member sent (or we made) until the log confirms it. */
  async offer(groupId: Uint8Array, secret: GroupSecret): Promise<void> {
    const groups = this.#state.groups;
    const hash = toHex(logKeyHash(secret.logKey()));
    if ((await groups.countEpochCandidates(groupId)) >= MAX_EPOCH_CANDIDATES) return;
    await groups.putEpochCandidate(groupId, hash, secret.bytes);
  }

  /**
   * Takes up every candidate whose log-key hash the log names for an epoch, then walks back from
   * the newest secret held. True when we now hold a secret we did not before.
   */
  async settle(groupId: Uint8Array, state: GroupState): Promise<boolean> {
    const groups = this.#state.groups;
    let gained = false;
    const byHash = new Map(state.epochs.map((epoch) => [toHex(epoch.logKeyHash), epoch.epoch]));
    for (const candidate of await groups.epochCandidates(groupId)) {
      const epoch = byHash.get(candidate.hash);
      if (epoch === undefined) continue;
      await groups.deleteEpochCandidate(groupId, candidate.hash);
      if ((await groups.epochSecret(groupId, epoch)) !== undefined) continue;
      await groups.putEpochSecret(groupId, epoch, candidate.secret);
      gained = true;
    }
    return (await this.#walkBack(groupId, state)) || gained;
  }

  async #walkBack(groupId: Uint8Array, state: GroupState): Promise<boolean> {
    const groups = this.#state.groups;
    let gained = false;
    for (let epoch = state.epoch; epoch > 0; epoch--) {
      const newer = await this.secret(groupId, epoch);
      if (newer === undefined || (await this.secret(groupId, epoch - 1)) !== undefined) continue;
      const start = state.epochs[epoch]?.startSequence;
      const expected = state.epochs[epoch - 1]?.logKeyHash;
      if (start === undefined || expected === undefined) continue;
      const signed = await groups.operation(groupId, start);
      if (signed === undefined) continue;
      const action = decodeGroupOperation(signed).action;
      if (action.case !== 'rotateEpoch') continue;
      let previous: GroupSecret;
      try {
        previous = GroupSecret.from(
          await newer.open(
            'epoch',
            action.value.sealedPreviousSecret,
            epochContext(groupId, epoch - 1),
          ),
        );
      } catch {
        continue;
      }
      if (toHex(logKeyHash(previous.logKey())) !== toHex(expected)) continue;
      await groups.putEpochSecret(groupId, epoch - 1, previous.bytes);
      // The next turn of the loop goes on down from the secret just recovered.
      gained = true;
    }
    return gained;
  }
}

/** What the previous epoch's secret is sealed with (bound to the group and that epoch). */
export function epochContext(groupId: Uint8Array, epoch: number): Uint8Array {
  const number = new Uint8Array(8);
  new DataView(number.buffer).setBigUint64(0, BigInt(epoch));
  return concatBytes(groupId, number);
}
