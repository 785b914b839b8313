import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { randomBytes } from 'node:crypto';
import {
  bytesEqual,
  concatBytes,
  fromBase64Url,
  ownedBytes,
  toBase64Url,
  utf8,
} from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { Persona } from '../persona/Persona.js';
import { SIGNATURE_BYTES } from '../protocol/frames.js';
import type { ContactInvite, SignedContactInvite } from '../protocol/gen/kindred_pb.js';
import { ContactInviteSchema, SignedContactInviteSchema } from '../protocol/gen/kindred_pb.js';
import { verifyIdentitySignature } from '../protocol/relayAuth.js';
import type { ContactCardData } from './contactCard.js';
import { contactCardFromWire, contactCardToWire } from './contactCard.js';

/** Unknown fields are dropped, so bytes carrying extras fail the canonical-encoding check. */
const STRICT = { readUnknownFields: false } as const;

export const CONTACT_LINK_PREFIX = 'kindred:contact/';
export const INVITE_ID_BYTES = 16;
/** Longer strings are refused before any decoding (a card is well under 1 KiB). */
export const MAX_CONTACT_LINK_LENGTH = 8192;
const INVITE_VERSION = 1;
const SIGNATURE_CONTEXT = utf8('kindred-invite-v1');

/** A verified contact invite. */
export interface ContactInviteData {
  readonly card: ContactCardData;
  readonly inviteId: Uint8Array;
  /** ms since the epoch; 0 = never. */
  readonly expiresAt: number;
  /** 0 = unlimited. */
  readonly maxUses: number;
}

/**
 * Makes `kindred:contact/<base64url(SignedContactInvite)>`: the persona's card, an invite id,
 * expiry and use limit, signed by the persona's identity key over "kindred-invite-v1" ‖ invite.
 */
export function createContactInviteLink(
  persona: Persona,
  options: { card: ContactCardData; expiresAt: number; maxUses: number; inviteId?: Uint8Array },
): { link: string; inviteId: Uint8Array } {
  if (options.card.address !== persona.address) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'the card is not this persona’s');
  }
  if (!Number.isSafeInteger(options.expiresAt) || options.expiresAt < 0) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'invalid invite expiry');
  }
  if (!Number.isInteger(options.maxUses) || options.maxUses < 0 || options.maxUses > 0xffffffff) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'invalid invite use limit');
  }
  const inviteId = options.inviteId ?? ownedBytes(randomBytes(INVITE_ID_BYTES));
  const invite = toBinary(
    ContactInviteSchema,
    create(ContactInviteSchema, {
      version: INVITE_VERSION,
      card: contactCardToWire(options.card),
      inviteId,
      expiresAt: BigInt(options.expiresAt),
      maxUses: options.maxUses,
    }),
  );
  const signed = toBinary(
    SignedContactInviteSchema,
    create(SignedContactInviteSchema, {
      invite,
      signature: persona.sign(concatBytes(SIGNATURE_CONTEXT, invite)),
    }),
  );
  return { link: CONTACT_LINK_PREFIX + toBase64Url(signed), inviteId };
}

/**
 * Parses and verifies a contact link. Any malformed or tampered link is CORE_INVALID_INVITE_LINK
 * and an expired one CORE_INVITE_EXPIRED; no input string makes it throw anything else.
 */
export function parseContactInviteLink(link: string, now: number = Date.now()): ContactInviteData {
  const invalid = (reason: string, cause?: unknown): CoreError =>
    new CoreError(CoreErrorCode.InvalidInviteLink, `invite link ${reason}`, { cause });
  if (typeof link !== 'string' || link.length > MAX_CONTACT_LINK_LENGTH) {
    throw invalid('is not a contact link');
  }
  const text = link.trim();
  if (!text.startsWith(CONTACT_LINK_PREFIX)) throw invalid('is not a contact link');
  const bytes = fromBase64Url(text.slice(CONTACT_LINK_PREFIX.length));
  if (bytes === undefined || bytes.length === 0) throw invalid('is not valid base64url');

  let signed: SignedContactInvite;
  let invite: ContactInvite;
  try {
    signed = fromBinary(SignedContactInviteSchema, bytes, STRICT);
    invite = fromBinary(ContactInviteSchema, signed.invite, STRICT);
  } catch (error) {
    throw invalid('is malformed', error);
  }
  // protobuf parsers accept many encodings of one message (a bytes field under a wrong wire type,
  // repeated fields): only the one canonical encoding is a valid link, so a link has one spelling.
  if (
    !bytesEqual(toBinary(SignedContactInviteSchema, signed), bytes) ||
    !bytesEqual(toBinary(ContactInviteSchema, invite), signed.invite)
  ) {
    throw invalid('is not canonically encoded');
  }
  if (signed.signature.length !== SIGNATURE_BYTES) throw invalid('has a malformed signature');
  if (invite.version !== INVITE_VERSION) throw invalid('has an unsupported version');
  if (invite.inviteId.length !== INVITE_ID_BYTES) throw invalid('has a malformed invite id');
  const card = contactCardFromWire(invite.card, CoreErrorCode.InvalidInviteLink);
  if (
    !verifyIdentitySignature(
      card.identityKey,
      concatBytes(SIGNATURE_CONTEXT, signed.invite),
      signed.signature,
    )
  ) {
    throw invalid('signature does not verify');
  }
  if (invite.expiresAt > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid('has a malformed expiry');
  const expiresAt = Number(invite.expiresAt);
  if (expiresAt !== 0 && expiresAt <= now) {
    throw new CoreError(CoreErrorCode.InviteExpired, 'the invite link has expired');
  }
  return { card, inviteId: ownedBytes(invite.inviteId), expiresAt, maxUses: invite.maxUses };
}
