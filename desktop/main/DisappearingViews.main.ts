import type { KindredClient } from '../../core/client/index.js';
import type { TimerView } from '../shared/api.std.js';
import type { ConversationTarget } from './conversationTargets.main.js';
import { resolveConversation } from './conversationTargets.main.js';

/**
 * What the header's "Disappearing messages" control offers: Off, then 5 minutes .. 4 weeks (the
 * ends are core's limits; values between them that a person is likely to want). A timer set
 * elsewhere (the CLI takes any value in range) is offered too, so the control shows it as it is.
 */
export const TIMER_CHOICES: readonly number[] = [
  0,
  5 * 60,
  60 * 60,
  8 * 3600,
  86_400,
  7 * 86_400,
  28 * 86_400,
];

/**
 * The conversations.timer and conversations.setTimer calls, one control for both kinds: a 1:1
 * conversation's timer is its own (either side sets it, with a timer-change line both see), a
 * group's is its policy (moderators set it; the log's setPolicy is the event line).
 */
export class DisappearingViews {
  readonly #client: KindredClient;

  constructor(client: KindredClient) {
    this.#client = client;
  }

  async timer(conversationId: string): Promise<TimerView> {
    return timerView(await resolveConversation(this.#client, conversationId));
  }

  /** Sets the timer (CORE_INVALID_INPUT outside 0 or 5 minutes .. 4 weeks; core decides). */
  async setTimer(conversationId: string, seconds: number): Promise<TimerView> {
    const target = await resolveConversation(this.#client, conversationId);
    if (target.kind === 'contact') {
      await target.session.direct.setTimer(target.contact.address, seconds);
    } else {
      await target.handle.setPolicy({ disappearingSeconds: seconds });
    }
    return timerView(target);
  }
}

async function timerView(target: ConversationTarget): Promise<TimerView> {
  let seconds: number;
  let canChange: boolean;
  if (target.kind === 'contact') {
    seconds = await target.session.direct.timer(target.contact.address);
    canChange = target.contact.blocked !== true;
  } else {
    const details = await target.handle.details();
    seconds = details.policy.disappearingSeconds;
    canChange =
      details.status === 'active' && (details.role === 'owner' || details.role === 'moderator');
  }
  const offered = TIMER_CHOICES.includes(seconds) ? TIMER_CHOICES : [...TIMER_CHOICES, seconds];
  return {
    seconds,
    canChange,
    choices: [...offered].sort((a, b) => a - b).map((choice) => ({ seconds: choice })),
  };
}
