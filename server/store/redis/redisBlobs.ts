import type { BlobRecord } from '../../blobs/BlobStore.js';
import { blobRecordFields } from '../blobRecords.js';
import type { BlobTotals, CountedBlobFetch } from '../blobRecords.js';
import { RecordFormatError } from '../records.js';
import { replyList } from './bytes.js';
import type { DurableWriter } from './DurableWriter.js';
import type { RedisClient } from './redisConnection.js';
import { sweepPrimaries } from './scanPrimaries.js';

/**
 * Each step on one blob is one Lua script over its one key (`{b:ID}`, a hash), so two nodes
 * acting on one blob at once (two last downloads, a download and the expiry sweep) are ordered
 * by Redis: exactly one of them deletes the record. Replies are the hash as HGETALL gives it
 * (nil: no record), plus `deleted 1` when the step deleted it.
 */
const CREATE = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'size', ARGV[1], 'tokenHash', ARGV[2], 'expectedFetches', ARGV[3],
  'fetches', ARGV[4], 'uploadExpiresAt', ARGV[5], 'expiresAt', ARGV[6], 'complete', ARGV[7])
return 1`;

const COMPLETE = `if redis.call('EXISTS', KEYS[1]) == 0 then return false end
redis.call('HSET', KEYS[1], 'complete', '1')
return redis.call('HGETALL', KEYS[1])`;

const COUNT_FETCH = `if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local fetches = redis.call('HINCRBY', KEYS[1], 'fetches', 1)
local record = redis.call('HGETALL', KEYS[1])
if fetches >= tonumber(redis.call('HGET', KEYS[1], 'expectedFetches')) then
  redis.call('DEL', KEYS[1])
  table.insert(record, 'deleted')
  table.insert(record, '1')
end
return record`;

const DELETE = `local record = redis.call('HGETALL', KEYS[1])
if #record == 0 then return false end
redis.call('DEL', KEYS[1])
return record`;

/** ARGV[1]: now (ms). Deletes the record only when it is expired by then. */
const EXPIRE = `local record = redis.call('HGETALL', KEYS[1])
if #record == 0 then return false end
local now = tonumber(ARGV[1])
local expiresAt = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
local complete = redis.call('HGET', KEYS[1], 'complete') == '1'
local uploadExpiresAt = tonumber(redis.call('HGET', KEYS[1], 'uploadExpiresAt'))
if now >= expiresAt or ((not complete) and now >= uploadExpiresAt) then
  redis.call('DEL', KEYS[1])
  return record
end
return false`;

/**
 * Blob records on Redis (RelayStore's blob methods for RedisRelayStore), shared by every relay
 * node. One hash per blob under the hash tag `{b:ID}`; the relay-wide totals (how many blobs, how
 * many bytes, for maxStoredBlobs and maxBlobStorageBytes) in one hash, `blobs:totals`, changed by
 * whoever created or deleted a record, after that step. Every write is durable as the store's
 * others are (DurableWriter: AOF fsync, then WAIT for replicas). The expiry sweep SCANs every
 * primary for `{b:*}`: it runs under the cluster's job lease, once every few minutes.
 */
export class RedisBlobRecords {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #writer: DurableWriter;

  constructor(redis: RedisClient, prefix: string, writer: DurableWriter) {
    this.#redis = redis;
    this.#prefix = prefix;
    this.#writer = writer;
  }

  async create(record: BlobRecord): Promise<boolean> {
    const key = this.#key(record.id);
    const r = blobRecordFields(record);
    const [created] = await this.#writer.write(key, (pipeline) =>
      pipeline.eval(
        CREATE,
        1,
        key,
        String(r.size),
        r.tokenHash,
        String(r.expectedFetches),
        String(r.fetches),
        String(r.uploadExpiresAt),
        String(r.expiresAt),
        r.complete ? '1' : '0',
      ),
    );
    if (Number(created) !== 1) return false;
    await this.#changeTotals(1, r.size);
    return true;
  }

  async get(id: string): Promise<BlobRecord | undefined> {
    const fields = await this.#redis.hgetall(this.#key(id));
    return Object.keys(fields).length === 0 ? undefined : recordOf(id, fields);
  }

  async complete(id: string): Promise<BlobRecord | undefined> {
    const reply = await this.#step(id, COMPLETE);
    return reply === undefined ? undefined : recordOf(id, reply);
  }

  async countFetch(id: string): Promise<CountedBlobFetch | undefined> {
    const reply = await this.#step(id, COUNT_FETCH);
    if (reply === undefined) return undefined;
    const record = recordOf(id, reply);
    const deleted = reply.deleted === '1';
    if (deleted) await this.#changeTotals(-1, -record.size);
    return { record, deleted };
  }

  async delete(id: string): Promise<BlobRecord | undefined> {
    const reply = await this.#step(id, DELETE);
    if (reply === undefined) return undefined;
    const record = recordOf(id, reply);
    await this.#changeTotals(-1, -record.size);
    return record;
  }

  async expire(now: number): Promise<BlobRecord[]> {
    const pattern = { match: `${escapeGlob(this.#prefix)}{b:*}`, suffix: '' };
    const base = `${this.#prefix}{b:`;
    const expired = await sweepPrimaries(this.#redis, pattern, async (key) => {
      if (!key.startsWith(base) || !key.endsWith('}')) return undefined;
      const id = key.slice(base.length, -1);
      const reply = await this.#step(id, EXPIRE, String(now));
      if (reply === undefined) return undefined;
      const record = recordOf(id, reply);
      await this.#changeTotals(-1, -record.size);
      return record;
    });
    return expired.filter((record) => record !== undefined);
  }

  async totals(): Promise<BlobTotals> {
    const [count, bytes] = await this.#redis.hmget(this.#totalsKey(), 'count', 'bytes');
    return { count: Math.max(0, Number(count ?? 0)), bytes: Math.max(0, Number(bytes ?? 0)) };
  }

  /** Runs one blob's script durably; its reply as fields, undefined for nil. */
  async #step(id: string, script: string, ...args: string[]): Promise<Fields | undefined> {
    const key = this.#key(id);
    const [reply] = await this.#writer.write(key, (pipeline) =>
      pipeline.eval(script, 1, key, ...args),
    );
    if (reply === null || reply === undefined) return undefined;
    return fieldsOf(replyList(reply));
  }

  async #changeTotals(count: number, bytes: number): Promise<void> {
    const key = this.#totalsKey();
    await this.#writer.write(key, (pipeline) =>
      pipeline.hincrby(key, 'count', count).hincrby(key, 'bytes', bytes),
    );
  }

  #key(id: string): string {
    if (!/^[0-9a-f]{1,128}$/.test(id)) throw new RecordFormatError('bad blob id');
    return `${this.#prefix}{b:${id}}`;
  }

  #totalsKey(): string {
    return `${this.#prefix}blobs:totals`;
  }
}

type Fields = Record<string, string>;

function fieldsOf(list: readonly unknown[]): Fields {
  const fields: Fields = {};
  for (let i = 0; i + 1 < list.length; i += 2) fields[String(list[i])] = String(list[i + 1]);
  return fields;
}

function recordOf(id: string, fields: Fields): BlobRecord {
  const number = (name: string): number => {
    const value = Number(fields[name]);
    if (!Number.isSafeInteger(value) || value < 0) throw new RecordFormatError('bad blob record');
    return value;
  };
  const tokenHash = fields.tokenHash;
  if (tokenHash === undefined) throw new RecordFormatError('bad blob record');
  return {
    id,
    size: number('size'),
    tokenHash,
    expectedFetches: number('expectedFetches'),
    fetches: number('fetches'),
    uploadExpiresAt: number('uploadExpiresAt'),
    expiresAt: number('expiresAt'),
    complete: fields.complete === '1',
  };
}

/** A key prefix as a literal in a SCAN MATCH pattern. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}
