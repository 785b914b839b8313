/**
 * The relay operator's side of the directory in the window's tests: approving what owners asked
 * to list, as `kindred-server directory approve` does.
 */
import type { UiStage } from './uiStage.js';

/** Approves every pending listing request of the stage's relay; how many were approved. */
export async function approvePendingListings(stage: UiStage | undefined): Promise<number> {
  if (stage === undefined) throw new Error('no stage');
  throw new Error('filled in once dirrelay lands: its operator API');
}
