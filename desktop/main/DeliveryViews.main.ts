import {
  CoreError,
  CoreErrorCode,
  RelayErrorCode,
  parseContactInviteLink,
} from '../../core/client/index.js';

/**
 * Why one of our messages was not delivered, in the words the window shows after "Not
 * delivered". Keyed by the code the message keeps (a relay refusal's own code, or core's);
 * anything not listed reads as the generic line. Every string lives here, for the later
 * translation wave.
 */
const FAILURE_WORDS: Readonly<Record<string, string>> = {
  [RelayErrorCode.UnknownRecipient]: 'the relay does not know this contact any more',
  [RelayErrorCode.AccessDenied]: 'the contact no longer accepts messages from you',
  [RelayErrorCode.MailboxFull]: 'the contact’s mailbox is full',
  [RelayErrorCode.FrameTooLarge]: 'the message is too large',
  [RelayErrorCode.RateLimited]: 'the relay is limiting how fast you send',
  [RelayErrorCode.BadRetention]: 'the relay refused the message’s timer',
  [CoreErrorCode.RelayUnreachable]: 'the relay could not be reached in time',
  [CoreErrorCode.RelayTimeout]: 'the relay did not answer in time',
  [CoreErrorCode.ContactRefused]: 'not connected: the contact’s link was already used',
  [CoreErrorCode.MessageTooLarge]: 'the message is too large',
};

const GENERIC_FAILURE = 'the relay did not take it';

export function failureWords(code: string | undefined): string {
  return (code === undefined ? undefined : FAILURE_WORDS[code]) ?? GENERIC_FAILURE;
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
