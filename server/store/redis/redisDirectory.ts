import {
  DIRECTORY_REMOVALS_KEPT,
  byGroupId,
  byIssuedAt,
  byReceivedAt,
  decodeCredential,
  encodeCredential,
} from '../directoryRecords.js';
import type {
  StoredCredential,
  StoredDirectory,
  StoredListingRequest,
} from '../directoryRecords.js';
import {
  RecordFormatError,
  float64Bytes,
  packFields,
  readFloat64,
  unpackFields,
} from '../records.js';
import { asBuffer, optionalBuffer, replyList } from './bytes.js';
import type { DurableWriter } from './DurableWriter.js';
import { callScript } from './luaScripts.js';
import type { RedisClient } from './redisConnection.js';

/**
 * The directory's records on Redis (RelayStore's directory methods for RedisRelayStore). Every
 * key shares the hash tag `{dir}`, so one Lua script changes an entry and bumps the version
 * atomically, even on a Redis Cluster: the directory is small (an operator approves each entry)
 * and one slot holds it well. Writes are durable as the store's others (DurableWriter).
 */
export class RedisDirectoryRecords {
  readonly #redis: RedisClient;
  readonly #writer: DurableWriter;
  readonly #keys: {
    readonly version: string;
    readonly floor: string;
    readonly entries: string;
    readonly entryVersions: string;
    readonly removals: string;
    readonly revocations: string;
    readonly requests: string;
    readonly credentials: string;
  };

  constructor(redis: RedisClient, prefix: string, writer: DurableWriter) {
    this.#redis = redis;
    this.#writer = writer;
    const key = (name: string): string => `${prefix}{dir}:${name}`;
    this.#keys = {
      version: key('v'),
      floor: key('f'),
      entries: key('e'),
      entryVersions: key('ev'),
      removals: key('r'),
      revocations: key('x'),
      requests: key('q'),
      credentials: key('c'),
    };
  }

  async putListingRequest(request: StoredListingRequest): Promise<void> {
    const key = this.#keys.requests;
    const value = asBuffer(packFields([float64Bytes(request.receivedAt), request.signedListing]));
    await this.#writer.write(key, (pipeline) => pipeline.hset(key, hex(request.groupId), value));
  }

  async listingRequests(): Promise<StoredListingRequest[]> {
    const fields = await this.#redis.hgetallBuffer(this.#keys.requests);
    return Object.entries(fields)
      .map(([group, value]) => requestOf(group, value))
      .sort(byReceivedAt);
  }

  async deleteListingRequest(groupId: Uint8Array): Promise<StoredListingRequest | undefined> {
    const key = this.#keys.requests;
    const value = await this.#redis.hgetBuffer(key, hex(groupId));
    if (value === null) return undefined;
    const [deleted] = await this.#writer.write(key, (pipeline) => pipeline.hdel(key, hex(groupId)));
    return Number(deleted) === 1 ? requestOf(hex(groupId), value) : undefined;
  }

  async listDirectoryEntry(groupId: Uint8Array, entry: Uint8Array): Promise<number> {
    const k = this.#keys;
    const [version] = await this.#writer.write(k.version, (pipeline) => {
      callScript(
        pipeline,
        'kindredDirectoryList',
        [k.version, k.entries, k.entryVersions, k.removals],
        [hex(groupId), asBuffer(entry)],
      );
    });
    return versionOf(version);
  }

  async unlistDirectoryEntry(groupId: Uint8Array): Promise<number | undefined> {
    const k = this.#keys;
    const [version] = await this.#writer.write(k.version, (pipeline) => {
      callScript(
        pipeline,
        'kindredDirectoryUnlist',
        [k.version, k.entries, k.entryVersions, k.removals, k.floor],
        [hex(groupId), DIRECTORY_REMOVALS_KEPT],
      );
    });
    return version === null || version === undefined ? undefined : versionOf(version);
  }

  async putDirectoryRevocations(list: Uint8Array): Promise<number> {
    const k = this.#keys;
    const [version] = await this.#writer.write(k.version, (pipeline) => {
      callScript(
        pipeline,
        'kindredDirectoryRevocations',
        [k.version, k.revocations],
        [asBuffer(list)],
      );
    });
    return versionOf(version);
  }

  async directoryVersion(): Promise<number> {
    return versionOf((await this.#redis.get(this.#keys.version)) ?? 0);
  }

  async readDirectory(): Promise<StoredDirectory> {
    const k = this.#keys;
    const reply = replyList(
      await callScript(
        this.#redis,
        'kindredDirectoryRead',
        [k.version, k.floor, k.entries, k.entryVersions, k.removals, k.revocations],
        [],
        true,
      ),
    );
    const [version, floor, entries, entryVersions, removals, revocations] = reply;
    const changedAt = new Map(pairsOf(entryVersions).map(([group, v]) => [group, numberOf(v)]));
    return {
      version: numberOf(version),
      floor: numberOf(floor),
      entries: pairsOf(entries)
        .map(([group, entry]) => ({
          groupId: fromHex(group),
          entry: new Uint8Array(entry),
          changedAt: changedAt.get(group) ?? 0,
        }))
        .sort(byGroupId),
      removals: pairsOf(removals)
        .map(([group, removedAt]) => ({ groupId: fromHex(group), removedAt: numberOf(removedAt) }))
        .sort(byGroupId),
      revocations:
        optionalBuffer(revocations) === undefined
          ? undefined
          : new Uint8Array(revocations as Buffer),
    };
  }

  async putIssuedCredential(credential: StoredCredential): Promise<void> {
    const key = this.#keys.credentials;
    await this.#writer.write(key, (pipeline) =>
      pipeline.hset(key, credential.credentialId, encodeCredential(credential)),
    );
  }

  async issuedCredentials(): Promise<StoredCredential[]> {
    const fields = await this.#redis.hgetall(this.#keys.credentials);
    return Object.values(fields)
      .map((text) => decodeCredential(text))
      .filter((credential) => credential !== undefined)
      .sort(byIssuedAt);
  }
}

function requestOf(group: string, value: Buffer): StoredListingRequest {
  const [receivedAt, signedListing] = unpackFields(value, 2) as [Uint8Array, Uint8Array];
  return { groupId: fromHex(group), signedListing, receivedAt: readFloat64(receivedAt) };
}

/** An HGETALL reply (with Buffers) as [field, value] pairs. */
function pairsOf(reply: unknown): [string, Buffer][] {
  const list = replyList(reply);
  const pairs: [string, Buffer][] = [];
  for (let i = 0; i + 1 < list.length; i += 2) {
    const field = optionalBuffer(list[i]);
    const value = optionalBuffer(list[i + 1]);
    if (field === undefined || value === undefined) throw new RecordFormatError('bad directory');
    pairs.push([field.toString('utf8'), value]);
  }
  return pairs;
}

function numberOf(reply: unknown): number {
  const value = Number(Buffer.isBuffer(reply) ? reply.toString('utf8') : reply);
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RecordFormatError('bad directory number');
  return value;
}

function versionOf(reply: unknown): number {
  return numberOf(reply);
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

function fromHex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}
