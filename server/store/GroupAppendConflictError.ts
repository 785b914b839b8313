/**
 * Why `RelayStore.appendGroupEntry` refused an append: the group already exists (a create), does
 * not exist, or its log is not at the length the entry was checked against (another operation was
 * appended first, possibly by another relay node).
 */
export type GroupAppendConflict = 'exists' | 'missing' | 'moved';

/** Thrown by `appendGroupEntry` when its condition does not hold; nothing was written. */
export class GroupAppendConflictError extends Error {
  override readonly name = 'GroupAppendConflictError';
  readonly code = 'RELAY_STORE_GROUP_CONFLICT';

  constructor(readonly reason: GroupAppendConflict) {
    super(`group append refused: ${reason}`);
  }

  static is(error: unknown): error is GroupAppendConflictError {
    return error instanceof GroupAppendConflictError;
  }
}
