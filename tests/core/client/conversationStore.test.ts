import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExpiringMessages } from '../../../core/client/disappearing/ExpiringMessages.js';
import { GroupStore } from '../../../core/client/groups/GroupStore.js';
import { SearchIndex } from '../../../core/client/search/SearchIndex.js';
import type { GroupMessage } from '../../../core/client/groups/GroupStore.js';
import type { StoredMessage } from '../../../core/client/messages/ConversationStore.js';
import { composeMessage } from '../../../core/client/messages/conversationMessages.js';
import type { HistoryMessage } from '../../../core/client/direct/MessageHistory.js';
import { MessageHistory } from '../../../core/client/direct/MessageHistory.js';
import type { KeyValueStore } from '../../../core/index.js';
import { CoreErrorCode, MemoryKeyValueStore, Vault, toHex } from '../../../core/index.js';
import type { DeliveryReading, OpenedConversation } from './conversationStore.contract.js';
import { describeConversationStoreContract, newId } from './conversationStore.contract.js';

const SELF = '00000000-0000-4000-8000-00000000000a';
const OTHER = '00000000-0000-4000-8000-00000000000b';
const PASSPHRASE = 'correct horse battery staple';

/** A real vault in a temporary folder (LevelDB underneath), or memory. */
async function backing(kind: 'memory' | 'vault'): Promise<{
  store: KeyValueStore;
  close: () => Promise<void>;
}> {
  if (kind === 'memory')
    return { store: new MemoryKeyValueStore(), close: () => Promise.resolve() };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kindred-conversation-'));
  const vault = await Vault.create(dir, PASSPHRASE, { kdf: 'insecure-fast' });
  return {
    store: vault,
    close: async () => {
      await vault.lock();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function directStatus(message: StoredMessage): DeliveryReading {
  return (message as HistoryMessage).status;
}

/** The group vocabulary read the shared way (docs/messages.md): pending ≙ queued, none ≙ received. */
function groupStatus(message: StoredMessage): DeliveryReading {
  const status = (message as GroupMessage).status;
  return status === undefined ? 'received' : status === 'pending' ? 'queued' : status;
}

function openDirect(kind: 'memory' | 'vault') {
  return async (): Promise<OpenedConversation> => {
    const { store, close } = await backing(kind);
    const search = new SearchIndex(store);
    const expiring = new ExpiringMessages(store);
    const history = () => new MessageHistory(store, SELF, search, expiring);
    return {
      conversation: history().conversation(OTHER),
      self: SELF,
      other: OTHER,
      statusOf: directStatus,
      reopen: () => Promise.resolve(history().conversation(OTHER)),
      search,
      expiring,
      close,
    };
  };
}

const GROUP_ID = Uint8Array.from({ length: 16 }, (_, i) => i + 1);

async function groupWithRecord(
  store: KeyValueStore,
  search?: SearchIndex,
  expiring?: ExpiringMessages,
): Promise<GroupStore> {
  const groups = new GroupStore(store, search, expiring);
  await groups.put({
    groupId: GROUP_ID,
    secret: new Uint8Array(32),
    status: 'active',
    joinedAt: 1,
    cursor: 0,
    sequence: 0,
    lastPostAt: 0,
    distributedTo: [],
    messageCount: 0,
    warningCount: 0,
    reportCount: 0,
    outboxCount: 0,
  });
  return groups;
}

function openGroup(kind: 'memory' | 'vault') {
  return async (): Promise<OpenedConversation> => {
    const { store, close } = await backing(kind);
    const search = new SearchIndex(store);
    const expiring = new ExpiringMessages(store);
    const groups = await groupWithRecord(store, search, expiring);
    return {
      conversation: groups.conversation(GROUP_ID, { self: SELF }),
      self: SELF,
      other: OTHER,
      statusOf: groupStatus,
      reopen: () =>
        Promise.resolve(
          new GroupStore(store, search, expiring).conversation(GROUP_ID, { self: SELF }),
        ),
      search,
      expiring,
      close,
    };
  };
}

describeConversationStoreContract('1:1 MessageHistory over memory', openDirect('memory'));
describeConversationStoreContract('1:1 MessageHistory over a vault', openDirect('vault'));
describeConversationStoreContract('GroupStore over memory', openGroup('memory'));
describeConversationStoreContract('GroupStore over a vault', openGroup('vault'));

describe('GroupStore conversation: what only a group has', () => {
  it('counts its messages in the group record', async () => {
    const groups = await groupWithRecord(new MemoryKeyValueStore());
    const conversation = groups.conversation(GROUP_ID, { self: SELF });
    await conversation.appendOutgoing({
      messageId: newId(),
      sentAt: 1,
      body: { kind: 'text', text: 'one' },
    });
    await conversation.appendIncoming({
      messageId: newId(),
      author: OTHER,
      sentAt: 2,
      storedAt: 3,
      sequence: 1,
      body: { kind: 'text', text: 'two' },
    });
    expect((await groups.require(GROUP_ID)).messageCount).toBe(2);
  });

  it('hides a message a moderator deleted from replies and reactions', async () => {
    const groups = await groupWithRecord(new MemoryKeyValueStore());
    const message = await groups.conversation(GROUP_ID, { self: SELF }).appendIncoming({
      messageId: newId(),
      author: OTHER,
      sentAt: 2,
      storedAt: 3,
      sequence: 1,
      body: { kind: 'text', text: 'harmful' },
    });
    const conversation = groups.conversation(GROUP_ID, {
      self: SELF,
      deleted: new Set([toHex(message.messageId)]),
    });
    expect(await conversation.findMessage(message.messageId)).toBeUndefined();
    await expect(
      composeMessage(
        conversation,
        SELF,
        { kind: 'reaction', messageId: message.messageId, emoji: '👍' },
        { messageId: newId(), sentAt: 4 },
      ),
    ).rejects.toMatchObject({ code: CoreErrorCode.MessageNotFound });
    expect((await groups.message(GROUP_ID, message.index))?.reactions).toBeUndefined();
  });
});
