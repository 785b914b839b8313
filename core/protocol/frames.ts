import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { BLOB_ID_BYTES, BLOB_UPLOAD_TOKEN_BYTES } from '../blobs/blobProtocol.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import { isPersonaAddress } from '../persona/personaAddress.js';
import type { ClientFrame, ServerFrame } from './gen/kindred_pb.js';
import { ClientFrameSchema, ServerFrameSchema } from './gen/kindred_pb.js';

/** Fixed sizes of the keys and hashes frames carry. */
export const PUBLIC_KEY_BYTES = 33;
export const KYBER_PUBLIC_KEY_BYTES = 1569;
export const SIGNATURE_BYTES = 64;
export const ACCESS_KEY_BYTES = 32;
export const ACCESS_KEY_HASH_BYTES = 32;
export const NONCE_BYTES = 32;
export const RELAY_ID_BYTES = 32;
/** How many one-time keys of each kind one upload may carry. */
export const MAX_PREKEYS_PER_UPLOAD = 200;
/** How many acks one frame may carry. */
export const MAX_ACKS_PER_FRAME = 1000;
/** Largest sealed envelope a frame may carry (the relay may set a lower limit). */
export const MAX_SEALED_BYTES = 512 * 1024;
/** Group ids are 16 random bytes; log keys 32. */
export const GROUP_ID_BYTES = 16;
export const GROUP_LOG_KEY_BYTES = 32;
/** Largest signed group operation (sealed info is at most 16 KiB). */
export const MAX_GROUP_OPERATION_BYTES = 32 * 1024;
/** Largest group message envelope a frame may carry (the relay may set a lower limit). */
export const MAX_GROUP_ENVELOPE_BYTES = 256 * 1024;
/** Most operations one GroupLogPage may carry. */
export const MAX_GROUP_LOG_PAGE = 1000;
/** Most entries (and most removed ids) one DirectoryPage carries. */
export const MAX_DIRECTORY_PAGE_ENTRIES = 500;
/**
 * Largest serialized listing (DirectoryListing) and owner signature: every text field at its
 * bound in 4-byte characters, ten facilitator credentials of 1 KiB, and a join link, with room.
 */
export const MAX_LISTING_BYTES = 24 * 1024;
/** Largest signed revocation list a DirectoryPage carries (about 14,000 revoked credentials). */
export const MAX_REVOCATION_LIST_BYTES = 256 * 1024;

export type ClientFrameInit = MessageInitShape<typeof ClientFrameSchema>;
export type ServerFrameInit = MessageInitShape<typeof ServerFrameSchema>;

export function encodeClientFrame(frame: ClientFrameInit): Uint8Array {
  return toBinary(ClientFrameSchema, create(ClientFrameSchema, frame));
}

export function encodeServerFrame(frame: ServerFrameInit): Uint8Array {
  return toBinary(ServerFrameSchema, create(ServerFrameSchema, frame));
}

/**
 * Parses and validates a frame from a client. Anything malformed, unknown or out of bounds is a
 * CoreError with code CORE_BAD_FRAME; the relay answers it with RELAY_BAD_FRAME.
 */
export function decodeClientFrame(bytes: Uint8Array): ClientFrame {
  let frame: ClientFrame;
  try {
    frame = fromBinary(ClientFrameSchema, bytes);
  } catch (error) {
    throw badFrame('client frame is not valid protobuf', error);
  }
  validateClientFrame(frame);
  return frame;
}

/** Parses and validates a frame from a relay: a client trusts a relay's framing no more. */
export function decodeServerFrame(bytes: Uint8Array): ServerFrame {
  let frame: ServerFrame;
  try {
    frame = fromBinary(ServerFrameSchema, bytes);
  } catch (error) {
    throw badFrame('server frame is not valid protobuf', error);
  }
  validateServerFrame(frame);
  return frame;
}

function validateClientFrame(frame: ClientFrame): void {
  const body = frame.body;
  switch (body.case) {
    case 'auth': {
      const auth = body.value;
      expectLength(auth.identityKey, PUBLIC_KEY_BYTES, 'identity key');
      expectLength(auth.signature, SIGNATURE_BYTES, 'signature');
      const registration = auth.registration;
      if (registration !== undefined) {
        if (registration.registrationId < 1 || registration.registrationId > 16380) {
          throw badFrame('registration id out of range');
        }
        expectLength(registration.accessKeyHash, ACCESS_KEY_HASH_BYTES, 'access key hash');
        const gate = registration.gate;
        if (gate.case === 'powNonce') expectMaxLength(gate.value, 64, 'proof of work');
        if (gate.case === 'inviteToken') expectMaxLength(gate.value, 1024, 'invite token');
      }
      return;
    }
    case 'uploadPreKeys': {
      const upload = body.value;
      if (upload.signedPreKey !== undefined) {
        expectLength(upload.signedPreKey.publicKey, PUBLIC_KEY_BYTES, 'signed prekey');
        expectLength(upload.signedPreKey.signature, SIGNATURE_BYTES, 'signed prekey signature');
      }
      if (upload.lastResortKyberPreKey !== undefined) {
        expectLength(upload.lastResortKyberPreKey.publicKey, KYBER_PUBLIC_KEY_BYTES, 'Kyber key');
        expectLength(upload.lastResortKyberPreKey.signature, SIGNATURE_BYTES, 'Kyber signature');
      }
      if (
        upload.oneTimePreKeys.length > MAX_PREKEYS_PER_UPLOAD ||
        upload.oneTimeKyberPreKeys.length > MAX_PREKEYS_PER_UPLOAD
      ) {
        throw badFrame('too many prekeys in one upload');
      }
      for (const key of upload.oneTimePreKeys)
        expectLength(key.publicKey, PUBLIC_KEY_BYTES, 'prekey');
      for (const key of upload.oneTimeKyberPreKeys) {
        expectLength(key.publicKey, KYBER_PUBLIC_KEY_BYTES, 'Kyber prekey');
        expectLength(key.signature, SIGNATURE_BYTES, 'Kyber prekey signature');
      }
      return;
    }
    case 'fetchPreKeyBundle':
      expectAddress(body.value.address);
      expectLength(body.value.accessKey, ACCESS_KEY_BYTES, 'access key');
      return;
    case 'sendEnvelope':
      expectAddress(body.value.recipient);
      expectLength(body.value.accessKey, ACCESS_KEY_BYTES, 'access key');
      if (body.value.sealed.length === 0) throw badFrame('empty envelope');
      expectMaxLength(body.value.sealed, MAX_SEALED_BYTES, 'envelope');
      return;
    case 'ackEnvelopes':
      if (
        body.value.envelopeIds.length === 0 ||
        body.value.envelopeIds.length > MAX_ACKS_PER_FRAME
      ) {
        throw badFrame('ack count out of range');
      }
      return;
    case 'setAccessKey':
      expectLength(body.value.accessKeyHash, ACCESS_KEY_HASH_BYTES, 'access key hash');
      return;
    case 'addDeliveryKey':
      expectLength(body.value.accessKeyHash, ACCESS_KEY_HASH_BYTES, 'access key hash');
      if (body.value.expiresAt > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw badFrame('delivery key expiry out of range');
      }
      return;
    case 'revokeDeliveryKey':
      expectLength(body.value.accessKeyHash, ACCESS_KEY_HASH_BYTES, 'access key hash');
      return;
    case 'submitGroupOperation':
      if (body.value.operation.length === 0) throw badFrame('empty group operation');
      expectMaxLength(body.value.operation, MAX_GROUP_OPERATION_BYTES, 'group operation');
      return;
    case 'fetchGroupLog':
      expectLength(body.value.groupId, GROUP_ID_BYTES, 'group id');
      expectLength(body.value.logKey, GROUP_LOG_KEY_BYTES, 'log key');
      return;
    case 'postGroupMessage':
      expectLength(body.value.groupId, GROUP_ID_BYTES, 'group id');
      if (body.value.envelope.length === 0) throw badFrame('empty group message');
      expectMaxLength(body.value.envelope, MAX_GROUP_ENVELOPE_BYTES, 'group message');
      return;
    case 'ackGroup':
      expectLength(body.value.groupId, GROUP_ID_BYTES, 'group id');
      if (body.value.index === 0n) throw badFrame('group index starts at 1');
      return;
    case 'createBlobUpload':
      if (body.value.size > BigInt(Number.MAX_SAFE_INTEGER))
        throw badFrame('blob size out of range');
      if (body.value.retentionMs > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw badFrame('blob retention out of range');
      }
      return;
    case 'fetchDirectory':
      if (body.value.knownVersion > BigInt(Number.MAX_SAFE_INTEGER)) {
        throw badFrame('directory version out of range');
      }
      return;
    case 'requestListing': {
      const listing = body.value.listing;
      if (listing === undefined || listing.listing.length === 0) {
        throw badFrame('listing request without a listing');
      }
      expectMaxLength(listing.listing, MAX_LISTING_BYTES, 'listing');
      expectLength(listing.ownerSignature, SIGNATURE_BYTES, 'owner signature');
      return;
    }
    case 'getSenderCertificate':
    case 'ping':
      return;
    case undefined:
      throw badFrame('client frame has no body');
  }
}

function validateServerFrame(frame: ServerFrame): void {
  const body = frame.body;
  switch (body.case) {
    case 'challenge':
      expectLength(body.value.relayId, RELAY_ID_BYTES, 'relay id');
      expectLength(body.value.nonce, NONCE_BYTES, 'nonce');
      expectLength(body.value.trustRoot, PUBLIC_KEY_BYTES, 'trust root');
      if (body.value.powDifficulty > 64) throw badFrame('proof-of-work difficulty out of range');
      // Both optional for relays older than the directory: empty, or the right size.
      expectEmptyOrLength(body.value.operatorKey, PUBLIC_KEY_BYTES, 'operator key');
      expectEmptyOrLength(body.value.operatorKeyEndorsement, SIGNATURE_BYTES, 'endorsement');
      return;
    case 'authOk':
      expectAddress(body.value.address);
      return;
    case 'preKeyBundle':
      expectAddress(body.value.address);
      expectLength(body.value.identityKey, PUBLIC_KEY_BYTES, 'identity key');
      if (body.value.signedPreKey === undefined || body.value.kyberPreKey === undefined) {
        throw badFrame('prekey bundle incomplete');
      }
      return;
    case 'deliver':
      if (body.value.sealed.length === 0) throw badFrame('empty envelope');
      expectMaxLength(body.value.sealed, MAX_SEALED_BYTES, 'envelope');
      return;
    case 'groupLogPage':
      if (body.value.operations.length > MAX_GROUP_LOG_PAGE)
        throw badFrame('group log page too long');
      for (const operation of body.value.operations) {
        expectMaxLength(operation, MAX_GROUP_OPERATION_BYTES, 'group operation');
      }
      return;
    case 'groupDeliver': {
      const deliver = body.value;
      expectLength(deliver.groupId, GROUP_ID_BYTES, 'group id');
      if (deliver.index === 0n) throw badFrame('group index starts at 1');
      if (deliver.entry.case === 'operation') {
        expectMaxLength(deliver.entry.value, MAX_GROUP_OPERATION_BYTES, 'group operation');
      } else if (deliver.entry.case === 'message') {
        expectMaxLength(deliver.entry.value, MAX_GROUP_ENVELOPE_BYTES, 'group message');
      } else {
        throw badFrame('group entry has no body');
      }
      return;
    }
    case 'directoryPage': {
      const page = body.value;
      if (page.version > BigInt(Number.MAX_SAFE_INTEGER))
        throw badFrame('directory version out of range');
      if (
        page.entries.length > MAX_DIRECTORY_PAGE_ENTRIES ||
        page.removedGroupIds.length > MAX_DIRECTORY_PAGE_ENTRIES
      ) {
        throw badFrame('directory page too long');
      }
      if (page.notModified && (page.entries.length > 0 || page.removedGroupIds.length > 0)) {
        throw badFrame('a not-modified directory page carries nothing else');
      }
      if (page.full && page.removedGroupIds.length > 0) {
        throw badFrame('a full directory lists no removed ids');
      }
      for (const entry of page.entries) {
        // The signatures and fields are openDirectoryEntry's to check; here only the framing.
        if (entry.listing === undefined) throw badFrame('directory entry without a listing');
        expectMaxLength(entry.listing.listing, MAX_LISTING_BYTES, 'listing');
        expectLength(entry.operatorSignature, SIGNATURE_BYTES, 'operator signature');
      }
      for (const id of page.removedGroupIds) expectLength(id, GROUP_ID_BYTES, 'group id');
      if (page.revocations !== undefined) {
        expectMaxLength(page.revocations.list, MAX_REVOCATION_LIST_BYTES, 'revocation list');
      }
      return;
    }
    case 'blobUploadGrant':
      expectLength(body.value.blobId, BLOB_ID_BYTES, 'blob id');
      expectLength(body.value.uploadToken, BLOB_UPLOAD_TOKEN_BYTES, 'upload token');
      return;
    case 'groupAppended':
    case 'error':
    case 'ok':
    case 'sendAck':
    case 'senderCertificate':
    case 'preKeyStatus':
    case 'pong':
      return;
    case undefined:
      throw badFrame('server frame has no body');
  }
}

function expectLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== length) throw badFrame(`${what} must be ${length} bytes`);
}

function expectEmptyOrLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== 0 && bytes.length !== length) {
    throw badFrame(`${what} must be empty or ${length} bytes`);
  }
}

function expectMaxLength(bytes: Uint8Array, max: number, what: string): void {
  if (bytes.length > max) throw badFrame(`${what} too large`);
}

function expectAddress(address: string): void {
  if (!isPersonaAddress(address)) throw badFrame('not a persona address');
}

function badFrame(message: string, cause?: unknown): CoreError {
  return new CoreError(CoreErrorCode.BadFrame, message, { cause });
}
