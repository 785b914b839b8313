import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  bytesEqual,
  codePointLength,
  concatBytes,
  fromUtf8,
  ownedBytes,
  toHex,
  utf8,
} from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import { GROUP_MESSAGE_ID_BYTES } from '../../groups/GroupRules.js';
import { GroupSecret } from '../../groups/GroupSecret.js';
import { isPersonaAddress } from '../../persona/personaAddress.js';
import type { MessageBody } from '../messages/MessageBody.js';
import type { GroupResourceData } from './groupResources.js';
import {
  checkGroupResources,
  groupResourcesFromWire,
  groupResourcesToWire,
} from './groupResources.js';
import { decodeMessageBody, encodeMessageBody } from '../messages/messageBodyCodec.js';
import type { GroupInfo } from '../../protocol/gen/kindred_pb.js';
import {
  GroupContentSchema,
  GroupEnvelopeSchema,
  GroupInfoSchema,
  MemberProfileSchema,
} from '../../protocol/gen/kindred_pb.js';

/** Longest group name, description and rules, in UTF-16 code units. */
export const MAX_GROUP_NAME_LENGTH = 100;
export const MAX_GROUP_DESCRIPTION_LENGTH = 2000;
export const MAX_GROUP_RULES_LENGTH = 8000;
export const MAX_REASON_LENGTH = 500;

export interface GroupInfoData {
  readonly name: string;
  readonly description: string;
  readonly rules: string;
  /** Local resources the moderators pin (groupResources.ts); empty when none. */
  readonly resources?: readonly GroupResourceData[];
}

export interface MemberProfileData {
  readonly pseudonym: string;
  readonly accessKey: Uint8Array;
  readonly profileKey: Uint8Array;
  /** A joiner's introduction for the moderators (join profiles only); absent when none. */
  readonly introduction?: string;
  /** A SignedFacilitatorCredential the member shows in the group; absent when none. */
  readonly facilitatorCredential?: Uint8Array;
}

/** Longest introduction a joiner may send with its request, in characters (code points). */
export const MAX_INTRODUCTION_LENGTH = 500;
/**
 * Every join profile is padded to this many bytes before it is sealed: the longest pseudonym
 * (64 characters), two keys and the longest introduction (500 characters of up to 4 bytes each)
 * fit, so the relay, which sees the sealed size, learns nothing of what a joiner wrote.
 */
export const JOIN_PROFILE_PADDED_BYTES = 2400;

/**
 * Checks an introduction: at most {@link MAX_INTRODUCTION_LENGTH} characters, no control
 * characters but line breaks and tabs. Answers it trimmed; CORE_INVALID_INPUT otherwise.
 */
export function checkIntroduction(text: string): string {
  const trimmed = text.trim();
  if (codePointLength(trimmed) > MAX_INTRODUCTION_LENGTH || CONTROL_BUT_LAYOUT.test(trimmed)) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      `an introduction has at most ${MAX_INTRODUCTION_LENGTH} characters, without control characters`,
    );
  }
  return trimmed;
}

/** Control characters (C0, DEL, C1): none in a name. */
const CONTROL = /\p{Cc}/u;
/** The same, but line breaks and tabs, which longer text may use to lay itself out. */
const CONTROL_BUT_LAYOUT = /(?![\n\t])\p{Cc}/u;

/**
 * Checks user-given info before it is sealed (CORE_INVALID_INPUT): lengths, and no control
 * characters (other than line breaks and tabs in the description and rules), which could rewrite
 * what a terminal shows around them or hide text from other members.
 */
export function checkGroupInfo(info: GroupInfoData): GroupInfoData {
  const name = info.name.trim();
  if (name.length === 0 || name.length > MAX_GROUP_NAME_LENGTH) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      `a group name has 1 to ${MAX_GROUP_NAME_LENGTH} characters`,
    );
  }
  if (CONTROL.test(name)) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'a group name has no control characters');
  }
  if (info.description.length > MAX_GROUP_DESCRIPTION_LENGTH) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'the description is too long');
  }
  if (CONTROL_BUT_LAYOUT.test(info.description)) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      'the description has no control characters but line breaks and tabs',
    );
  }
  if (info.rules.length > MAX_GROUP_RULES_LENGTH) {
    throw new CoreError(CoreErrorCode.InvalidInput, 'the rules are too long');
  }
  if (CONTROL_BUT_LAYOUT.test(info.rules)) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      'the rules have no control characters but line breaks and tabs',
    );
  }
  const checked = { name, description: info.description, rules: info.rules };
  // Resources only when given, so info without them reads as before.
  return info.resources === undefined
    ? checked
    : { ...checked, resources: checkGroupResources(info.resources) };
}

export function sealGroupInfo(
  secret: GroupSecret,
  groupId: Uint8Array,
  info: GroupInfoData,
): Promise<Uint8Array> {
  const wire = create(GroupInfoSchema, {
    name: info.name,
    description: info.description,
    rules: info.rules,
    resources: groupResourcesToWire(info.resources ?? []),
  });
  return secret.seal('info', toBinary(GroupInfoSchema, wire), groupId);
}

export async function openGroupInfo(
  secret: GroupSecret,
  groupId: Uint8Array,
  sealed: Uint8Array,
): Promise<GroupInfoData> {
  let info: GroupInfo;
  try {
    info = fromBinary(GroupInfoSchema, await secret.open('info', sealed, groupId));
  } catch (error) {
    if (CoreError.is(error)) throw error;
    throw new CoreError(CoreErrorCode.DecryptFailed, 'group info is malformed', { cause: error });
  }
  return {
    name: info.name,
    description: info.description,
    rules: info.rules,
    resources: groupResourcesFromWire(info.resources),
  };
}

export function sealMemberProfile(
  secret: GroupSecret,
  groupId: Uint8Array,
  identityKey: Uint8Array,
  profile: MemberProfileData,
): Promise<Uint8Array> {
  return secret.seal(
    'profile',
    toBinary(MemberProfileSchema, create(MemberProfileSchema, profile)),
    concatBytes(groupId, identityKey),
  );
}

/**
 * A joiner's profile, sealed to the join key of the epoch it saw (it holds no group secret):
 * the box holds the group id and the joiner's identity key before the profile, so a profile
 * cannot be lifted into another persona's join.
 */
export async function sealJoinProfile(
  joinKey: Uint8Array,
  groupId: Uint8Array,
  identityKey: Uint8Array,
  profile: MemberProfileData,
): Promise<Uint8Array> {
  let padded = toBinary(MemberProfileSchema, create(MemberProfileSchema, profile));
  // Field 5 (padding) costs a tag byte and a length of 1 or 2 bytes on top of its content.
  for (const overhead of [3, 2]) {
    const fill = JOIN_PROFILE_PADDED_BYTES - padded.length - overhead;
    if (fill < 0) break;
    const candidate = toBinary(
      MemberProfileSchema,
      create(MemberProfileSchema, { ...profile, padding: new Uint8Array(fill) }),
    );
    if (candidate.length === JOIN_PROFILE_PADDED_BYTES) {
      padded = candidate;
      break;
    }
  }
  return GroupSecret.sealToJoinKey(joinKey, concatBytes(groupId, identityKey, padded));
}

/**
 * A member's profile, with whichever of `secrets` opens it: sealed under an epoch's secret (the
 * creator's) or to an epoch's join key (everyone who joined). CORE_DECRYPT_FAILED when none does.
 */
export async function openAnyMemberProfile(
  secrets: readonly GroupSecret[],
  groupId: Uint8Array,
  identityKey: Uint8Array,
  sealed: Uint8Array,
): Promise<MemberProfileData> {
  const prefix = concatBytes(groupId, identityKey);
  for (const secret of secrets) {
    try {
      return await openMemberProfile(secret, groupId, identityKey, sealed);
    } catch {
      // Not sealed under this secret: try its join key.
    }
    let opened: Uint8Array;
    try {
      opened = await secret.openJoinSealed(sealed);
    } catch {
      continue;
    }
    if (!bytesEqual(opened.subarray(0, prefix.length), prefix)) continue;
    return decodeProfile(opened.subarray(prefix.length));
  }
  throw new CoreError(CoreErrorCode.DecryptFailed, 'member profile does not open');
}

export async function openMemberProfile(
  secret: GroupSecret,
  groupId: Uint8Array,
  identityKey: Uint8Array,
  sealed: Uint8Array,
): Promise<MemberProfileData> {
  return decodeProfile(await secret.open('profile', sealed, concatBytes(groupId, identityKey)));
}

function decodeProfile(bytes: Uint8Array): MemberProfileData {
  try {
    const profile = fromBinary(MemberProfileSchema, bytes);
    if (profile.accessKey.length !== 32) throw new Error('access key size');
    return {
      pseudonym: profile.pseudonym,
      accessKey: ownedBytes(profile.accessKey),
      profileKey: ownedBytes(profile.profileKey),
      ...(profile.introduction === '' ? {} : { introduction: profile.introduction }),
      ...(profile.facilitatorCredential.length === 0
        ? {}
        : { facilitatorCredential: ownedBytes(profile.facilitatorCredential) }),
    };
  } catch (error) {
    if (CoreError.is(error)) throw error;
    throw new CoreError(CoreErrorCode.DecryptFailed, 'member profile is malformed', {
      cause: error,
    });
  }
}

export function sealReason(
  secret: GroupSecret,
  groupId: Uint8Array,
  reason: string,
): Promise<Uint8Array> {
  if (reason.length > MAX_REASON_LENGTH) {
    throw new CoreError(
      CoreErrorCode.InvalidInput,
      `a reason has at most ${MAX_REASON_LENGTH} characters`,
    );
  }
  return secret.seal('reason', utf8(reason), groupId);
}

/** The reason, or '' when there is none or it does not open. */
export async function openReason(
  secret: GroupSecret,
  groupId: Uint8Array,
  sealed: Uint8Array,
): Promise<string> {
  if (sealed.length === 0) return '';
  try {
    return fromUtf8(await secret.open('reason', sealed, groupId));
  } catch {
    return '';
  }
}

/**
 * The plaintext a member encrypts with its sender key: the group envelope (id, sequence, the
 * log the sender saw) around a message body, which messageBodyCodec reads for 1:1 and groups.
 */
export interface GroupContentData {
  readonly messageId: Uint8Array;
  readonly sentAt: number;
  readonly sequence: number;
  readonly logLength: number;
  readonly logHead: Uint8Array;
  /**
   * The checked body. Undefined when decoded content carries a body of a known kind that breaks
   * its rules (a reaction with a malformed id or emoji): the post still counts (it is marked seen)
   * but changes nothing.
   */
  readonly body: MessageBody | undefined;
}

export function encodeGroupContent(
  content: GroupContentData & { readonly body: MessageBody },
): Uint8Array {
  return toBinary(
    GroupContentSchema,
    create(GroupContentSchema, {
      messageId: content.messageId,
      sentAt: BigInt(content.sentAt),
      sequence: BigInt(content.sequence),
      logLength: BigInt(content.logLength),
      logHead: content.logHead,
      body: { case: 'message', value: encodeMessageBody(content.body) },
    }),
  );
}

/**
 * Checked GroupContent, or undefined when its envelope is malformed or its body of a kind this
 * client does not know.
 */
export function decodeGroupContent(bytes: Uint8Array): GroupContentData | undefined {
  try {
    const content = fromBinary(GroupContentSchema, bytes);
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    if (
      content.messageId.length !== GROUP_MESSAGE_ID_BYTES ||
      content.body.case !== 'message' ||
      content.body.value.kind.case === undefined ||
      content.sequence < 1n ||
      content.sequence > max ||
      content.sentAt > max ||
      content.logLength < 1n ||
      content.logLength > max ||
      content.logHead.length !== 32
    ) {
      return undefined;
    }
    return {
      messageId: ownedBytes(content.messageId),
      sentAt: Number(content.sentAt),
      sequence: Number(content.sequence),
      logLength: Number(content.logLength),
      logHead: ownedBytes(content.logHead),
      body: decodeMessageBody(content.body.value),
    };
  } catch {
    return undefined;
  }
}

/** A group message as stored: the sender sealed under the secret of `epoch`. */
export async function encodeGroupEnvelope(
  secret: GroupSecret,
  groupId: Uint8Array,
  sender: string,
  ciphertext: Uint8Array,
  epoch = 0,
): Promise<Uint8Array> {
  return toBinary(
    GroupEnvelopeSchema,
    create(GroupEnvelopeSchema, {
      sealedSender: await secret.seal('sender', utf8(sender), groupId),
      ciphertext,
      epoch: BigInt(epoch),
    }),
  );
}

/** The epoch a group message says it is sealed under; undefined when malformed. */
export function groupEnvelopeEpoch(envelope: Uint8Array): number | undefined {
  try {
    const epoch = fromBinary(GroupEnvelopeSchema, envelope).epoch;
    return epoch > BigInt(Number.MAX_SAFE_INTEGER) ? undefined : Number(epoch);
  } catch {
    return undefined;
  }
}

/** The sender and the sender-key ciphertext; CORE_DECRYPT_FAILED when it does not open. */
export async function openGroupEnvelope(
  secret: GroupSecret,
  groupId: Uint8Array,
  envelope: Uint8Array,
): Promise<{ sender: string; ciphertext: Uint8Array }> {
  let sealedSender: Uint8Array;
  let ciphertext: Uint8Array;
  try {
    const decoded = fromBinary(GroupEnvelopeSchema, envelope);
    sealedSender = decoded.sealedSender;
    ciphertext = decoded.ciphertext;
  } catch (error) {
    throw new CoreError(CoreErrorCode.DecryptFailed, 'group envelope is malformed', {
      cause: error,
    });
  }
  const opened = await secret.open('sender', sealedSender, groupId);
  let sender: string;
  try {
    sender = fromUtf8(opened);
  } catch (error) {
    // Any member can seal any bytes as the sender: invalid UTF-8 is as malformed as a non-address.
    throw new CoreError(CoreErrorCode.DecryptFailed, 'group envelope is malformed', {
      cause: error,
    });
  }
  if (!isPersonaAddress(sender) || ciphertext.length === 0) {
    throw new CoreError(CoreErrorCode.DecryptFailed, 'group envelope is malformed');
  }
  return { sender, ciphertext: ownedBytes(ciphertext) };
}

/** libsignal names a sender key by a UUID: a group's is its id written as one. */
export function distributionIdFor(groupId: Uint8Array): string {
  const hex = toHex(groupId);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
