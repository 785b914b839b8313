/**
 * The relay operator's side of the directory in the desktop and window tests: approving what
 * owners asked to list, as `kindred-server directory approve` does.
 */
import type { RunningRelay } from '../../server/index.js';

/** Approves every pending listing request of the relay; how many were approved. */
export async function approvePendingListings(relay: RunningRelay): Promise<number> {
  void relay;
  throw new Error('filled in once dirrelay lands: its operator API');
}
