import { create, toBinary } from '@bufbuild/protobuf';
import type { MessageInitShape } from '@bufbuild/protobuf';
import { PrivateKey } from '@signalapp/libsignal-client';
import { ownedBytes } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { Persona } from '../persona/Persona.js';
import { GroupOperationSchema, SignedGroupOperationSchema } from '../protocol/gen/kindred_pb.js';
import { groupJoinSigningBytes, groupOperationSigningBytes } from './GroupRules.js';
import type { GroupState } from './GroupState.js';

export type GroupActionInit = NonNullable<MessageInitShape<typeof GroupOperationSchema>['action']>;

/** Who may sign group operations: a persona, or (in tests) anything holding an identity key. */
export interface GroupOperationSigner {
  readonly identityPublicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}

/**
 * Builds and signs the operation that follows `state` (or the create operation when `state` is
 * undefined), as a serialized SignedGroupOperation ready for the relay.
 */
export function signGroupOperation(
  signer: GroupOperationSigner | Persona,
  options: {
    readonly groupId: Uint8Array;
    readonly state: GroupState | undefined;
    readonly action: GroupActionInit;
    readonly sealedReason?: Uint8Array;
    readonly createdAt?: number;
  },
): Uint8Array {
  const operation = toBinary(
    GroupOperationSchema,
    create(GroupOperationSchema, {
      version: 1,
      groupId: options.groupId,
      sequence: BigInt(options.state?.length ?? 0),
      previous: options.state?.head ?? new Uint8Array(0),
      createdAt: BigInt(options.createdAt ?? Date.now()),
      actor: signer.identityPublicKey,
      sealedReason: options.sealedReason ?? new Uint8Array(0),
      action: options.action,
    }),
  );
  return toBinary(
    SignedGroupOperationSchema,
    create(SignedGroupOperationSchema, {
      operation,
      signature: signer.sign(groupOperationSigningBytes(operation)),
    }),
  );
}

/** A fresh key pair for one invite link: the public half goes in the log, the private in the link. */
export function generateInviteKeyPair(): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const key = PrivateKey.generate();
  return { privateKey: key.serialize(), publicKey: key.getPublicKey().serialize() };
}

/** The invite key's signature that lets `joiner` (an identity key) join with the invite. */
export function signGroupJoin(
  invitePrivateKey: Uint8Array,
  groupId: Uint8Array,
  inviteId: Uint8Array,
  joiner: Uint8Array,
): Uint8Array {
  let key: PrivateKey;
  try {
    key = PrivateKey.deserialize(ownedBytes(invitePrivateKey));
  } catch (error) {
    throw new CoreError(CoreErrorCode.InvalidInviteLink, 'invite key is malformed', {
      cause: error,
    });
  }
  return key.sign(ownedBytes(groupJoinSigningBytes(groupId, inviteId, joiner)));
}
