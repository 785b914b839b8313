import { decodeEnvelopeValue, encodeEnvelopeValue } from '../records.js';
import type { MailboxListener, NewEnvelope, StoredEnvelope } from '../RelayStore.js';
import { asBuffer, optionalBuffer, plainBytes, replyList } from './bytes.js';
import type { DurableWriter } from './DurableWriter.js';
import { callScript } from './luaScripts.js';
import type { ScriptArgument } from './luaScripts.js';
import type { RedisClient } from './redisConnection.js';
import { mailboxKeyList, mailboxKeys } from './redisKeys.js';
import type { RedisKeys } from './redisKeys.js';
import type { RedisWakeups } from './RedisWakeups.js';
import { decodeMailboxWake, encodeMailboxWake } from './mailboxWake.js';
import { sweepPrimaries } from './scanPrimaries.js';

/**
 * Mailboxes: one per persona, in the persona's slot. An append is one script per mailbox (ids
 * from the mailbox's counter, per-tag counts in the same step), made durable, then announced on
 * the mailbox's channel with the envelopes it appended (mailboxWake.ts).
 */
export class RedisMailboxes {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #writer: DurableWriter;
  readonly #wakeups: RedisWakeups;

  constructor(redis: RedisClient, keys: RedisKeys, writer: DurableWriter, wakeups: RedisWakeups) {
    this.#redis = redis;
    this.#keys = keys;
    this.#writer = writer;
    this.#wakeups = wakeups;
  }

  /**
   * One durable script per recipient, all sent at once (each goes to its slot's primary). A call
   * that names several recipients is not atomic across them: when one mailbox's write fails the
   * call rejects, and the others may hold their envelopes.
   */
  async appendEnvelopes(envelopes: readonly NewEnvelope[]): Promise<bigint[]> {
    // Encoded first, synchronously: the caller may reuse its buffers once this returns.
    const byRecipient = new Map<
      string,
      { positions: number[]; args: ScriptArgument[]; values: Uint8Array[] }
    >();
    envelopes.forEach((envelope, position) => {
      let batch = byRecipient.get(envelope.recipient);
      if (batch === undefined) {
        batch = { positions: [], args: [], values: [] };
        byRecipient.set(envelope.recipient, batch);
      }
      const value = encodeEnvelopeValue(envelope.receivedAt, envelope.sealed, envelope.keyTag);
      batch.positions.push(position);
      batch.values.push(value);
      batch.args.push(
        asBuffer(value),
        String(envelope.receivedAt),
        envelope.expiresAt === undefined ? '' : String(envelope.expiresAt),
        envelope.keyTag ?? '',
      );
    });
    const ids: bigint[] = new Array<bigint>(envelopes.length).fill(0n);
    const channels: (readonly [string, Buffer | ''])[] = [];
    await Promise.all(
      [...byRecipient].map(async ([recipient, batch]) => {
        const keys = mailboxKeyList(this.#keys.mailbox(recipient));
        const [reply] = await this.#writer.write(keys[0] ?? '', (pipeline) => {
          callScript(pipeline, 'kindredAppendEnvelopes', keys, [
            batch.positions.length,
            ...batch.args,
          ]);
        });
        const appended = replyList(reply).map((reply, i) => {
          const id = BigInt(String(reply));
          const position = batch.positions[i];
          if (position !== undefined) ids[position] = id;
          return { id, value: batch.values[i] ?? new Uint8Array() };
        });
        channels.push([this.#keys.persona(recipient).mailboxChannel, encodeMailboxWake(appended)]);
      }),
    );
    // Recipients' channels are independent: all announced at once.
    await this.#wakeups.publish(channels, false);
    return ids;
  }

  async readMailbox(address: string, afterId: bigint, limit: number): Promise<StoredEnvelope[]> {
    if (!(limit > 0)) return [];
    const keys = this.#keys.mailbox(address);
    const reply = await callScript(
      this.#redis,
      'kindredReadMailbox',
      [keys.envelopes, keys.ids],
      [afterId.toString(), Math.floor(limit)],
      true,
    );
    const flat = replyList(reply);
    const out: StoredEnvelope[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const id = optionalBuffer(flat[i]);
      const value = optionalBuffer(flat[i + 1]);
      if (id === undefined || value === undefined) continue;
      const decoded = decodeEnvelopeValue(value);
      out.push({
        id: BigInt(id.toString()),
        sealed: plainBytes(decoded.sealed),
        receivedAt: decoded.receivedAt,
      });
    }
    return out;
  }

  async deleteEnvelopes(address: string, ids: readonly bigint[]): Promise<void> {
    if (ids.length === 0) return;
    const keys = mailboxKeyList(this.#keys.mailbox(address));
    const args = ids.map((id) => id.toString());
    await this.#writer.write(keys[0] ?? '', (pipeline) => {
      callScript(pipeline, 'kindredDeleteEnvelopes', keys, args);
    });
  }

  async mailboxDepth(address: string): Promise<number> {
    return this.#redis.zcard(this.#keys.mailbox(address).ids);
  }

  async mailboxKeyDepth(address: string, keyTag: string): Promise<number> {
    const count = await this.#redis.hget(this.#keys.mailbox(address).tags, keyTag);
    return count === null ? 0 : Math.max(0, Number(count));
  }

  /** ZCARD of every mailbox's id set: empty mailboxes have none (Redis drops empty sets). */
  async mailboxDepths(): Promise<number[]> {
    const depths = await sweepPrimaries(this.#redis, this.#keys.patterns.mailboxIds, (base) =>
      this.#redis.zcard(mailboxKeys(base).ids),
    );
    return depths.filter((depth) => depth > 0);
  }

  async expireEnvelopes(cutoff: number): Promise<number> {
    return this.#sweep(this.#keys.patterns.mailboxReceived, 'kindredExpireEnvelopes', cutoff);
  }

  async expireDueEnvelopes(now: number): Promise<number> {
    return this.#sweep(this.#keys.patterns.mailboxDue, 'kindredExpireDueEnvelopes', now);
  }

  /**
   * Passes on the envelopes a wake-up carries only when they are the very next ones this
   * subscription has heard of (ids from the mailbox's counter go up by one): appends through
   * different nodes may be announced out of order, or a message lost while the subscriber
   * reconnected, and a reader must never be handed an envelope past one it has not seen. Anything
   * else is a bare wake-up, and the reader reads the mailbox.
   */
  subscribeMailbox(address: string, listener: MailboxListener): () => void {
    let lastHeard: bigint | undefined;
    return this.#wakeups.subscribe(this.#keys.persona(address).mailboxChannel, (message) => {
      const appended = decodeMailboxWake(message);
      const first = appended?.[0];
      const last = appended?.[appended.length - 1];
      const next = lastHeard !== undefined && first?.id === lastHeard + 1n;
      if (last !== undefined && (lastHeard === undefined || last.id > lastHeard)) {
        lastHeard = last.id;
      }
      if (next) listener(appended);
      else listener();
    });
  }

  async #sweep(
    pattern: { readonly match: string; readonly suffix: string },
    script: 'kindredExpireEnvelopes' | 'kindredExpireDueEnvelopes',
    bound: number,
  ): Promise<number> {
    const removed = await sweepPrimaries(this.#redis, pattern, async (base) => {
      const keys = mailboxKeyList(mailboxKeys(base));
      const [count] = await this.#writer.write(keys[0] ?? '', (pipeline) => {
        callScript(pipeline, script, keys, [numberArgument(bound)]);
      });
      return Number(count);
    });
    return removed.reduce((sum, count) => sum + count, 0);
  }
}

/** A bound as Redis parses it (Infinity and NaN have no decimal form). */
function numberArgument(value: number): string {
  if (Number.isNaN(value)) return '-inf';
  if (value === Number.POSITIVE_INFINITY) return '+inf';
  if (value === Number.NEGATIVE_INFINITY) return '-inf';
  return String(value);
}
