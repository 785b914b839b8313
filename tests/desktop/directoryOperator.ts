/**
 * The relay operator's side of the directory in the desktop and window tests: approving what
 * owners asked to list through the running relay's admin socket, as `kindred-server directory
 * pending` and `directory approve GROUP_ID` do.
 */
import { requestAdmin } from '../../server/ops/AdminSocket.js';

/** Approves every pending listing request of the relay on `dataDir`; how many were approved. */
export async function approvePendingListings(relay: { readonly dataDir: string }): Promise<number> {
  const answer = await requestAdmin(relay.dataDir, { command: 'directory', action: 'pending' });
  if (answer?.ok !== true || !('pending' in answer)) {
    throw new Error(`the relay did not list pending requests: ${JSON.stringify(answer)}`);
  }
  const pending = answer.pending as readonly { readonly groupId: string }[];
  for (const { groupId } of pending) {
    const approved = await requestAdmin(relay.dataDir, {
      command: 'directory',
      action: 'approve',
      groupId,
    });
    if (approved?.ok !== true) {
      throw new Error(`the relay did not approve ${groupId}: ${JSON.stringify(approved)}`);
    }
  }
  return pending.length;
}
