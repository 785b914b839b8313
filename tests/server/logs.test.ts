// What the relay writes to its log: counts and codes, never who talks to whom.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { toBase64Url, toHex } from '../../core/index.js';
import { TestGroup } from './helpers/groups.js';
import { RawClient } from './helpers/rawClient.js';
import { preKeyUpload, sendBody } from './helpers/personas.js';
import { closeAll, connectAs } from './helpers/sessions.js';
import { startTestRelay } from './helpers/testRelay.js';

describe('relay logs', () => {
  it('carry no addresses, keys or content, even at trace level', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => lines.push(line) });
    const relay = await startTestRelay({
      logger,
      statsIntervalMs: 50,
      sweepIntervalMs: 50,
      groupRetentionMs: 60,
    });
    const group = new TestGroup();
    const groupText = 'a message for the group';
    const sealed = new Uint8Array(48).fill(0xab);
    let secrets: string[] = [];
    try {
      const alice = await connectAs(relay.url);
      const bob = await connectAs(relay.url);
      await bob.client.expect(
        await preKeyUpload(bob.tester, { oneTimePreKeys: 1, oneTimeKyberPreKeys: 1 }),
        'ok',
      );
      const anon = await RawClient.connect(relay.url);
      await anon.expect(
        {
          case: 'fetchPreKeyBundle',
          value: { address: bob.tester.address, accessKey: bob.tester.accessKey },
        },
        'preKeyBundle',
      );
      await anon.expect(sendBody(bob.tester, sealed), 'sendAck');
      await anon.expect(sendBody(alice.tester, sealed, new Uint8Array(32)), 'error');
      anon.sendRaw(Uint8Array.of(1, 2, 3));
      await anon.next((f) => f.body.case === 'error');
      const [delivery] = await bob.client.deliveries(1);
      await bob.client.expect(
        { case: 'ackEnvelopes', value: { envelopeIds: [delivery?.envelopeId ?? 0n] } },
        'ok',
      );
      // A group: created, joined anonymously, posted to, delivered, refused, pruned.
      await group.create(alice.client, alice.tester);
      await group.add(alice.client, alice.tester, anon, bob.tester);
      await group.post(bob.client, groupText);
      await bob.client.expect(group.fetchBody(0), 'groupLogPage');
      await anon.expect(group.fetchBody(0, new Uint8Array(32)), 'error');
      await bob.client.next((f) => f.body.case === 'groupDeliver');
      await bob.client.expect(group.ackBody(1), 'ok');
      await new Promise((resolve) => setTimeout(resolve, 120));
      await closeAll(alice.client, bob.client, anon);
      secrets = [alice.tester, bob.tester].flatMap((t) => [
        t.address,
        t.address.replaceAll('-', ''),
        toHex(t.persona.identityPublicKey),
        toBase64Url(t.persona.identityPublicKey),
        toHex(t.accessKey),
        t.persona.pseudonym,
      ]);
    } finally {
      await relay.dispose();
    }
    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(3);
    expect(log).toContain('"event":"stats"');
    const groupSecrets = [
      toHex(group.groupId),
      toBase64Url(group.groupId),
      Buffer.from(group.groupId).toString('base64'),
      groupText,
      toHex(group.logKey()),
    ];
    expect(log).toContain('"groupMessagesStored":1');
    for (const secret of [
      ...secrets,
      ...groupSecrets,
      toHex(sealed),
      toBase64Url(sealed),
      '127.0.0.1',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
