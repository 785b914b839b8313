import { describe, expect, it } from 'vitest';
import {
  CoreErrorCode,
  RelayErrorCode,
  coreCodeForRelayRefusal,
} from '../../../core/client/index.js';

describe('coreCodeForRelayRefusal', () => {
  it('gives a refusal by a group rule the code core gives the same rule', () => {
    expect(coreCodeForRelayRefusal(RelayErrorCode.GroupNotMember)).toBe(
      CoreErrorCode.GroupNotMember,
    );
    expect(coreCodeForRelayRefusal(RelayErrorCode.GroupInvalid)).toBe(
      CoreErrorCode.GroupOperationInvalid,
    );
    // A stale log is a conflict seen by the relay first.
    expect(coreCodeForRelayRefusal(RelayErrorCode.GroupStale)).toBe(CoreErrorCode.GroupConflict);
  });

  it('leaves the relay’s own refusals, and unknown codes, without a core code', () => {
    expect(coreCodeForRelayRefusal(RelayErrorCode.RateLimited)).toBeUndefined();
    expect(coreCodeForRelayRefusal(RelayErrorCode.GroupFull)).toBeUndefined();
    expect(coreCodeForRelayRefusal('RELAY_SOMETHING_NEW')).toBeUndefined();
  });
});
