import { randomBytes } from 'node:crypto';
import {
  ProtocolAddress,
  PublicKey,
  SenderCertificate,
  UnidentifiedSenderMessageContent,
  sealedSenderEncrypt,
  signalEncrypt,
} from '@signalapp/libsignal-client';
import type { RegistrationInit } from '../../core/client/index.js';
import {
  ACCESS_KEY_BYTES,
  MemoryKeyValueStore,
  PERSONA_DEVICE_ID,
  Persona,
  PersonaCipher,
  RelayConnection,
  accessKeyHash,
  parseContactInviteLink,
  solveProofOfWork,
  utf8,
  wire,
} from '../../core/client/index.js';

/**
 * Plays someone who passes another identity key off as their own: Mallory registers on the relay
 * (so her sender certificate is genuine and its key derives her address), then writes to the
 * invite's owner with a prekey message made under a different identity key. libsignal's own
 * clients never build such a message, so it is put together here by hand. Resolves once the relay
 * has stored the envelope.
 */
export async function sendImpersonatingMessage(
  relayUrl: string,
  inviteLink: string,
): Promise<void> {
  const target = parseContactInviteLink(inviteLink).card;
  const mallory = Persona.generate('Mallory');
  const connection = await RelayConnection.open({ url: relayUrl });
  try {
    const authOk = await connection.authenticate(mallory, registrationFor(mallory, connection));
    const bundle = await connection.request(
      {
        case: 'fetchPreKeyBundle',
        value: { address: target.address, accessKey: target.accessKey },
      },
      'preKeyBundle',
    );
    const { signedPreKey, kyberPreKey } = bundle;
    if (signedPreKey === undefined || kyberPreKey === undefined) {
      throw new Error('the relay returned an incomplete bundle');
    }
    // The session (and so the prekey message) is made under someone else's identity key.
    const someoneElse = Persona.generate('Someone Else');
    const impostor = new PersonaCipher(someoneElse, new MemoryKeyValueStore());
    await impostor.startSession({
      address: bundle.address,
      registrationId: bundle.registrationId,
      identityKey: bundle.identityKey,
      signedPreKey,
      kyberPreKey,
      ...(bundle.preKey === undefined ? {} : { preKey: bundle.preKey }),
    });
    const recipient = ProtocolAddress.new(target.address, PERSONA_DEVICE_ID);
    const inner = await signalEncrypt(
      utf8('it is me, really'),
      recipient,
      ProtocolAddress.new(someoneElse.address, PERSONA_DEVICE_ID),
      impostor.stores.sessions,
      impostor.stores.identities,
    );

    // Sealed by Mallory, with Mallory's certificate, around the impostor's message.
    const malloryStores = new PersonaCipher(mallory, new MemoryKeyValueStore()).stores;
    await malloryStores.identities.saveIdentity(
      recipient,
      PublicKey.deserialize(new Uint8Array(target.identityKey)),
    );
    const content = UnidentifiedSenderMessageContent.new(
      inner,
      SenderCertificate.deserialize(new Uint8Array(authOk.senderCertificate)),
      0,
      null,
    );
    const sealed = await sealedSenderEncrypt(content, recipient, malloryStores.identities);
    await connection.request(
      {
        case: 'sendEnvelope',
        value: { recipient: target.address, accessKey: target.accessKey, sealed },
      },
      'sendAck',
    );
  } finally {
    connection.close();
  }
}

function registrationFor(persona: Persona, connection: RelayConnection): RegistrationInit {
  const challenge = connection.challenge;
  const base = {
    registrationId: persona.registrationId,
    accessKeyHash: accessKeyHash(new Uint8Array(randomBytes(ACCESS_KEY_BYTES))),
  };
  if (challenge.registration !== wire.RegistrationPolicy.POW) return base;
  const nonce = solveProofOfWork(
    challenge.relayId,
    persona.identityPublicKey,
    challenge.powDifficulty,
  );
  return { ...base, gate: { case: 'powNonce', value: nonce } };
}
