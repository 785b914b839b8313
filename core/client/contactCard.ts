import { create } from '@bufbuild/protobuf';
import { ownedBytes } from '../bytes/bytes.js';
import { CoreError } from '../errors/CoreError.js';
import type { CoreErrorCode } from '../errors/CoreError.js';
import { checkPseudonym } from '../persona/Persona.js';
import { personaAddressFor } from '../persona/personaAddress.js';
import { ACCESS_KEY_BYTES, PUBLIC_KEY_BYTES } from '../protocol/frames.js';
import type { ContactCard } from '../protocol/gen/kindred_pb.js';
import { ContactCardSchema } from '../protocol/gen/kindred_pb.js';
import { checkRelayUrl } from './relayUrl.js';

export const PROFILE_KEY_BYTES = 32;

/** What a persona hands a contact: how to reach it, and the key that proves who answers. */
export interface ContactCardData {
  readonly relayUrl: string;
  /** The relay's sealed-sender trust root. */
  readonly trustRoot: Uint8Array;
  readonly address: string;
  readonly identityKey: Uint8Array;
  /** The delivery access key: the relay accepts envelopes for `address` only with it. */
  readonly accessKey: Uint8Array;
  readonly profileKey: Uint8Array;
  readonly pseudonym: string;
}

/**
 * Checks a card that arrived from outside (a link, an introduction): fixed key sizes, an address
 * that is the one its identity key implies, a sane pseudonym and relay URL. Throws a CoreError
 * with `code` on any failure.
 */
export function contactCardFromWire(
  card: ContactCard | undefined,
  code: CoreErrorCode,
): ContactCardData {
  const invalid = (reason: string, cause?: unknown): CoreError =>
    new CoreError(code, `contact card ${reason}`, { cause });
  if (card === undefined) throw invalid('is missing');
  if (card.identityKey.length !== PUBLIC_KEY_BYTES) throw invalid('has a malformed identity key');
  if (card.trustRoot.length !== PUBLIC_KEY_BYTES) throw invalid('has a malformed trust root');
  if (card.accessKey.length !== ACCESS_KEY_BYTES) throw invalid('has a malformed access key');
  if (card.profileKey.length !== PROFILE_KEY_BYTES) throw invalid('has a malformed profile key');
  if (personaAddressFor(card.identityKey) !== card.address) {
    throw invalid('names an address that does not match its identity key');
  }
  try {
    // Whether plain ws:// is acceptable is for whoever dials the URL to decide, not the card.
    checkRelayUrl(card.relayUrl, { allowInsecureTransport: true });
  } catch (error) {
    throw invalid('has no usable relay URL', error);
  }
  let pseudonym: string;
  try {
    pseudonym = checkPseudonym(card.pseudonym);
  } catch (error) {
    throw invalid('has an invalid pseudonym', error);
  }
  return {
    relayUrl: card.relayUrl,
    trustRoot: ownedBytes(card.trustRoot),
    address: card.address,
    identityKey: ownedBytes(card.identityKey),
    accessKey: ownedBytes(card.accessKey),
    profileKey: ownedBytes(card.profileKey),
    pseudonym,
  };
}

export function contactCardToWire(card: ContactCardData): ContactCard {
  return create(ContactCardSchema, { ...card });
}
