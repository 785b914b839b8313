import { groupResourceUri } from '../../core/client/index.js';
import type { GroupHandle } from '../../core/client/index.js';
import type { GroupResourcesView } from '../shared/groupResourceViews.std.js';
import type { ApiHandlers } from './callRouter.main.js';
import { resolveGroup } from './conversationTargets.main.js';
import type { UnlockedVault } from './UnlockedVault.main.js';

/**
 * A group's pinned resources: read from its sealed info in this process (nothing new sent), and
 * replaced by a moderator through the same core call as `kindred group resources set`, so core's
 * rules (checkGroupResources) are the only ones: a bad list is CORE_INVALID_INPUT naming its place.
 */
export function groupResourceHandlers(
  vault: () => UnlockedVault,
): Pick<ApiHandlers, 'groups.resources' | 'groups.setResources'> {
  return {
    'groups.resources': async (args): Promise<GroupResourcesView> => {
      const { handle } = await resolveGroup(vault().client, args.conversationId);
      return resourcesView(handle);
    },
    'groups.setResources': async (args): Promise<GroupResourcesView> => {
      const { handle } = await resolveGroup(vault().client, args.conversationId);
      await handle.setResources(args.resources);
      return resourcesView(handle);
    },
  };
}

async function resourcesView(handle: GroupHandle): Promise<GroupResourcesView> {
  const details = await handle.details();
  return {
    groupName: details.name,
    resources: (details.resources ?? []).map((resource) => ({
      ...resource,
      href: groupResourceUri(resource),
    })),
  };
}
