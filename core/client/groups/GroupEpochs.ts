import { toHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { logKeyHash } from '../../groups/GroupRules.js';
import { GroupSecret } from '../../groups/GroupSecret.js';
import { toCoreError } from '../../signal/signalErrors.js';
import type { PersonaState } from '../PersonaState.js';
import { currentSecret, isGroupRefusal } from './groupAccess.js';
import type { GroupSessionOptions } from './groupContext.js';
import type { GroupInbound } from './GroupInbound.js';
import { epochContext } from './GroupKeys.js';
import type { GroupLog } from './GroupLog.js';
import type { GroupPoster } from './GroupPoster.js';
import { queueDirect } from './GroupPoster.js';

/** A plain member waits this long at most (a random while) before rotating after a leave. */
const MEMBER_ROTATION_DELAY_MS = 3000;

/**
 * A group's epochs: starting the next one (a new secret, sent 1:1 to every other member, then the
 * signed rotation) after someone leaves or on a moderator's word, and reading on once a secret we
 * lacked arrives.
 */
export class GroupEpochs {
  readonly #options: GroupSessionOptions;
  readonly #log: GroupLog;
  readonly #inbound: GroupInbound;
  readonly #poster: GroupPoster;

  /** Groups whose rotation is scheduled or running (one at a time per group). */
  readonly #rotating = new Set<string>();

  constructor(
    options: GroupSessionOptions,
    parts: { log: GroupLog; inbound: GroupInbound; poster: GroupPoster },
  ) {
    this.#options = options;
    this.#log = parts.log;
    this.#inbound = parts.inbound;
    this.#poster = parts.poster;
  }

  get #state(): PersonaState {
    return this.#options.state;
  }

  get #address(): string {
    return this.#state.persona.address;
  }

  /**
   * After a departure, while we are a member: a moderator (or the owner) rotates at once; a plain
   * member after a short random wait, and only if nobody has by then, so a crowd does not race.
   */
  schedule(groupId: Uint8Array): void {
    const key = toHex(groupId);
    if (this.#rotating.has(key)) return;
    this.#rotating.add(key);
    void (async () => {
      const role = await this.#state.transact(
        async () => (await this.#state.groups.state(groupId))?.members.get(this.#address)?.role,
      );
      if (role === 'member') await delay(Math.random() * MEMBER_ROTATION_DELAY_MS);
      await this.rotate(groupId, { revokeInvites: false, onlyIfDue: true });
    })()
      .catch((error: unknown) => {
        if (isGroupRefusal(error) || CoreError.is(error, CoreErrorCode.GroupKeyMissing)) return;
        this.#options.reportError(toCoreError(error, CoreErrorCode.Internal, 'group rotation'));
      })
      .finally(() => {
        this.#rotating.delete(key);
      });
  }

  /**
   * Starts the next epoch: a new secret, queued 1:1 (in the durable outbox, before the rotation
   * is submitted, so a crash cannot leave the group with a secret nobody was sent) to every other
   * member, then the signed rotate_epoch carrying the previous secret sealed under the new one.
   * Losing a race to another member's rotation is no failure: ours is dropped (its secret never
   * matches the log, so members who got it drop it too). True when ours landed.
   */
  async rotate(
    groupId: Uint8Array,
    options: { revokeInvites: boolean; onlyIfDue: boolean },
  ): Promise<boolean> {
    const state = this.#state;
    await this.#log.sync(groupId);
    const current = await state.transact(() => state.groups.requireState(groupId));
    if (options.onlyIfDue && !current.rotationDue) return false;
    if (!current.members.has(this.#address)) return false;
    const previous = await currentSecret(state, this.#log.keys, groupId, current);
    const next = GroupSecret.generate();
    const epoch = current.epoch + 1;
    const sealedPreviousSecret = await next.seal(
      'epoch',
      previous.bytes,
      epochContext(groupId, current.epoch),
    );
    const joinKey = (await next.joinKeyPair()).publicKey;
    await state.transact(async () => {
      await this.#log.keys.offer(groupId, next);
      for (const address of current.members.keys()) {
        if (address === this.#address) continue;
        if ((await state.groups.peer(groupId, address)) === undefined) continue;
        await queueDirect(state, address, {
          case: 'groupEpochSecret',
          value: { groupId, epoch: BigInt(epoch), secret: next.bytes },
        });
        await state.groups.putEpochSentTo(groupId, address, epoch);
      }
    });
    await state.store.flush();
    this.#options.kickOutbox();
    try {
      await this.#log.submit(groupId, (latest) => {
        if (latest.epoch !== current.epoch || (options.onlyIfDue && !latest.rotationDue)) {
          throw new CoreError(CoreErrorCode.GroupConflict, 'another member rotated first');
        }
        return {
          case: 'rotateEpoch',
          value: {
            epoch: BigInt(epoch),
            logKeyHash: logKeyHash(next.logKey()),
            sealedPreviousSecret,
            revokeInvites: options.revokeInvites,
            joinKey,
          },
        };
      });
    } catch (error) {
      if (CoreError.is(error, CoreErrorCode.GroupConflict)) {
        await state.transact(() =>
          state.groups.deleteEpochCandidate(groupId, toHex(logKeyHash(next.logKey()))),
        );
        await state.store.flush();
        return false;
      }
      throw error;
    }
    return true;
  }

  /** We hold a secret we lacked: read on with it, open what waited for it, post what waited. */
  async afterKeysGained(groupId: Uint8Array): Promise<void> {
    await this.#log.sync(groupId);
    await this.#state.transact(async () => {
      const state = await this.#state.groups.state(groupId);
      if (state !== undefined) await this.#log.keys.settle(groupId, state);
      await this.#log.reopenProfiles(groupId);
    });
    await this.#state.store.flush();
    await this.#inbound.releaseEpochParked(groupId);
    this.#poster.kick();
    // A window showing "waiting for the group key" must hear that it came.
    this.#options.emit('groupKey', { groupId: toHex(groupId) });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
