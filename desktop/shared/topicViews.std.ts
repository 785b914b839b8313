/**
 * What the window shows of a group's topics (docs/groups.md, "Topics and threads"): core's
 * GroupTopicView as plain JSON. General is first, with id ''; the window translates its name.
 */
export interface TopicView {
  /** The topic id in hex; '' for General. */
  readonly id: string;
  /** Its name ('' when no secret we hold opens it); General's is translated by the window. */
  readonly name: string;
  readonly general: boolean;
  /** Closed to new posts: the composer says so instead of sending. */
  readonly closed: boolean;
  /** Messages in it now (thread replies count in their root's topic). */
  readonly messages: number;
  /** Others' messages in it after our read marker for it. */
  readonly unread: number;
}
