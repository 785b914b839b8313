import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
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
import { GROUP_ID_BYTES, PUBLIC_KEY_BYTES, SIGNATURE_BYTES } from '../protocol/frames.js';
import type { GroupInviteLink, SignedGroupInviteLink } from '../protocol/gen/kindred_pb.js';
import { GroupInviteLinkSchema, SignedGroupInviteLinkSchema } from '../protocol/gen/kindred_pb.js';
import { verifyIdentitySignature } from '../protocol/relayAuth.js';
import { GROUP_INVITE_ID_BYTES, MAX_INVITE_USES } from './GroupRules.js';

/** Unknown fields are dropped, so bytes carrying extras fail the canonical-encoding check. */
const STRICT = { readUnknownFields: false } as const;

export const GROUP_LINK_PREFIX = 'kindred:group/';
/** Longer strings are refused before any decoding (a link is well under 1 KiB). */
export const MAX_GROUP_LINK_LENGTH = 4096;
/**
 * Version 1 carried the group secret itself, so every link ever shared (used up, expired, or in a
 * banned member's hands) opened the group for good; version 2 carries only the invite's key.
 */
const LINK_VERSION = 2;
const SIGNATURE_CONTEXT = utf8('kindred-group-invite-v1');
const PRIVATE_KEY_BYTES = 32;

/** What a group invite link carries, verified. Never the group secret. */
export interface GroupInviteLinkData {
  readonly relayUrl: string;
  readonly trustRoot: Uint8Array;
  readonly groupId: Uint8Array;
  readonly inviteId: Uint8Array;
  /**
   * The invite's private key: it signs the join, and (GroupSecret.forInvite) derives the read key
   * the relay serves the log to while the invite is live, and the key of the sealed welcome.
   */
  readonly invitePrivateKey: Uint8Array;
  readonly expiresAt: number;
  readonly maxUses: number;
  /** Identity key of the moderator who made the link. */
  readonly inviter: Uint8Array;
}

/** `kindred:group/<base64url(SignedGroupInviteLink)>`, signed by the inviting moderator. */
export function createGroupInviteLink(
  inviter: Persona,
  data: Omit<GroupInviteLinkData, 'inviter'>,
): string {
  const link = toBinary(
    GroupInviteLinkSchema,
    create(GroupInviteLinkSchema, {
      version: LINK_VERSION,
      relayUrl: data.relayUrl,
      trustRoot: data.trustRoot,
      groupId: data.groupId,
      inviteId: data.inviteId,
      invitePrivateKey: data.invitePrivateKey,
      expiresAt: BigInt(data.expiresAt),
      maxUses: data.maxUses,
      inviter: inviter.identityPublicKey,
    }),
  );
  const signed = toBinary(
    SignedGroupInviteLinkSchema,
    create(SignedGroupInviteLinkSchema, {
      link,
      signature: inviter.sign(concatBytes(SIGNATURE_CONTEXT, link)),
    }),
  );
  return GROUP_LINK_PREFIX + toBase64Url(signed);
}

/**
 * Parses and verifies a group invite link: CORE_INVALID_INVITE_LINK for anything malformed or
 * tampered, CORE_INVITE_EXPIRED once it has expired; no input makes it throw anything else.
 * Whether the inviter may still invite, and uses left, only the group's log can tell.
 */
export function parseGroupInviteLink(text: string, now: number = Date.now()): GroupInviteLinkData {
  const invalid = (reason: string, cause?: unknown): CoreError =>
    new CoreError(CoreErrorCode.InvalidInviteLink, `group link ${reason}`, { cause });
  if (typeof text !== 'string' || text.length > MAX_GROUP_LINK_LENGTH) {
    throw invalid('is not a group link');
  }
  const trimmed = text.trim();
  if (!trimmed.startsWith(GROUP_LINK_PREFIX)) throw invalid('is not a group link');
  const bytes = fromBase64Url(trimmed.slice(GROUP_LINK_PREFIX.length));
  if (bytes === undefined || bytes.length === 0) throw invalid('is not valid base64url');
  let signed: SignedGroupInviteLink;
  let link: GroupInviteLink;
  try {
    signed = fromBinary(SignedGroupInviteLinkSchema, bytes, STRICT);
    link = fromBinary(GroupInviteLinkSchema, signed.link, STRICT);
  } catch (error) {
    throw invalid('is malformed', error);
  }
  if (
    !bytesEqual(toBinary(SignedGroupInviteLinkSchema, signed), bytes) ||
    !bytesEqual(toBinary(GroupInviteLinkSchema, link), signed.link)
  ) {
    throw invalid('is not canonically encoded');
  }
  if (link.version === 1) throw invalid('is from an older version: ask for a new link');
  if (link.version !== LINK_VERSION) throw invalid('has an unsupported version');
  if (
    link.groupId.length !== GROUP_ID_BYTES ||
    link.groupSecret.length !== 0 ||
    link.inviteId.length !== GROUP_INVITE_ID_BYTES ||
    link.invitePrivateKey.length !== PRIVATE_KEY_BYTES ||
    link.inviter.length !== PUBLIC_KEY_BYTES ||
    link.trustRoot.length !== PUBLIC_KEY_BYTES ||
    signed.signature.length !== SIGNATURE_BYTES ||
    link.maxUses < 1 ||
    link.maxUses > MAX_INVITE_USES ||
    link.relayUrl.length === 0 ||
    link.relayUrl.length > 2048
  ) {
    throw invalid('has a malformed field');
  }
  if (
    !verifyIdentitySignature(
      link.inviter,
      concatBytes(SIGNATURE_CONTEXT, signed.link),
      signed.signature,
    )
  ) {
    throw invalid('signature does not verify');
  }
  if (link.expiresAt > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid('has a malformed expiry');
  const expiresAt = Number(link.expiresAt);
  if (expiresAt <= now)
    throw new CoreError(CoreErrorCode.InviteExpired, 'the group link has expired');
  return {
    relayUrl: link.relayUrl,
    trustRoot: ownedBytes(link.trustRoot),
    groupId: ownedBytes(link.groupId),
    inviteId: ownedBytes(link.inviteId),
    invitePrivateKey: ownedBytes(link.invitePrivateKey),
    expiresAt,
    maxUses: link.maxUses,
    inviter: ownedBytes(link.inviter),
  };
}
