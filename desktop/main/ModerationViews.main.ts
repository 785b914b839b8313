import type { GroupHandle, KindredClient } from '../../core/client/index.js';
import { toHex } from '../../core/client/index.js';
import type { ApiHandlers, ApiParsedArgs } from './callRouter.main.js';
import type { BannedView, GroupPreviewView, ModerationCountsView } from '../shared/api.std.js';
import { resolveGroup } from './conversationTargets.main.js';
import type { UnlockedVault } from './UnlockedVault.main.js';

type ModerationMethod =
  'groups.preview' | 'groups.dismissReport' | 'groups.banned' | 'groups.forget';

/**
 * What a moderator's badges count in one group: join requests waiting, and reports that no
 * moderator handled (the log says) and we did not dismiss. Undefined where we do not moderate
 * (a plain member, or someone no longer in the group), so no badge shows there.
 */
export async function moderationCounts(
  handle: GroupHandle,
  group: { readonly status: string; readonly role: string | undefined; readonly requests: number },
): Promise<ModerationCountsView | undefined> {
  if (group.status !== 'active' || (group.role !== 'owner' && group.role !== 'moderator')) {
    return undefined;
  }
  return { requests: group.requests, reports: await openReports(handle) };
}

/** The chat list's `moderation` field of a group: present only where we moderate. */
export async function moderationField(
  handle: GroupHandle,
  group: { readonly status: string; readonly role: string | undefined; readonly requests: number },
): Promise<{ moderation?: ModerationCountsView }> {
  const counts = await moderationCounts(handle, group);
  return counts === undefined ? {} : { moderation: counts };
}

/** Reports neither handled by a moderator (from the log) nor dismissed by us. */
export async function openReports(handle: GroupHandle): Promise<number> {
  const reports = await handle.reports();
  return reports.filter((report) => report.handled === undefined && !report.dismissed).length;
}

/** Our copy's content warning of each message (by hex id) that carries one. */
export async function warningsById(handle: GroupHandle): Promise<Map<string, string>> {
  const warnings = new Map<string, string>();
  for (const message of await handle.messages()) {
    if (!message.deleted && message.warning !== undefined) {
      warnings.set(toHex(message.messageId), message.warning);
    }
  }
  return warnings;
}

/**
 * The moderation calls added for issue 15: a link's preview before joining, dismissing a
 * report, the banned list (to unban from), and forgetting a group we are out of.
 */
export function moderationHandlers(
  vault: () => UnlockedVault,
  emitListsChanged: () => void,
): Pick<ApiHandlers, ModerationMethod> {
  return {
    'groups.preview': (args) => preview(vault().client, args),
    'groups.dismissReport': async (args) => {
      const { handle } = await resolveGroup(vault().client, args.conversationId);
      await handle.dismissReport(args.index);
      // The badges count open reports: the lists show them.
      emitListsChanged();
      return null;
    },
    'groups.banned': async (args): Promise<BannedView[]> => {
      const { handle } = await resolveGroup(vault().client, args.conversationId);
      return (await handle.banned()).map((banned) => ({
        address: banned.address,
        pseudonym: banned.pseudonym === '' ? banned.address.slice(0, 8) : banned.pseudonym,
      }));
    },
    'groups.forget': async (args) => {
      const { handle } = await resolveGroup(vault().client, args.conversationId);
      await handle.forget();
      emitListsChanged();
      return null;
    },
  };
}

async function preview(
  client: KindredClient,
  args: ApiParsedArgs<'groups.preview'>,
): Promise<GroupPreviewView> {
  const shown = await client.previewGroup(args.link.trim());
  const alreadyIn = (await client.groups()).some(
    (group) =>
      group.groupId === shown.groupId &&
      (group.status === 'active' || group.status === 'requested'),
  );
  return { ...shown, alreadyIn };
}
