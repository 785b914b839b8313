import { z } from 'zod';
import type { KindredClient } from '../../core/client/index.js';
import type { ConversationId, MessageView } from '../shared/api.std.js';
import { groupConversationId } from './conversationId.std.js';
import type { DesktopLogger } from './logger.main.js';
import type { LocalDataStore } from './VaultPreferences.main.js';

const NOTICES_KEY = 'desktop/group-renewal-notices';
/** A group keeps its newest notices only: each restore of a member adds one. */
const MAX_PER_GROUP = 50;

const notice = z.object({
  at: z.number().int().min(0),
  member: z.string().min(1).max(200),
  direction: z.enum(['in', 'out']),
});
const stored = z.record(z.string(), z.array(notice));

type RenewalNotice = z.infer<typeof notice>;

/**
 * The "secure session renewed" lines of group conversations. Core stores a 1:1 conversation's
 * notice in its history and only reports a group's (`groupSessionRenewed`: we were restored and
 * replaced our sender key, or a fellow member was and renewed its session with us), so the window
 * keeps those here, sealed in the vault with the other desktop records, and weaves them into the
 * group's timeline by time.
 */
export class RenewalNotices {
  readonly #store: LocalDataStore;
  readonly #notices: Map<ConversationId, RenewalNotice[]>;
  #writes: Promise<void> = Promise.resolve();

  private constructor(store: LocalDataStore, initial: Map<ConversationId, RenewalNotice[]>) {
    this.#store = store;
    this.#notices = initial;
  }

  static async load(store: LocalDataStore): Promise<RenewalNotices> {
    const parsed = stored.safeParse(await store.get(NOTICES_KEY));
    return new RenewalNotices(store, new Map(parsed.success ? Object.entries(parsed.data) : []));
  }

  /**
   * Keeps every `groupSessionRenewed` the client reports; `onStored` hears the conversation once
   * its notice is in the vault. Returns the function that stops listening.
   */
  listen(
    client: KindredClient,
    onStored: (id: ConversationId) => void,
    logger: DesktopLogger,
  ): () => void {
    return client.on('groupSessionRenewed', ({ groupId, member, direction }) => {
      const id = groupConversationId(groupId);
      this.#add(id, { at: Date.now(), member, direction }).then(
        () => {
          onStored(id);
        },
        (error: unknown) => {
          logger.warn(
            { kind: error instanceof Error ? error.name : typeof error },
            'a renewal notice was not stored',
          );
        },
      );
    });
  }

  /**
   * `views` (a group's timeline, in order) with the group's notices placed by time; `names`
   * gives a member's pseudonym by address.
   */
  weave(
    id: ConversationId,
    views: readonly MessageView[],
    self: string,
    names: ReadonlyMap<string, string>,
  ): MessageView[] {
    const notices = this.#notices.get(id) ?? [];
    if (notices.length === 0) return [...views];
    const merged: MessageView[] = [];
    let n = 0;
    for (const view of views) {
      for (; n < notices.length && (notices[n]?.at ?? 0) < view.sentAt; n++) {
        merged.push(noticeView(notices[n], n, self, names));
      }
      merged.push(view);
    }
    for (; n < notices.length; n++) merged.push(noticeView(notices[n], n, self, names));
    return merged;
  }

  has(id: ConversationId): boolean {
    return (this.#notices.get(id)?.length ?? 0) > 0;
  }

  #add(id: ConversationId, entry: RenewalNotice): Promise<void> {
    const write = this.#writes.then(async () => {
      const list = [...(this.#notices.get(id) ?? []), entry].slice(-MAX_PER_GROUP);
      this.#notices.set(id, list);
      await this.#store.put(NOTICES_KEY, Object.fromEntries(this.#notices));
    });
    this.#writes = write.catch(() => undefined);
    return write;
  }
}

function noticeView(
  entry: RenewalNotice | undefined,
  index: number,
  self: string,
  names: ReadonlyMap<string, string>,
): MessageView {
  const at = entry?.at ?? 0;
  const member = entry?.member ?? '';
  const mine = entry?.direction === 'out' || member === self;
  const name = names.get(member);
  return {
    id: `renewal-${index}-${at}`,
    kind: 'notice',
    author: { address: member, name: name ?? '', self: mine },
    text: '',
    notice: mine
      ? { kind: 'renewed', who: 'you' }
      : { kind: 'renewed', who: 'member', ...(name === undefined ? {} : { name }) },
    sentAt: at,
    delivery: 'received',
    reactions: [],
    deleted: false,
    pinned: false,
  };
}
