import {
  CoreError,
  CoreErrorCode,
  RelayErrorCode,
  parseContactInviteLink,
} from '../../core/client/index.js';
import type { DeliveryFailure } from '../shared/api.std.js';

/**
 * Why one of our messages was not delivered, as the window words it after "Not delivered"
 * (the `deliveryReasons` catalogue area). Keyed by the code the message keeps (a relay refusal's
 * own code, or core's); anything not listed is `other`.
 */
const FAILURES: Readonly<Record<string, DeliveryFailure>> = {
  [RelayErrorCode.UnknownRecipient]: 'unknown-recipient',
  [RelayErrorCode.AccessDenied]: 'access-denied',
  [RelayErrorCode.MailboxFull]: 'mailbox-full',
  [RelayErrorCode.FrameTooLarge]: 'too-large',
  [RelayErrorCode.RateLimited]: 'rate-limited',
  [RelayErrorCode.BadRetention]: 'bad-retention',
  [CoreErrorCode.RelayUnreachable]: 'unreachable',
  [CoreErrorCode.RelayTimeout]: 'timeout',
  [CoreErrorCode.ContactRefused]: 'link-used',
  [CoreErrorCode.MessageTooLarge]: 'too-large',
};

export function deliveryFailure(code: string | undefined): DeliveryFailure {
  return (code === undefined ? undefined : FAILURES[code]) ?? 'other';
}

/** Why an add-contact was refused, naming the person whose link it was. */
export function refusedLinkWords(code: string, name: string): string | undefined {
  switch (code) {
    case CoreErrorCode.InviteUsedUp:
      return `This link was already used. Ask ${name} for a new one.`;
    case CoreErrorCode.InviteExpired:
      return `This link has expired. Ask ${name} for a new one.`;
    default:
      return undefined;
  }
}

/**
 * A refused contact link, worded with the name the link carries ("Ask Alice for a new one").
 * Keeps core's code; the words go to the window only (toApiError), never to a log.
 */
export class NamedLinkRefusal extends Error {
  override readonly name = 'NamedLinkRefusal';

  constructor(
    readonly code: string,
    readonly words: string,
    /** The name in `words`, so the window can word it in its own language. */
    readonly pseudonym: string,
    options: { cause: unknown },
  ) {
    super(code, options);
  }

  static is(error: unknown): error is NamedLinkRefusal {
    return error instanceof NamedLinkRefusal;
  }
}

/** `error` as a NamedLinkRefusal when it is a used-up or expired link's refusal. */
export function namedLinkRefusal(error: unknown, link: string): unknown {
  if (!CoreError.is(error)) return error;
  let name: string;
  try {
    name = parseContactInviteLink(link, 0).card.pseudonym;
  } catch {
    return error;
  }
  const words = refusedLinkWords(error.code, name);
  return words === undefined
    ? error
    : new NamedLinkRefusal(error.code, words, name, { cause: error });
}
