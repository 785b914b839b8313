/**
 * The relay suite's baseline: the least a WebSocket server must do to carry the same traffic.
 * No authentication, no access keys, no rate limits, no storage, no delivery window: a frame from
 * a sender is forwarded at once to the recipient's connection as a Deliver (and answered with a
 * SendAck), an AckEnvelopes is answered with an Ok. It speaks the same frames as the relay (read
 * and written by hand, see wire.ts), so the load generator does exactly the same work for both.
 *
 * Like the relay, it corks each socket until the end of the tick (cork.ts).
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import {
  RelayErrorCode,
  decodeClientFrame,
  encodeServerFrame,
  personaAddressFor,
  wire,
} from '../../core/index.js';
import { CorkingSender } from './cork.js';
import {
  ClientField,
  deliverFrame,
  okFrame,
  readFrame,
  readSendEnvelope,
  sendAckFrame,
} from './wire.js';

export interface RunningForwarder {
  readonly url: string;
  close(): Promise<void>;
}

/** One connection; `lastEnvelopeId` numbers what is delivered to it, like a mailbox. */
class Peer extends CorkingSender {
  lastEnvelopeId = 0;
}

export async function startBareForwarder(): Promise<RunningForwarder> {
  const http = createServer((_, response) => {
    response.writeHead(426).end();
  });
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  const recipients = new Map<string, Peer>();
  const relayId = new Uint8Array(randomBytes(32));
  const trustRoot = new Uint8Array(33);
  trustRoot[0] = 0x05;

  wss.on('connection', (ws) => {
    const peer = new Peer(ws);
    let address: string | undefined;
    ws.on('error', () => undefined);
    ws.on('close', () => {
      if (address !== undefined && recipients.get(address) === peer) recipients.delete(address);
    });
    ws.on('message', (data: RawData) => {
      const bytes = data as Buffer;
      const frame = readFrame(bytes);
      switch (frame.field) {
        case ClientField.sendEnvelope: {
          const send = readSendEnvelope(bytes, frame);
          const recipient = recipients.get(send.recipient);
          if (recipient === undefined) {
            peer.send(errorFrame(frame.requestId, RelayErrorCode.AccessDenied));
            return;
          }
          recipient.lastEnvelopeId += 1;
          recipient.send(
            deliverFrame(
              recipient.lastEnvelopeId,
              bytes.subarray(send.sealedStart, send.sealedEnd),
              Date.now(),
            ),
          );
          peer.send(sendAckFrame(frame.requestId, recipient.lastEnvelopeId));
          return;
        }
        case ClientField.ackEnvelopes:
          peer.send(okFrame(frame.requestId));
          return;
        case ClientField.auth: {
          // Set-up only, never timed: the key names the recipient; nothing is verified.
          const auth = decodeClientFrame(bytes);
          if (auth.body.case !== 'auth') return;
          address = personaAddressFor(auth.body.value.identityKey);
          recipients.set(address, peer);
          peer.send(
            encodeServerFrame({
              requestId: frame.requestId,
              body: { case: 'authOk', value: { address, registeredNow: true } },
            }),
          );
          return;
        }
        case ClientField.ping:
          peer.send(
            encodeServerFrame({ requestId: frame.requestId, body: { case: 'pong', value: {} } }),
          );
          return;
        default:
          peer.send(errorFrame(frame.requestId, RelayErrorCode.BadFrame));
      }
    });
    // The same first frame as the relay's, so clients connect to both the same way.
    peer.send(
      encodeServerFrame({
        body: {
          case: 'challenge',
          value: {
            relayId,
            nonce: new Uint8Array(randomBytes(32)),
            serverTime: BigInt(Date.now()),
            registration: wire.RegistrationPolicy.OPEN,
            powDifficulty: 0,
            trustRoot,
          },
        },
      }),
    );
  });

  const port = await new Promise<number>((resolve, reject) => {
    http.once('error', reject);
    http.listen({ host: '127.0.0.1', port: 0 }, () => {
      const address = http.address();
      if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
      else resolve(address.port);
    });
  });

  return {
    url: `ws://127.0.0.1:${port}`,
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => {
        wss.close(() => {
          resolve();
        });
      });
      await new Promise<void>((resolve) => {
        http.close(() => {
          resolve();
        });
        http.closeAllConnections();
      });
    },
  };
}

function errorFrame(requestId: number, code: RelayErrorCode): Uint8Array {
  return encodeServerFrame({
    requestId,
    body: { case: 'error', value: { code, message: 'bare forwarder refused the frame' } },
  });
}
