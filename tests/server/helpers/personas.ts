// Test personas and the frames they send to authenticate, register and upload prekeys.
import { randomBytes } from 'node:crypto';
import {
  MemoryKeyValueStore,
  Persona,
  PersonaCipher,
  accessKeyHash,
  authSigningBytes,
  solveProofOfWork,
} from '../../../core/index.js';
import type { wire } from '../../../core/index.js';
import type { ClientBody, RawClient } from './rawClient.js';

export interface TestPersona {
  readonly persona: Persona;
  readonly address: string;
  readonly accessKey: Uint8Array;
}

let counter = 0;

export function newTestPersona(): TestPersona {
  const persona = Persona.generate(`tester ${++counter}`);
  return { persona, address: persona.address, accessKey: new Uint8Array(randomBytes(32)) };
}

export type RegistrationGate =
  | { readonly kind: 'none' }
  | { readonly kind: 'pow'; readonly difficulty?: number; readonly nonce?: Uint8Array }
  | { readonly kind: 'invite'; readonly token: Uint8Array };

/** The AuthResponse for `client`'s challenge; with `register`, a Registration passing `gate`. */
export function authBody(
  client: RawClient,
  tester: TestPersona,
  options: { readonly register?: boolean; readonly gate?: RegistrationGate } = {},
): ClientBody {
  const challenge = client.challenge;
  const identityKey = tester.persona.identityPublicKey;
  const signature = tester.persona.sign(
    authSigningBytes({
      relayId: challenge.relayId,
      nonce: challenge.nonce,
      serverTime: challenge.serverTime,
      identityKey,
    }),
  );
  if (options.register !== true) {
    return { case: 'auth', value: { identityKey, signature } };
  }
  const gate = options.gate ?? { kind: 'pow' };
  let gateInit: wire.Registration['gate'] | { case: undefined } = { case: undefined };
  if (gate.kind === 'pow') {
    gateInit = {
      case: 'powNonce',
      value:
        gate.nonce ??
        solveProofOfWork(
          challenge.relayId,
          identityKey,
          gate.difficulty ?? challenge.powDifficulty,
        ),
    };
  } else if (gate.kind === 'invite') {
    gateInit = { case: 'inviteToken', value: gate.token };
  }
  return {
    case: 'auth',
    value: {
      identityKey,
      signature,
      registration: {
        registrationId: tester.persona.registrationId,
        accessKeyHash: accessKeyHash(tester.accessKey),
        gate: gateInit,
      },
    },
  };
}

/** Authenticates (registering on first use) and returns the AuthOk. */
export async function authenticate(
  client: RawClient,
  tester: TestPersona,
  options: { readonly register?: boolean; readonly gate?: RegistrationGate } = { register: true },
): Promise<wire.AuthOk> {
  return client.expect(authBody(client, tester, options), 'authOk');
}

/** Real libsignal prekeys for `tester`, as an UploadPreKeys body. */
export async function preKeyUpload(
  tester: TestPersona,
  counts: { readonly oneTimePreKeys: number; readonly oneTimeKyberPreKeys: number },
): Promise<ClientBody> {
  const cipher = new PersonaCipher(tester.persona, new MemoryKeyValueStore());
  const upload = await cipher.generatePreKeys(counts);
  return {
    case: 'uploadPreKeys',
    value: {
      signedPreKey: upload.signedPreKey,
      lastResortKyberPreKey: upload.lastResortKyberPreKey,
      oneTimePreKeys: [...upload.oneTimePreKeys],
      oneTimeKyberPreKeys: [...upload.oneTimeKyberPreKeys],
    },
  };
}

export function sendBody(
  recipient: TestPersona,
  sealed: Uint8Array,
  accessKey: Uint8Array = recipient.accessKey,
): ClientBody {
  return { case: 'sendEnvelope', value: { recipient: recipient.address, accessKey, sealed } };
}
