import { groupResourceUri } from '../../core/client/index.js';
import type { GroupResourcesView } from '../shared/groupResourceViews.std.js';
import type { ApiHandlers } from './callRouter.main.js';
import { resolveGroup } from './conversationTargets.main.js';
import type { UnlockedVault } from './UnlockedVault.main.js';

/** A group's pinned resources, opened from its sealed info in this process (nothing new sent). */
export function groupResourceHandlers(
  vault: () => UnlockedVault,
): Pick<ApiHandlers, 'groups.resources'> {
  return {
    'groups.resources': async (args): Promise<GroupResourcesView> => {
      const { handle } = await resolveGroup(vault().client, args.conversationId);
      const details = await handle.details();
      return {
        groupName: details.name,
        resources: (details.resources ?? []).map((resource) => ({
          ...resource,
          href: groupResourceUri(resource),
        })),
      };
    },
  };
}
