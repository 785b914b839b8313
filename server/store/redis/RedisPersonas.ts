import {
  decodeOneTimePreKey,
  decodePersona,
  decodeSignedPreKey,
  encodeOneTimePreKey,
  encodePersona,
  encodeSignedPreKey,
  RecordFormatError,
} from '../records.js';
import type {
  DeliveryKeySet,
  StoredPersona,
  StoredPreKeyBundle,
  StoredPreKeyUpload,
} from '../RelayStore.js';
import { asBuffer, optionalBuffer, replyList } from './bytes.js';
import type { DurableWriter } from './DurableWriter.js';
import { callScript } from './luaScripts.js';
import type { ScriptArgument } from './luaScripts.js';
import type { RedisClient } from './redisConnection.js';
import type { PersonaKeys, RedisKeys } from './redisKeys.js';

/** A persona's record, delivery keys and prekeys: all in the persona's slot. */
export class RedisPersonas {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #writer: DurableWriter;

  constructor(redis: RedisClient, keys: RedisKeys, writer: DurableWriter) {
    this.#redis = redis;
    this.#keys = keys;
    this.#writer = writer;
  }

  async getPersona(address: string): Promise<StoredPersona | undefined> {
    const stored = await this.#redis.getBuffer(this.#keys.persona(address).persona);
    return stored === null ? undefined : decodePersona(address, stored);
  }

  async putPersona(persona: StoredPersona): Promise<void> {
    const key = this.#keys.persona(persona.address).persona;
    const record = asBuffer(encodePersona(persona));
    await this.#writer.write(key, (pipeline) => pipeline.set(key, record));
  }

  async getDeliveryKeys(address: string): Promise<DeliveryKeySet> {
    const stored = await this.#redis.hgetall(this.#keys.persona(address).deliveryKeys);
    // A new Map on every read: the set is immutable, each change makes a new one.
    return new Map(Object.entries(stored).map(([hash, expiresAt]) => [hash, Number(expiresAt)]));
  }

  async putDeliveryKey(address: string, hashHex: string, expiresAt: number): Promise<void> {
    const key = this.#keys.persona(address).deliveryKeys;
    await this.#writer.write(key, (pipeline) => pipeline.hset(key, hashHex, String(expiresAt)));
  }

  async deleteDeliveryKeys(address: string, hashesHex: readonly string[]): Promise<void> {
    if (hashesHex.length === 0) return;
    const key = this.#keys.persona(address).deliveryKeys;
    const hashes = [...hashesHex];
    await this.#writer.write(key, (pipeline) => pipeline.hdel(key, ...hashes));
  }

  async putPreKeys(address: string, upload: StoredPreKeyUpload): Promise<void> {
    const args: ScriptArgument[] = [
      upload.replaceOneTime === true ? '1' : '0',
      upload.signedPreKey === undefined ? '' : asBuffer(encodeSignedPreKey(upload.signedPreKey)),
      upload.lastResortKyberPreKey === undefined
        ? ''
        : asBuffer(encodeSignedPreKey(upload.lastResortKyberPreKey)),
      upload.oneTimePreKeys.length,
      ...upload.oneTimePreKeys.flatMap((key) => [
        String(key.id),
        asBuffer(encodeOneTimePreKey(key)),
      ]),
      upload.oneTimeKyberPreKeys.length,
      ...upload.oneTimeKyberPreKeys.flatMap((key) => [
        String(key.id),
        asBuffer(encodeSignedPreKey(key)),
      ]),
    ];
    const keys = preKeyList(this.#keys.persona(address));
    await this.#writer.write(keys[0] ?? '', (pipeline) => {
      callScript(pipeline, 'kindredPutPreKeys', keys, args);
    });
  }

  async takePreKeyBundle(address: string): Promise<StoredPreKeyBundle | undefined> {
    const keys = preKeyList(this.#keys.persona(address));
    const [reply] = await this.#writer.write(keys[0] ?? '', (pipeline) => {
      callScript(pipeline, 'kindredTakePreKeyBundle', keys, [], true);
    });
    if (reply === null || reply === undefined) return undefined;
    const [signed, kyber, preKey] = replyList(reply).map(optionalBuffer);
    if (signed === undefined || kyber === undefined) {
      throw new RecordFormatError('prekey bundle incomplete');
    }
    const bundle = {
      signedPreKey: decodeSignedPreKey(signed),
      kyberPreKey: decodeSignedPreKey(kyber),
    };
    return preKey === undefined ? bundle : { ...bundle, preKey: decodeOneTimePreKey(preKey) };
  }

  async countPreKeys(
    address: string,
  ): Promise<{ oneTimePreKeys: number; oneTimeKyberPreKeys: number }> {
    const keys = this.#keys.persona(address);
    const [oneTime, oneTimeKyber] = await this.#writer.read((pipeline) =>
      pipeline.hlen(keys.oneTime).hlen(keys.oneTimeKyber),
    );
    return { oneTimePreKeys: Number(oneTime), oneTimeKyberPreKeys: Number(oneTimeKyber) };
  }
}

function preKeyList(keys: PersonaKeys): string[] {
  return [keys.preKeys, keys.oneTime, keys.oneTimeIds, keys.oneTimeKyber, keys.oneTimeKyberIds];
}
