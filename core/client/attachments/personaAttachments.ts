import { fromHex } from '../../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { BlobUploadRequest } from '../blobs/blobGrants.js';
import { requestBlobUpload } from '../blobs/blobGrants.js';
import type { AttachmentConversation, EmitClientEvent, PersonaEvents } from '../clientEvents.js';
import type { ConversationStore } from '../messages/ConversationStore.js';
import type { PersonaState } from '../PersonaState.js';
import type { RelayConnection } from '../RelayConnection.js';
import type { SocksProxy } from '../SocksProxy.js';
import { AttachmentTransfers } from './AttachmentTransfers.js';

/** The conversation store an attachment belongs to (a group's, deleted messages included). */
export function attachmentConversation(
  state: PersonaState,
  where: AttachmentConversation,
): ConversationStore {
  return where.kind === 'direct'
    ? state.history.conversation(where.address)
    : state.groups.conversation(where.groupId, { self: state.persona.address });
}

/** A persona's attachment transfers, over what its PersonaSession holds. */
export function personaAttachments(options: {
  readonly state: PersonaState;
  readonly home: string | undefined;
  readonly relayUrl: () => string;
  readonly authenticated: () => Promise<{ connection: RelayConnection; release: () => void }>;
  readonly proxy: (as: 'persona' | 'anonymous') => SocksProxy | undefined;
  readonly emit: EmitClientEvent;
  readonly retryMs?: number;
  readonly maxAttempts?: number;
}): AttachmentTransfers {
  const { state } = options;
  return new AttachmentTransfers({
    state,
    home: options.home,
    relayUrl: options.relayUrl,
    grant: async (request: BlobUploadRequest) => {
      const { connection, release } = await options.authenticated();
      try {
        return await requestBlobUpload(connection, request);
      } finally {
        release();
      }
    },
    proxy: options.proxy,
    conversation: (where) => attachmentConversation(state, where),
    conversations: async () => [
      ...(await state.contacts.list()).map((contact): AttachmentConversation => ({
        kind: 'direct',
        address: contact.address,
      })),
      ...(await state.groups.list()).map((group): AttachmentConversation => ({
        kind: 'group',
        groupId: group.groupId,
      })),
    ],
    emit: options.emit,
    ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
  });
}

/**
 * Passes a persona's events on, and starts the downloads of every stored message that came with
 * attachments (1:1 `message`, group `groupMessage`): one hook for both paths.
 */
export function downloadingAttachments(
  emit: EmitClientEvent,
  transfers: () => AttachmentTransfers | undefined,
): EmitClientEvent {
  return (event, value) => {
    emit(event, value);
    if (event === 'message') {
      const { contact, message } = value as PersonaEvents['message'];
      transfers()?.enqueue({ kind: 'direct', address: contact.address }, message);
    } else if (event === 'groupMessage') {
      const { groupId, message } = value as PersonaEvents['groupMessage'];
      const id = fromHex(groupId);
      if (id === undefined) throw new CoreError(CoreErrorCode.Internal, 'group id not hex');
      transfers()?.enqueue({ kind: 'group', groupId: id }, message);
    } else if (event === 'messageChanged' || event === 'groupMessageChanged') {
      // Deleted by its author: its files leave the vault folder with its text.
      const { change, previous } = value as PersonaEvents['messageChanged' | 'groupMessageChanged'];
      // rm with force: only a folder we may not write to fails, and the sweep of the message's
      // place cannot do better then.
      if (change === 'deleted')
        void transfers()
          ?.deleteFilesOf(previous)
          .catch(() => undefined);
    }
  };
}
