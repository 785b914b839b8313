import { toBase64Url } from '../../bytes/bytes.js';
import type { KeyValueStore } from '../../storage/KeyValueStore.js';
import { RecordReader, encodeRecord } from '../jsonRecord.js';

/**
 * What a persona is in a journal (docs/journal.md): the journal's own persona (`author`: every
 * contact of it is a follower), or a follower of one journal (`follower`: that contact's
 * updates are a journal feed, not a chat). Absent: the persona has nothing to do with journals.
 */
export type JournalRole =
  | { readonly role: 'author'; readonly createdAt: number }
  | { readonly role: 'follower'; readonly journal: string; readonly followedAt: number };

/** One update the author posted: one message to each follower, each with its own id. */
export interface JournalUpdateRecord {
  /** The update's own id (16 bytes), not any follower's message id. */
  readonly updateId: Uint8Array;
  readonly postedAt: number;
  readonly text: string;
  readonly warning?: string;
  readonly attachments: number;
  /** Each follower it went to, with the id of the message they got. */
  readonly deliveries: readonly { readonly follower: string; readonly messageId: Uint8Array }[];
}

const ROLE = 'client/journalRole';
const UPDATES = 'client/journalUpdates';

/** A persona's journal role and, for a journal's persona, the updates it posted. */
export class JournalRecords {
  readonly #store: KeyValueStore;

  constructor(store: KeyValueStore) {
    this.#store = store;
  }

  async role(): Promise<JournalRole | undefined> {
    const bytes = await this.#store.get(ROLE);
    if (bytes === undefined) return undefined;
    const r = RecordReader.decode(bytes, 'journal role');
    const role = r.oneOf('role', ['author', 'follower'] as const);
    return role === 'author'
      ? { role, createdAt: r.number('createdAt') }
      : { role, journal: r.string('journal'), followedAt: r.number('followedAt') };
  }

  async setRole(role: JournalRole): Promise<void> {
    await this.#store.put(ROLE, encodeRecord(role));
  }

  async putUpdate(update: JournalUpdateRecord): Promise<void> {
    await this.#store.put(updateKey(update.updateId), encodeRecord(update));
  }

  /** Every update posted, oldest first. */
  async updates(): Promise<JournalUpdateRecord[]> {
    const entries = await this.#store.list(UPDATES);
    return entries.map(({ value }) => readUpdate(value)).sort((a, b) => a.postedAt - b.postedAt);
  }
}

function readUpdate(bytes: Uint8Array): JournalUpdateRecord {
  const r = RecordReader.decode(bytes, 'journal update');
  const warning = r.optionalString('warning');
  return {
    updateId: r.bytes('updateId'),
    postedAt: r.number('postedAt'),
    text: r.string('text'),
    ...(warning === undefined ? {} : { warning }),
    attachments: r.number('attachments'),
    deliveries: r.list('deliveries', (item) => ({
      follower: item.string('follower'),
      messageId: item.bytes('messageId'),
    })),
  };
}

function updateKey(updateId: Uint8Array): string {
  return `${UPDATES}/${toBase64Url(updateId)}`;
}
