import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { fromBase64Url } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { SignedRevocationList } from '../../protocol/gen/kindred_pb.js';
import { SignedRevocationListSchema } from '../../protocol/gen/kindred_pb.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';
import { RecordReader, encodeRecord } from '../jsonRecord.js';

/**
 * What a persona keeps in its vault about facilitator credentials (docs/directory.md,
 * "Facilitators"): the operator key its relay's trust root endorsed, the newest revocation list it
 * has seen, and the credentials it shows itself.
 */
const OPERATOR_KEY = 'client/operator-key';
const REVOCATIONS_KEY = 'client/revocations';
const OWN_CREDENTIALS_KEY = 'client/facilitator-credentials';

/** The relay's operator key with the trust root's endorsement it came with (Challenge 7 and 8). */
export interface EndorsedOperatorKey {
  readonly operatorKey: Uint8Array;
  readonly endorsement: Uint8Array;
}

export async function readOperatorKey(
  store: KeyValueStore,
): Promise<EndorsedOperatorKey | undefined> {
  const bytes = await store.get(OPERATOR_KEY);
  if (bytes === undefined) return undefined;
  const r = RecordReader.decode(bytes, 'operator key');
  return { operatorKey: r.bytes('operatorKey'), endorsement: r.bytes('endorsement') };
}

export async function writeOperatorKey(
  store: KeyValueStore,
  key: EndorsedOperatorKey,
): Promise<void> {
  await store.put(OPERATOR_KEY, encodeRecord(key));
}

/** The newest signed revocation list kept, as the relay served it (checked again when read). */
export async function readRevocations(
  store: KeyValueStore,
): Promise<SignedRevocationList | undefined> {
  const bytes = await store.get(REVOCATIONS_KEY);
  return bytes === undefined ? undefined : fromBinary(SignedRevocationListSchema, bytes);
}

export async function writeRevocations(
  store: KeyValueStore,
  list: SignedRevocationList,
): Promise<void> {
  await store.put(REVOCATIONS_KEY, toBinary(SignedRevocationListSchema, list));
}

/** The SignedFacilitatorCredentials this persona holds, in the order it added them. */
export async function readOwnCredentials(store: KeyValueStore): Promise<Uint8Array[]> {
  const bytes = await store.get(OWN_CREDENTIALS_KEY);
  if (bytes === undefined) return [];
  const r = RecordReader.decode(bytes, 'facilitator credentials');
  return r.strings('credentials').map((text) => {
    const credential = fromBase64Url(text);
    if (credential === undefined) {
      throw new CoreError(CoreErrorCode.VaultCorrupt, 'facilitator credentials record malformed');
    }
    return credential;
  });
}

export async function writeOwnCredentials(
  store: KeyValueStore,
  credentials: readonly Uint8Array[],
): Promise<void> {
  await store.put(OWN_CREDENTIALS_KEY, encodeRecord({ credentials }));
}
