import { ruleContextOf } from './disappearing/VaultSweeper.js';
import { randomBytes } from 'node:crypto';
import { bytesEqual, ownedBytes } from '../bytes/bytes.js';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';
import type { Persona } from '../persona/Persona.js';
import { ACCESS_KEY_BYTES } from '../protocol/frames.js';
import type { AuthOk } from '../protocol/gen/kindred_pb.js';
import { RegistrationPolicy } from '../protocol/gen/kindred_pb.js';
import { accessKeyHash, solveProofOfWork } from '../protocol/relayAuth.js';
import type { KeyValueStore } from '../storage/KeyValueStore.js';
import type { ClientProfileData } from './ClientProfile.js';
import { writeClientProfile } from './ClientProfile.js';
import type { EmitTaggedEvent } from './clientEvents.js';
import type { KindredClientOptions } from './clientOptions.js';
import { connectionTimeouts } from './clientOptions.js';
import { PersonaState } from './PersonaState.js';
import type { RegistrationInit, RelayPin } from './RelayConnection.js';
import { RelayConnection } from './RelayConnection.js';
import type { PersonaProxySetting } from './SocksProxy.js';
import { newProxySetting, socksProxyFor, writeProxySetting } from './SocksProxy.js';

/** The relay a persona registers with, and how to reach it. */
export interface RelayTarget {
  readonly url: string;
  readonly allowInsecureTransport: boolean;
  /** The relay already pinned (by another persona in the vault); absent on first use. */
  readonly pin?: RelayPin;
  /**
   * On first use, the trust root the relay must present: the one a group or contact link named,
   * so a link cannot lead a fresh persona to a relay other than the one it vouches for.
   */
  readonly trustRoot?: Uint8Array;
}

/** What registering a persona takes; see {@link registerWithRelay}. */
export interface PersonaRegistration {
  /** A persona already in the vault, and the vault scope that holds its data. */
  readonly persona: Persona;
  readonly scope: KeyValueStore;
  readonly relay: RelayTarget;
  /** Operator-signed token, for relays that register by invite. */
  readonly inviteToken?: Uint8Array;
  /** A SOCKS5 proxy (`socks5://host:port`) to register and run through, with own credentials. */
  readonly proxyUrl?: string;
  readonly options: KindredClientOptions;
  readonly emit: EmitTaggedEvent;
}

/** A persona the relay has just registered, handed to registerWithRelay's `finish`. */
export interface RegisteredPersona {
  readonly state: PersonaState;
  readonly profile: ClientProfileData;
  readonly proxy: PersonaProxySetting | undefined;
  /** The relay's answer to the registering handshake (it carries a sender certificate). */
  readonly authOk: AuthOk;
  /** The registering connection, authenticated, open until `finish` settles. */
  readonly connection: RelayConnection;
}

/**
 * Registers a persona already in the vault with a relay: reads the relay's challenge (and pins
 * it, on first use), registers with proof of work or an invite token, and stores the client
 * profile and proxy setting; then `finish` runs (PersonaSession stores the sender certificate and
 * uploads prekeys) on the registering connection, which is closed after. On failure the persona's
 * scope may hold partial state: the caller deletes the persona.
 */
export async function registerWithRelay<T>(
  registration: PersonaRegistration,
  finish: (registered: RegisteredPersona) => Promise<T>,
): Promise<T> {
  const { persona, relay, options } = registration;
  // Checked before anything goes out: a bad proxy address must not fall back to a direct line.
  const proxy =
    registration.proxyUrl === undefined ? undefined : newProxySetting(registration.proxyUrl);
  let connection: RelayConnection | undefined;
  try {
    const connect = (): Promise<RelayConnection> =>
      RelayConnection.open({
        url: relay.url,
        allowInsecureTransport: relay.allowInsecureTransport,
        ...(relay.pin === undefined ? {} : { pin: relay.pin }),
        ...(proxy === undefined ? {} : { proxy: socksProxyFor(proxy) }),
        ...connectionTimeouts(options),
      });
    // The first challenge tells us the relay and its registration policy. Proof of work is
    // bound to the relay and our key, not to a connection, so it is solved with no connection
    // open: solving it may take longer than the relay's handshake deadline.
    const first = await connect();
    const challenge = first.challenge;
    first.close();
    if (relay.trustRoot !== undefined && !bytesEqual(challenge.trustRoot, relay.trustRoot)) {
      throw new CoreError(
        CoreErrorCode.RelayMismatch,
        'the relay at that address is not the one the link names',
      );
    }
    const accessKey = ownedBytes(randomBytes(ACCESS_KEY_BYTES));
    const gate = registrationFor(persona, challenge.registration, {
      relayId: challenge.relayId,
      powDifficulty: challenge.powDifficulty,
      accessKey,
      ...(registration.inviteToken === undefined ? {} : { inviteToken: registration.inviteToken }),
    });
    connection = await connect();
    if (
      !bytesEqual(connection.challenge.relayId, challenge.relayId) ||
      !bytesEqual(connection.challenge.trustRoot, challenge.trustRoot)
    ) {
      throw new CoreError(
        CoreErrorCode.RelayMismatch,
        'the relay changed identity during registration',
      );
    }
    const authOk = await connection.authenticate(persona, gate);
    const profile: ClientProfileData = {
      relayUrl: relay.url,
      trustRoot: ownedBytes(challenge.trustRoot),
      relayId: ownedBytes(challenge.relayId),
      allowInsecureTransport: relay.allowInsecureTransport,
      accessKey,
      registeredAt: Date.now(),
    };
    const state = new PersonaState(
      persona,
      registration.scope,
      ruleContextOf(registration.options),
    );
    await state.transact(async () => {
      await writeClientProfile(state.store, profile);
      await writeProxySetting(state.store, proxy);
    });
    return await finish({ state, profile, proxy, authOk, connection });
  } finally {
    connection?.close();
  }
}

function registrationFor(
  persona: Persona,
  policy: RegistrationPolicy,
  options: {
    relayId: Uint8Array;
    powDifficulty: number;
    accessKey: Uint8Array;
    inviteToken?: Uint8Array;
  },
): RegistrationInit {
  const base = {
    registrationId: persona.registrationId,
    accessKeyHash: accessKeyHash(options.accessKey),
  };
  switch (policy) {
    case RegistrationPolicy.INVITE:
      if (options.inviteToken === undefined) {
        throw new CoreError(
          CoreErrorCode.InvalidInput,
          'this relay admits new personas only with an invite token',
        );
      }
      return { ...base, gate: { case: 'inviteToken', value: options.inviteToken } };
    case RegistrationPolicy.POW:
      return {
        ...base,
        gate: {
          case: 'powNonce',
          value: solveProofOfWork(
            options.relayId,
            persona.identityPublicKey,
            options.powDifficulty,
          ),
        },
      };
    case RegistrationPolicy.OPEN:
    case RegistrationPolicy.UNSPECIFIED:
      return options.inviteToken === undefined
        ? base
        : { ...base, gate: { case: 'inviteToken', value: options.inviteToken } };
    default:
      // Protobuf enums are open: a newer relay may ask for a kind of registration we do not know.
      throw new CoreError(
        CoreErrorCode.BadFrame,
        'the relay asks for a kind of registration this client does not know',
      );
  }
}
