import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';
import { RecordReader, encodeRecord } from './jsonRecord.js';

const PROFILE_KEY = 'client/profile';
const CERTIFICATE_KEY = 'client/sender-certificate';

/** What the client pinned at init and the secrets it needs to be reached. */
export interface ClientProfileData {
  /** The relay, pinned on first use: its URL, sealed-sender trust root and stable id. */
  readonly relayUrl: string;
  readonly trustRoot: Uint8Array;
  readonly relayId: Uint8Array;
  readonly allowInsecureTransport: boolean;
  /** The delivery access key contacts present to the relay; the relay holds only its hash. */
  readonly accessKey: Uint8Array;
  readonly registeredAt: number;
}

export async function readClientProfile(store: KeyValueStore): Promise<ClientProfileData> {
  const bytes = await store.get(PROFILE_KEY);
  if (bytes === undefined) {
    throw new CoreError(CoreErrorCode.PersonaNotFound, 'this persona is not set up for a relay');
  }
  const r = RecordReader.decode(bytes, 'client profile');
  return {
    relayUrl: r.string('relayUrl'),
    trustRoot: r.bytes('trustRoot'),
    relayId: r.bytes('relayId'),
    allowInsecureTransport: r.boolean('allowInsecureTransport'),
    accessKey: r.bytes('accessKey'),
    registeredAt: r.number('registeredAt'),
  };
}

export async function writeClientProfile(
  store: KeyValueStore,
  profile: ClientProfileData,
): Promise<void> {
  await store.put(PROFILE_KEY, encodeRecord(profile));
}

/** A sender certificate the relay issued, with its expiry (ms since the epoch). */
export interface StoredSenderCertificate {
  readonly certificate: Uint8Array;
  readonly expiresAt: number;
}

export async function readSenderCertificate(
  store: KeyValueStore,
): Promise<StoredSenderCertificate | undefined> {
  const bytes = await store.get(CERTIFICATE_KEY);
  if (bytes === undefined) return undefined;
  const r = RecordReader.decode(bytes, 'sender certificate');
  return { certificate: r.bytes('certificate'), expiresAt: r.number('expiresAt') };
}

export async function writeSenderCertificate(
  store: KeyValueStore,
  certificate: StoredSenderCertificate,
): Promise<void> {
  await store.put(CERTIFICATE_KEY, encodeRecord(certificate));
}
