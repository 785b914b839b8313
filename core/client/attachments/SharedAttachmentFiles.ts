import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';
import type { StoredMessage } from '../messages/ConversationStore.js';

const SHARED = 'client/sharedAttachmentFiles';

/** A kept ciphertext's name: the 32 hex characters AttachmentTransfers gives it. */
const FILE_NAME = /^[0-9a-f]{32}$/;

/**
 * The kept ciphertext files that several stored messages of one persona name at once: a journal
 * update's photo is uploaded once and the one pointer, with our one kept copy, goes to every
 * follower (docs/journal.md). Only the mark is kept here, not a count: which messages still hold
 * a file is read from the messages themselves when one of them goes, so no count can drift from
 * them (a crash between storing a message and counting it, a message removed by a path that
 * forgot to count). A file without the mark belongs to one message, and goes with it as before.
 */
export class SharedAttachmentFiles {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  /** Marks `file` as named by several messages (before any of them is stored). */
  async mark(file: string): Promise<void> {
    await this.#store.put(keyOf(file), new Uint8Array([1]));
  }

  async isShared(file: string): Promise<boolean> {
    return FILE_NAME.test(file) && (await this.#store.get(keyOf(file))) !== undefined;
  }

  /** Forgets the mark once the file is gone. */
  async unmark(file: string): Promise<void> {
    await this.#store.delete(keyOf(file));
  }
}

function keyOf(file: string): string {
  if (!FILE_NAME.test(file)) {
    throw new CoreError(CoreErrorCode.Internal, 'not a kept attachment file name');
  }
  return `${SHARED}/${file}`;
}

/** Whether any of `messages` still names the kept file `file`. */
export function namesFile(messages: readonly StoredMessage[], file: string): boolean {
  return messages.some((message) =>
    (message.attachments ?? []).some((attachment) => attachment.file === file),
  );
}
