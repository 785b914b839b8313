import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RELAY_ID_BYTES, SenderCertificateIssuer, toBase64Url } from '../core/index.js';
import { RelayConfigError } from './RelayError.js';
import { packFields, unpackFields } from './store/records.js';
import type { RelayStore } from './store/RelayStore.js';

export const RELAY_ID_SETTING = 'relay-id';
const ISSUER_SETTING = 'sender-certificate-issuer';
/** Written once, on first start, for the operator to move offline (docs/running-a-relay.md). */
export const TRUST_ROOT_KEY_FILE = 'trust-root.key';

/** What makes this relay itself: its stable id and its sealed-sender certificate authority. */
export interface RelayIdentity {
  readonly relayId: Uint8Array;
  readonly issuer: SenderCertificateIssuer;
  /**
   * The trust root's private key, only on the start that created it (it is not kept in the
   * store): the one moment the relay can endorse its operator key by itself.
   */
  readonly trustRootPrivateKey?: Uint8Array;
}

/**
 * Reads the relay id and the sender-certificate issuer from the store's settings, creating both
 * on first start. Each is claimed (`claimSetting`), so relay nodes started at once on an empty
 * shared store agree on one relay id and one trust root. The trust root's private key is not
 * needed to run; the node whose issuer was kept writes it to its data folder once, so the
 * operator can later certify a new server key under the same trust root that clients have pinned.
 */
export async function loadRelayIdentity(
  store: RelayStore,
  dataDir: string | undefined,
): Promise<RelayIdentity> {
  const relayId =
    (await store.getSetting(RELAY_ID_SETTING)) ??
    (await store.claimSetting(RELAY_ID_SETTING, new Uint8Array(randomBytes(RELAY_ID_BYTES))));
  if (relayId.length !== RELAY_ID_BYTES) {
    throw new RelayConfigError('stored relay id is malformed');
  }

  const stored = await store.getSetting(ISSUER_SETTING);
  if (stored !== undefined) return { relayId, issuer: decodeIssuer(stored) };

  const { issuer, trustRootPrivateKey } = SenderCertificateIssuer.generate();
  const record = issuer.toRecord();
  const packed = packFields([record.trustRoot, record.serverKey, record.serverCertificate]);
  const kept = await store.claimSetting(ISSUER_SETTING, packed);
  if (!sameBytes(kept, packed)) return { relayId, issuer: decodeIssuer(kept) };
  if (dataDir !== undefined) {
    await writeFile(join(dataDir, TRUST_ROOT_KEY_FILE), `${toBase64Url(trustRootPrivateKey)}\n`, {
      mode: 0o600,
      flag: 'w',
    });
  }
  return { relayId, issuer, trustRootPrivateKey };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

function decodeIssuer(bytes: Uint8Array): SenderCertificateIssuer {
  try {
    const [trustRoot, serverKey, serverCertificate] = unpackFields(bytes, 3);
    if (trustRoot === undefined || serverKey === undefined || serverCertificate === undefined) {
      throw new Error('issuer record incomplete');
    }
    return SenderCertificateIssuer.fromRecord({ trustRoot, serverKey, serverCertificate });
  } catch (error) {
    throw new RelayConfigError('stored sender certificate issuer is unreadable', { cause: error });
  }
}
