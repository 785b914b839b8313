import { CoreError, CoreErrorCode } from '../../errors/CoreError.js';
import type { PersonaSession } from '../PersonaSession.js';
import { GroupHandle } from './GroupHandle.js';
import type { GroupSummary } from './GroupReading.js';

/**
 * Finding a group among all of a vault's personas, and the checks before joining one: what
 * KindredClient's group calls share.
 */

/** CORE_INVALID_INPUT when a persona of the vault is in the group or asking to be. */
export async function checkNotInGroup(
  sessions: readonly PersonaSession[],
  groupId: string,
): Promise<void> {
  for (const session of sessions) {
    if (!(await session.groups.reading.has(groupId))) continue;
    const { status } = await session.groups.reading.summary(groupId);
    if (status === 'active' || status === 'requested') {
      throw new CoreError(CoreErrorCode.InvalidInput, 'you are already in that group');
    }
  }
}

/**
 * A group by its id (32 hex characters) or by its name when only one group has it;
 * CORE_GROUP_NOT_FOUND otherwise. Several personas can hold one group (one left it, another
 * joined later): the handle is the persona's that is in it ('active'), else the one asking to
 * be ('requested'), else the one whose membership ended last (its copy of the log is the
 * longest: a member banned after rejoining sees its ban, not its older removal).
 */
export async function findGroup(
  sessions: readonly PersonaSession[],
  reference: string,
): Promise<GroupHandle> {
  const wanted = reference.trim();
  const id = wanted.toLowerCase();
  interface Holder {
    readonly handle: GroupHandle;
    readonly status: GroupSummary['status'];
    readonly logLength: number;
  }
  const pick = (holders: readonly Holder[]): GroupHandle | undefined =>
    (
      holders.find((holder) => holder.status === 'active') ??
      holders.find((holder) => holder.status === 'requested') ??
      holders.reduce<Holder | undefined>(
        (latest, holder) =>
          latest === undefined || holder.logLength > latest.logLength ? holder : latest,
        undefined,
      )
    )?.handle;
  const byId: Holder[] = [];
  const byName = new Map<string, Holder[]>();
  for (const session of sessions) {
    const holder = async (groupId: string): Promise<Holder> => {
      const { status, logLength } = await session.groups.reading.details(groupId);
      return {
        handle: new GroupHandle(session.groups, groupId, session.address),
        status,
        logLength,
      };
    };
    if (await session.groups.reading.has(id)) {
      byId.push(await holder(id));
      continue;
    }
    for (const groupId of await session.groups.reading.findByName(wanted)) {
      const holders = byName.get(groupId) ?? [];
      holders.push(await holder(groupId));
      byName.set(groupId, holders);
    }
  }
  const [named, ...others] = byName.values();
  const chosen =
    pick(byId) ?? (others.length === 0 && named !== undefined ? pick(named) : undefined);
  if (chosen !== undefined) return chosen;
  throw new CoreError(
    CoreErrorCode.GroupNotFound,
    byName.size > 1 ? 'several groups have that name: use the group id' : 'no such group',
  );
}
