// bin/kindred-server.js as a real child process: the listening line, a real connection, invite
// tokens from the subcommand, clean shutdown on SIGTERM and exit code 2 for bad arguments.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RelayErrorCode, fromBase64Url, wire } from '../../core/index.js';
import { relayCommand } from '../commands/commandPaths.js';
import { RawClient } from './helpers/rawClient.js';
import { authBody, newTestPersona } from './helpers/personas.js';
import { connectAs } from './helpers/sessions.js';
import { makeTempDir } from './helpers/testRelay.js';

/** The run's bundle of bin/kindred-server.js (tests/commands/binScripts.test.ts runs the script). */
const BIN = relayCommand();

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(args: readonly string[], timeoutMs = 20_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kindred-server ${args.join(' ')} did not exit`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface Served {
  readonly child: ChildProcessWithoutNullStreams;
  readonly listening: { event: string; url: string; trustRoot: string };
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

async function serve(args: readonly string[]): Promise<Served> {
  const child = spawn(process.execPath, [BIN, ...args]);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const listening = await new Promise<Served['listening']>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no listening line; stderr: ${stderr}`));
    }, 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const newline = stdout.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      resolve(JSON.parse(stdout.slice(0, newline)) as Served['listening']);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${stderr}`));
    });
  });
  return { child, listening, stderr: () => stderr, exited };
}

describe('kindred-server command', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await makeTempDir('kindred-cli-test-');
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves a relay, prints one listening line, registers invitees and stops on SIGTERM', async () => {
    const minted = await run(['invite-token', '--data', dataDir, '--uses', '1', '--expires', '1h']);
    expect(minted.code).toBe(0);
    const token = fromBase64Url(minted.stdout.trim());
    expect(token).toHaveLength(92);
    if (token === undefined) return;

    const served = await serve([
      '--data',
      dataDir,
      '--port',
      '0',
      '--registration',
      'invite',
      '--max-mailbox-depth',
      '50',
      '--log-level',
      'debug',
    ]);
    expect(Object.keys(served.listening)).toStrictEqual(['event', 'url', 'trustRoot']);
    expect(served.listening.event).toBe('listening');
    expect(served.listening.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    const url = served.listening.url;

    const probe = await RawClient.connect(url);
    expect(probe.challenge.trustRoot).toStrictEqual(fromBase64Url(served.listening.trustRoot));
    expect(probe.challenge.registration).toBe(wire.RegistrationPolicy.INVITE);
    await probe.close();

    const tester = newTestPersona();
    const { client } = await connectAs(url, tester, { kind: 'invite', token });
    await client.expect({ case: 'ping', value: {} }, 'pong');
    const second = await RawClient.connect(url);
    expect(
      await second.errorCode(
        authBody(second, newTestPersona(), { register: true, gate: { kind: 'invite', token } }),
      ),
    ).toBe(RelayErrorCode.InviteInvalid);
    const sender = await RawClient.connect(url);
    await sender.expect(
      {
        case: 'sendEnvelope',
        value: { recipient: tester.address, accessKey: tester.accessKey, sealed: Uint8Array.of(7) },
      },
      'sendAck',
    );
    await client.deliveries(1);
    await sender.close();

    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
    expect((await client.waitClosed()).code).toBe(1001);

    // Logs are JSON lines on stderr and never name a persona.
    const lines = served.stderr().trim().split('\n');
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(served.stderr()).not.toContain(tester.address);
  });

  it('applies limits whose flag is not their option name (--upgrade-timeout is upgradeTimeoutMs)', async () => {
    const served = await serve(['--data', dataDir, '--port', '0', '--upgrade-timeout', '1s']);
    const port = Number(new URL(served.listening.url).port);
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    const opened = Date.now();
    socket.write('GET / HTTP/1.1\r\nHost: relay\r\n');
    // Node alone would keep it for its 60 s header timeout; the relay drops it after 1 s.
    const droppedAfter = await new Promise<number>((resolve) => {
      socket.once('close', () => {
        resolve(Date.now() - opened);
      });
    });
    expect(droppedAfter).toBeGreaterThanOrEqual(900);
    expect(droppedAfter).toBeLessThan(15_000);
    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
  });

  it(
    'exits with code 1 and one line on stderr when its port is taken',
    { timeout: 90_000 },
    async () => {
      const first = await serve(['--data', dataDir, '--port', '0', '--log-level', 'silent']);
      try {
        const port = new URL(first.listening.url).port;
        const second = await run(['--data', await makeTempDir(), '--port', port], 60_000);
        expect(second.code).toBe(1);
        expect(second.stderr.trim().split('\n'), second.stderr).toHaveLength(1);
        expect(second.stderr).toMatch(/^kindred-server: .*EADDRINUSE/);
      } finally {
        first.child.kill('SIGTERM');
        await first.exited;
      }
    },
  );

  it(
    'exits with code 2 and one line on stderr for bad arguments',
    { timeout: 90_000 },
    async () => {
      const cases = [
        ['--data', dataDir, '--port', 'abc'],
        ['--data', dataDir, '--bogus'],
        ['--port', '0'],
        ['--data', dataDir, '--registration', 'sometimes'],
        ['--data', dataDir, '--retention', 'forever'],
        ['--data', dataDir, '--tls-cert', 'cert.pem'],
        ['--data', dataDir, '--max-frame-bytes', '0'],
        ['invite-token'],
      ];
      // Eight at once, each starting Node: on a loaded machine that takes a while.
      const results = await Promise.all(cases.map((args) => run(args, 60_000)));
      results.forEach((result, index) => {
        expect(result.code, cases[index]?.join(' ')).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
        expect(result.stderr).toMatch(/^kindred-server: /);
      });
    },
  );

  it(
    'refuses bad store and node flags with code 2, one line naming the flag',
    { timeout: 90_000 },
    async () => {
      const cases: [string[], RegExp][] = [
        [['--data', dataDir, '--store-cluster', '127.0.0.1'], /--store-cluster/],
        [['--data', dataDir, '--store-cluster', '127.0.0.1:7000,host:99999'], /--store-cluster/],
        [['--data', dataDir, '--store', 'http://127.0.0.1:6379'], /--store/],
        [
          ['--data', dataDir, '--store', 'redis://127.0.0.1:6379', '--store-cluster', 'h:1'],
          /--store and --store-cluster/,
        ],
        [['--data', dataDir, '--store-cluster', 'h:1', '--store-min-replicas', 'x'], /replicas/],
        [['--data', dataDir, '--store-cluster', 'h:1', '--store-min-replicas', '99'], /replicas/],
        [['--data', dataDir, '--store-min-replicas', '1'], /need --store/],
        [['--data', dataDir, '--store-cluster', 'h:1', '--store-key-prefix', 'a{b}'], /prefix/],
        [['--data', dataDir, '--node-name', 'two words'], /--node-name/],
        [['backup', '--data', dataDir, '--out', 'x.kbak', '--store', 'redis://h:1'], /Redis/],
      ];
      const results = await Promise.all(cases.map(([args]) => run(args, 60_000)));
      results.forEach((result, index) => {
        const [args, names] = cases[index] ?? [[], /$^/];
        expect(result.code, args.join(' ')).toBe(2);
        expect(result.stdout).toBe('');
        expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
        expect(result.stderr).toMatch(/^kindred-server: /);
        expect(result.stderr, args.join(' ')).toMatch(names);
      });
    },
  );
});
