/**
 * Message requests between fellow group members (issue 11), on a real relay with real vaults:
 * the group's policy decides (and the receiver checks it, whatever the sender's client did); a
 * request waits unseen and unanswered; accept makes a contact and receipts flow; decline leaves
 * nothing; block revokes the requester's pairwise key AT THE RELAY; report reaches moderators.
 */
import { describe, expect, it } from 'vitest';
import type { GroupHandle, KindredClient, PersonaSession } from '../../core/client/index.js';
import {
  CoreErrorCode,
  PRIVATE_MESSAGES_OFF_REASON,
  PersonaDirectory,
  RelayConnection,
  RelayErrorCode,
  RelayRejectedError,
  Vault,
} from '../../core/client/index.js';
import { contactCardToWire } from '../../core/client/contactCard.js';
import { encodeContent } from '../../core/client/contentCodec.js';
import {
  encodeMessageBody,
  newMessageId,
  textBody,
} from '../../core/client/messages/messageBodyCodec.js';
import { PersonaState } from '../../core/client/PersonaState.js';
import { groupIdOf, useGroupTestClients } from './groupHelpers.js';
import { PASSPHRASE, messagesOf, useTestRelay, waitFor } from './helpers.js';

const relay = useTestRelay();
const clients = useGroupTestClients(relay);
const HOUR = 3_600_000;

interface Circle {
  readonly owner: KindredClient;
  readonly ana: KindredClient;
  readonly bea: KindredClient;
  readonly ownerGroup: GroupHandle;
  readonly anaGroup: GroupHandle;
  readonly beaGroup: GroupHandle;
}

/** An owner (the moderator) and two members, Ana and Bea, each joined as a fresh persona. */
async function circle(privateMessages: boolean): Promise<Circle> {
  const [owner, ana, bea] = await clients.addMany(['Owner', 'Ana', 'Bea']);
  if (!owner || !ana || !bea) throw new Error('clients');
  const ownerGroup = await owner.createGroup({ name: 'Circle', description: '', rules: '' });
  const link = await ownerGroup.invite({ maxUses: 5, expiresAt: Date.now() + HOUR });
  const anaGroup = await ana.joinGroup(link, { pseudonym: 'Ana' });
  const beaGroup = await bea.joinGroup(link, { pseudonym: 'Bea' });
  if (privateMessages) await ownerGroup.setPolicy({ membersMessagePrivately: true });
  const length = (await ownerGroup.details()).logLength;
  await waitFor(
    async () =>
      (await anaGroup.details()).logLength >= length &&
      (await beaGroup.details()).logLength >= length,
    15_000,
    'both members to hold the whole log',
  );
  // Bea registers the pairwise request keys of her fellow members now (the keeper would in the
  // background).
  expect(await sessionOf(bea, beaGroup).requests.syncKeys()).toBe(true);
  return { owner, ana, bea, ownerGroup, anaGroup, beaGroup };
}

function sessionOf(client: KindredClient, group: GroupHandle): PersonaSession {
  return client.session(group.persona);
}

/** What the relay answers to one envelope sent with `accessKey`: 'ok' or its code. */
async function tryWrite(recipient: string, accessKey: Uint8Array): Promise<string> {
  const connection = await RelayConnection.open({ url: relay.url });
  try {
    await connection.request(
      { case: 'sendEnvelope', value: { recipient, accessKey, sealed: new Uint8Array(96).fill(7) } },
      'sendAck',
    );
    return 'ok';
  } catch (error) {
    if (RelayRejectedError.isRelayRejection(error)) return error.relayCode;
    throw error;
  } finally {
    connection.close();
  }
}

async function statusesOf(session: PersonaSession, address: string): Promise<string[]> {
  return messagesOf(await session.direct.messages(address)).map((message) => message.status);
}

describe('private messages off (the default)', () => {
  it('refuses the sender, and the receiver drops a request a hostile client sends anyway', async () => {
    const { ana, bea, anaGroup, beaGroup } = await circle(false);
    await expect(anaGroup.messageMember('Bea', 'hello')).rejects.toMatchObject({
      code: CoreErrorCode.PrivateMessagesOff,
    });

    // Ana's client skips its own check: it queues a request straight into its 1:1 outbox, which
    // writes to Bea with the key Bea's group profile gave every member.
    const anaTrustRoot = ana.whoami().trustRoot;
    const home = clients.home(ana);
    await clients.close(ana);
    const vault = await Vault.open(home, PASSPHRASE);
    try {
      const directory = new PersonaDirectory(vault);
      const state = new PersonaState(
        await directory.get(anaGroup.persona),
        directory.dataFor(anaGroup.persona),
      );
      await state.transact(async () => {
        const sequence = await state.history.takeOutgoingSequence(beaGroup.persona);
        const messageId = newMessageId();
        const persona = state.persona;
        const { bytes } = encodeContent({
          messageId,
          sequence,
          sentAt: Date.now(),
          body: {
            case: 'messageRequest',
            value: {
              groupId: groupIdOf(anaGroup),
              card: contactCardToWire({
                relayUrl: relay.url,
                trustRoot: anaTrustRoot,
                address: persona.address,
                identityKey: persona.identityPublicKey,
                accessKey: new Uint8Array(32).fill(1),
                profileKey: persona.profileKey,
                pseudonym: persona.pseudonym,
              }),
              message: encodeMessageBody(textBody('you look lonely, write to me')),
            },
          },
        });
        await state.outbox.put({
          messageId,
          recipient: beaGroup.persona,
          sequence,
          content: bytes,
          enqueuedAt: Date.now(),
        });
      });
      await state.store.flush();
    } finally {
      await vault.lock();
    }
    const dropped: string[] = [];
    bea.on('dropped', ({ reason }) => dropped.push(reason));
    const hostile = await clients.reopen(ana);
    await hostile.flushOutbox(15_000);
    await waitFor(() => dropped.includes(PRIVATE_MESSAGES_OFF_REASON), 15_000, 'the drop');
    const beaSession = sessionOf(bea, beaGroup);
    expect(await beaSession.requests.list()).toStrictEqual([]);
    expect(await beaSession.direct.contacts()).toStrictEqual([]);
  });
});

describe('private messages on', () => {
  it('holds a request unseen and unanswered; accept makes a contact and receipts flow', async () => {
    const { ana, bea, anaGroup, beaGroup } = await circle(true);
    const anaSession = sessionOf(ana, anaGroup);
    const beaSession = sessionOf(bea, beaGroup);
    const announced: string[] = [];
    bea.on('messageRequest', ({ request }) => announced.push(request.id));

    const sent = await anaGroup.messageMember('Bea', 'Hi Bea, how did the new treatment go?');
    await anaGroup.messageMember(beaGroup.persona, 'No pressure to answer.');
    await ana.flushOutbox(15_000);
    await waitFor(
      async () => (await beaSession.requests.list())[0]?.messages.length === 2,
      15_000,
      'the request with both messages',
    );
    const [request] = await beaSession.requests.list();
    if (request === undefined) throw new Error('request');
    expect(request.sender).toBe(anaGroup.persona);
    expect(request.groupId).toBe(beaGroup.id);
    expect(request.card.pseudonym).toBe('Ana');
    expect(request.messages.map((message) => message.text)).toStrictEqual([
      'Hi Bea, how did the new treatment go?',
      'No pressure to answer.',
    ]);
    expect(new Set(announced)).toStrictEqual(new Set([request.id]));
    // Not a conversation, and nothing went back: Ana's messages say "sent", never more.
    expect(await beaSession.direct.contacts()).toStrictEqual([]);
    await bea.flushOutbox(10_000);
    await ana.whenInboxQuiet(500, 10_000);
    expect(await statusesOf(anaSession, beaGroup.persona)).toStrictEqual(['sent', 'sent']);
    expect((await anaSession.direct.contact(beaGroup.persona)).requestedIn).toBe(beaGroup.id);
    // Only texts go while the request waits.
    await expect(
      anaSession.direct.react(beaGroup.persona, sent.messageId, '👍'),
    ).rejects.toMatchObject({ code: CoreErrorCode.RequestPending });

    const accepted = await beaSession.requests.accept(request.id);
    expect(accepted.contact.address).toBe(anaGroup.persona);
    expect(accepted.messages.map((message) => message.text)).toStrictEqual([
      'Hi Bea, how did the new treatment go?',
      'No pressure to answer.',
    ]);
    expect(await beaSession.requests.list()).toStrictEqual([]);
    await expect(beaSession.requests.accept(request.id)).rejects.toMatchObject({
      code: CoreErrorCode.RequestNotFound,
    });
    await bea.flushOutbox(15_000);
    // Bea's key reached Ana (the request is accepted) and her receipt too.
    await waitFor(
      async () => (await anaSession.direct.contact(beaGroup.persona)).requestedIn === undefined,
      15_000,
      'Bea’s key at Ana',
    );
    await waitFor(
      async () =>
        (await statusesOf(anaSession, beaGroup.persona)).every((status) => status === 'delivered'),
      15_000,
      'delivered receipts',
    );

    // Both talk now, and receipts flow both ways.
    await beaSession.direct.send(anaGroup.persona, 'It went well, thank you!');
    await bea.flushOutbox(15_000);
    await waitFor(
      async () =>
        messagesOf(await anaSession.direct.messages(beaGroup.persona)).some(
          (message) => message.text === 'It went well, thank you!',
        ),
      15_000,
      'Bea’s answer at Ana',
    );
    const later = await anaSession.direct.send(beaGroup.persona, 'So glad to hear it.');
    await ana.flushOutbox(15_000);
    await waitFor(
      async () =>
        messagesOf(await anaSession.direct.messages(beaGroup.persona)).find(
          (message) => message.index === later.index,
        )?.status === 'delivered',
      15_000,
      'a receipt for a plain message',
    );
  });

  it('decline leaves nothing; block revokes the requester’s key at the relay', async () => {
    const { ana, bea, anaGroup, beaGroup } = await circle(true);
    const anaSession = sessionOf(ana, anaGroup);
    const beaSession = sessionOf(bea, beaGroup);
    await anaGroup.messageMember('Bea', 'first try');
    await ana.flushOutbox(15_000);
    await waitFor(async () => (await beaSession.requests.list()).length === 1, 15_000, 'request');
    const [first] = await beaSession.requests.list();
    if (first === undefined) throw new Error('request');
    expect((await beaSession.requests.decline(first.id)).sender).toBe(anaGroup.persona);
    expect(await beaSession.requests.list()).toStrictEqual([]);
    await bea.flushOutbox(5_000);
    await ana.whenInboxQuiet(500, 10_000);
    expect(await statusesOf(anaSession, beaGroup.persona)).toStrictEqual(['sent']);
    expect((await anaSession.direct.contact(beaGroup.persona)).requestedIn).toBe(beaGroup.id);

    // Declined is not blocked: a new message is a new request.
    await anaSession.direct.send(beaGroup.persona, 'second try');
    await ana.flushOutbox(15_000);
    await waitFor(async () => (await beaSession.requests.list()).length === 1, 15_000, 'again');
    const [second] = await beaSession.requests.list();
    if (second === undefined) throw new Error('request');
    expect(second.id).not.toBe(first.id);
    expect(second.messages.map((message) => message.text)).toStrictEqual(['second try']);

    // The key Ana writes with works at the relay until Bea blocks her, and not after.
    const requestKey = (await anaSession.direct.contact(beaGroup.persona)).accessKey;
    expect(await tryWrite(beaGroup.persona, requestKey)).toBe('ok');
    const blocked = await beaSession.requests.block(second.id);
    expect(blocked.revokedAtRelay).toBe(true);
    expect(await beaSession.requests.list()).toStrictEqual([]);
    expect(await tryWrite(beaGroup.persona, requestKey)).toBe(RelayErrorCode.AccessDenied);
    const failed: string[] = [];
    ana.on('sendFailed', ({ error }) =>
      failed.push(RelayRejectedError.isRelayRejection(error) ? error.relayCode : error.code),
    );
    await anaSession.direct.send(beaGroup.persona, 'why are you ignoring me');
    await ana.flushOutbox(15_000);
    expect(failed).toStrictEqual([RelayErrorCode.AccessDenied]);
    await bea.whenInboxQuiet(500, 10_000);
    expect(await beaSession.requests.list()).toStrictEqual([]);
    expect(await beaSession.direct.contacts()).toStrictEqual([]);
  });

  it('report sends the request to the group’s moderators', async () => {
    const { ana, bea, ownerGroup, anaGroup, beaGroup } = await circle(true);
    const beaSession = sessionOf(bea, beaGroup);
    await anaGroup.messageMember('Bea', 'send me photos');
    await anaGroup.messageMember('Bea', 'I can pay');
    await ana.flushOutbox(15_000);
    await waitFor(
      async () => (await beaSession.requests.list())[0]?.messages.length === 2,
      15_000,
      'the request',
    );
    const [request] = await beaSession.requests.list();
    if (request === undefined) throw new Error('request');
    await expect(beaSession.requests.report('0123456789abcdef')).rejects.toMatchObject({
      code: CoreErrorCode.RequestNotFound,
    });
    expect(await beaSession.requests.report(request.id, 'grooming')).toBe(1);
    await bea.flushOutbox(15_000);
    await waitFor(async () => (await ownerGroup.reports()).length === 1, 15_000, 'the report');
    const [report] = await ownerGroup.reports();
    expect(report?.author).toBe(anaGroup.persona);
    expect(report?.reporter).toBe(beaGroup.persona);
    expect(report?.text).toBe('send me photos');
    expect(report?.context.map((item) => item.text)).toStrictEqual(['I can pay']);
    expect(report?.reason).toBe('private message request: grooming');
    // The request stays for Bea to decide on.
    expect(await beaSession.requests.list()).toHaveLength(1);
  });
});
