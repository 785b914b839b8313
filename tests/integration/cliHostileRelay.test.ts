import { create } from '@bufbuild/protobuf';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Persona, wire } from '../../core/index.js';
import type { RunningRelay } from '../../server/index.js';
import { TempDirs, startTestRelay } from './helpers.js';
import { sendImpersonatingMessage } from './impersonator.js';
import { expectFailure, kindred } from './kindredCommand.js';
import { RelayProxy } from './RelayProxy.js';

const dirs = new TempDirs();
let relay: RunningRelay;
let proxy: RelayProxy;

beforeAll(async () => {
  relay = await startTestRelay(dirs);
  proxy = await RelayProxy.start(relay.url);
});

afterAll(async () => {
  await proxy.close();
  await relay.close();
  await dirs.cleanup();
});

const honest = (frame: wire.ServerFrame): wire.ServerFrame => frame;

describe('the kindred command against a hostile relay', () => {
  it(
    'says so when someone impersonates a contact or a message is refused',
    { timeout: 120_000 },
    async () => {
      // Eve reaches the relay through the proxy; Frank directly.
      const eve = ['--home', path.join(await dirs.make('cli-hostile'), 'eve'), '--json'];
      const frank = ['--home', path.join(await dirs.make('cli-hostile'), 'frank'), '--json'];
      const fast = ['--kdf', 'insecure-fast'];
      const [initE, initF] = await Promise.all([
        kindred(['init', '--name', 'Eve', '--server', proxy.url, ...fast, ...eve]),
        kindred(['init', '--name', 'Frank', '--server', relay.url, ...fast, ...frank]),
      ]);
      expect(initE.code, initE.stderr).toBe(0);
      expect(initF.code, initF.stderr).toBe(0);
      const [frankInvite, eveInvite] = await Promise.all([
        kindred(['invite', ...frank]),
        kindred(['invite', ...eve]),
      ]);
      const frankLink = String(frankInvite.records[0]?.link);
      const eveLink = String(eveInvite.records[0]?.link);

      // The relay hands out Frank's bundle with another identity key.
      const stranger = Persona.generate('Stranger').identityPublicKey;
      proxy.rewriteServerFrame = (frame) => {
        if (frame.body.case === 'preKeyBundle') frame.body.value.identityKey = stranger;
        return frame;
      };
      expectFailure(
        await kindred(['contact', 'add', frankLink, '--alias', 'frank', ...eve]),
        'CORE_IDENTITY_MISMATCH',
      );
      proxy.rewriteServerFrame = honest;
      const add = await kindred(['contact', 'add', frankLink, '--alias', 'frank', ...eve]);
      expect(add.code, add.stderr).toBe(0);

      // A refusal for good fails `send`: the message will never be delivered.
      proxy.rewriteServerFrame = (frame) =>
        frame.body.case === 'sendAck'
          ? {
              ...frame,
              body: {
                case: 'error',
                value: create(wire.ErrorSchema, { code: 'RELAY_ACCESS_DENIED', message: 'denied' }),
              },
            }
          : frame;
      const escaped = 'hi\u001b]0;pwned\u0007\u001b[2J\nkindred: fake line\u202e';
      expectFailure(await kindred(['send', 'frank', escaped, ...eve]), 'CORE_RELAY_REJECTED');
      proxy.rewriteServerFrame = honest;
      const history = await kindred(['messages', 'frank', ...eve]);
      expect(history.records).toStrictEqual([
        expect.objectContaining({ direction: 'out', text: escaped, status: 'failed' }),
      ]);
      // Shown to a person, what came from outside cannot drive the terminal or fake a line.
      const human = await kindred(['messages', 'frank', '--home', String(eve[1])]);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stdout.replaceAll('\n', '')).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069]/u);
      expect(human.stdout).toContain('\n    kindred: fake line');

      // Someone passes off another key as theirs: Eve is warned, and the sync still succeeds.
      await sendImpersonatingMessage(relay.url, eveLink);
      const sync = await kindred(['sync', ...eve]);
      expect(sync.code, sync.stderr).toBe(0);
      expect(sync.records).toContainEqual({
        event: 'identity-mismatch',
        code: 'CORE_IDENTITY_MISMATCH',
      });
      expect(sync.records.at(-1)).toMatchObject({ event: 'synced', received: 0 });

      // A reader that goes away early is not an error worth a stack trace.
      const gone = await kindred(['whoami', ...eve], undefined, { closeStdout: true });
      expect(gone.code).toBe(0);
      expect(gone.stderr).toBe('');
    },
  );
});
