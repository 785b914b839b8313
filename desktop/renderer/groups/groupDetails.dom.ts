import type { ConversationSummary, GroupView } from '../../shared/api.std.js';
import type { KindredApi } from '../bridge.dom.js';

/**
 * How many groups.details calls run at once: the main process refuses a window with too many
 * calls in flight (DESKTOP_BUSY), and someone may be in dozens of groups.
 */
const DETAILS_CONCURRENCY = 4;

/** Every group's details, in the order given; a group that fails to load is left out. */
export async function loadGroupDetails(
  api: KindredApi,
  conversations: readonly ConversationSummary[],
): Promise<GroupView[]> {
  const groups = conversations.filter((conversation) => conversation.kind === 'group');
  const results: (GroupView | undefined)[] = new Array<GroupView | undefined>(groups.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < groups.length) {
      const index = next++;
      const group = groups[index];
      if (group === undefined) continue;
      try {
        results[index] = await api.call('groups.details', { conversationId: group.id });
      } catch {
        results[index] = undefined;
      }
    }
  };
  await Promise.all(Array.from({ length: DETAILS_CONCURRENCY }, worker));
  return results.filter((group): group is GroupView => group !== undefined);
}
