import { bytesEqual } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { PersonaSession } from './PersonaSession.js';
import type { RelayTarget } from './relayRegistration.js';
import { checkRelayUrl } from './relayUrl.js';

/**
 * Which relay each persona of a vault lives on, and which relay a persona made for a link (a
 * group's or a contact's, maybe of another relay) registers with. A relay is known by its trust
 * root: the one thing a link vouches for (its address may move, see moveRelay).
 */

/** The relay a group or contact link leads to, as the link names it. */
export interface LinkedRelay {
  readonly relayUrl: string;
  readonly trustRoot: Uint8Array;
}

/** Whether `session`'s persona is registered with the relay whose trust root is `trustRoot`. */
export function isOnRelay(session: PersonaSession, trustRoot: Uint8Array): boolean {
  const pin = session.relay.pin;
  return pin !== undefined && bytesEqual(pin.trustRoot, trustRoot);
}

/** The first of `sessions` (the main one first) registered with that relay, if any. */
export function sessionOnRelay(
  sessions: Iterable<PersonaSession>,
  trustRoot: Uint8Array,
): PersonaSession | undefined {
  for (const session of sessions) if (isOnRelay(session, trustRoot)) return session;
  return undefined;
}

/**
 * Where a fresh persona for `link` registers: at the pinned relay when a persona of this vault
 * already uses it (its address may have moved since the link was made), else at the link's
 * address, pinned on first use and required to present the link's trust root there. Plain ws://
 * to another machine only when the main persona was set up allowing insecure transport.
 */
export function relayForLink(
  sessions: Iterable<PersonaSession>,
  main: PersonaSession,
  link: LinkedRelay,
): RelayTarget {
  const known = sessionOnRelay(sessions, link.trustRoot);
  if (known !== undefined) return known.relay;
  const { allowInsecureTransport } = main.relay;
  checkRelayUrl(link.relayUrl, { allowInsecureTransport });
  return { url: link.relayUrl, allowInsecureTransport, trustRoot: link.trustRoot };
}

/**
 * Where a persona created by address registers: the relay of a persona already using that
 * address (keeping its pin), else that address, pinned on first use.
 */
export function relayForUrl(
  sessions: Iterable<PersonaSession>,
  main: PersonaSession,
  url: string,
): RelayTarget {
  for (const session of sessions) if (session.relay.url === url) return session.relay;
  const { allowInsecureTransport } = main.relay;
  checkRelayUrl(url, { allowInsecureTransport });
  return { url, allowInsecureTransport };
}

/**
 * CORE_RELAY_MISMATCH when a persona the user chose for a link lives on another relay than the
 * link's: a persona talks only on its own relay, and registering it on a second one would hand
 * both relays one identity key to link it by.
 */
export function checkChosenOnRelay(session: PersonaSession, link: LinkedRelay): void {
  if (isOnRelay(session, link.trustRoot)) return;
  throw new CoreError(
    CoreErrorCode.RelayMismatch,
    'that persona is registered with another relay than the link leads to: use a fresh persona, ' +
      'or one of yours registered there',
  );
}
