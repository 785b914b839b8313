/**
 * The window's calls for message requests (docs/messages.md, "Message requests"): writing
 * privately to a fellow group member where the group's policy allows it, and the requests inbox
 * on the receiving side. Kept apart from api.std.ts, which spreads these schemas into its own.
 */
import { z } from 'zod';
import { MAX_MESSAGE_LENGTH } from './messageLimits.std.js';

/** A request is named by 16 random hex characters (core's MessageRequest.id). */
const requestId = z.string().regex(/^[0-9a-f]{16}$/u, 'a request id is 16 hex characters');

export const requestSchemas = {
  /** The open requests of every persona of the vault, oldest first. */
  'requests.list': z.object({}),
  /** Accepts it: the sender becomes a contact and its messages move into that conversation. */
  'requests.accept': z.object({ requestId }),
  /** Deletes it; nothing is sent, and they may ask again. */
  'requests.decline': z.object({ requestId }),
  /** Deletes it and revokes the sender's keys at the relay: its next message is refused there. */
  'requests.block': z.object({ requestId }),
  /** Sends it to the moderators of the group it came through; the request stays. */
  'requests.report': z.object({ requestId, reason: z.string().max(500).optional() }),
  /**
   * Writes to a fellow member of the group (CORE_PRIVATE_MESSAGES_OFF when its policy does not
   * allow it): a request, unless they are a contact already.
   */
  'requests.writePrivately': z.object({
    conversationId: z.string().min(3).max(200),
    member: z.string().min(1).max(200),
    text: z.string().trim().min(1).max(MAX_MESSAGE_LENGTH),
  }),
} as const;

/** One message a request holds, as it arrived. */
export interface RequestMessageView {
  readonly id: string;
  readonly sentAt: number;
  /** Under `warning`, the window covers it until the person chooses to read it. */
  readonly text: string;
  /** The sender's content warning, if it put one on the message. */
  readonly warning?: string;
}

/** An open message request, as the inbox shows it. */
export interface MessageRequestView {
  readonly id: string;
  /** The sender's pseudonym in the group both are members of. */
  readonly from: string;
  readonly fromAddress: string;
  /** The group it came through (its name, and its conversation in the window). */
  readonly groupName: string;
  readonly groupConversationId: string;
  /** Which of our personas it was written to. */
  readonly persona: { readonly address: string; readonly pseudonym: string };
  readonly receivedAt: number;
  /** Oldest first. */
  readonly messages: readonly RequestMessageView[];
}

export interface RequestResults {
  'requests.list': MessageRequestView[];
  /** The conversation the accepted messages are now in. */
  'requests.accept': { conversationId: string };
  'requests.decline': null;
  /** `revokedAtRelay` false: the relay could not be reached now; revoked on the next connection. */
  'requests.block': { revokedAtRelay: boolean };
  /** How many moderators it went to. */
  'requests.report': { sentTo: number };
  /** The conversation the message is in (it shows there as sent as a request). */
  'requests.writePrivately': { conversationId: string };
}
