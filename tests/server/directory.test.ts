// The directory on a real relay (LevelDB, loopback), driven by raw frames and by the operator's
// real `kindred-server directory|facilitator` commands against the running relay's admin socket.
import { spawn } from 'node:child_process';
import { fromBinary } from '@bufbuild/protobuf';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RelayErrorCode,
  createGroupInviteLink,
  generateInviteKeyPair,
  memberBucketFor,
  openDirectoryEntry,
  openRevocationList,
  operatorKeyEndorsed,
  signListing,
  wire,
} from '../../core/index.js';
import type { ListingDraft } from '../../core/index.js';
import { relayCommand } from '../commands/commandPaths.js';
import { TestGroup, randomBytesOf } from './helpers/groups.js';
import type { TestPersona } from './helpers/personas.js';
import { RawClient } from './helpers/rawClient.js';
import { closeAll, connectAs } from './helpers/sessions.js';
import type { Session } from './helpers/sessions.js';
import { startTestRelay } from './helpers/testRelay.js';
import type { TestRelay } from './helpers/testRelay.js';

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function relayCli(args: readonly string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [relayCommand(), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

function firstEntry(page: wire.DirectoryPage): wire.DirectoryEntry {
  const [entry] = page.entries;
  if (entry === undefined) throw new Error('the page has no entry');
  return entry;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

describe('the directory on a relay', () => {
  let relay: TestRelay;
  let owner: Session;
  const logLines: string[] = [];
  const groups: TestGroup[] = [];

  async function cli(args: readonly string[]): Promise<Record<string, unknown>> {
    const ran = await relayCli([...args, '--data', relay.dataDir, '--json']);
    expect(ran.code, ran.stderr).toBe(0);
    return JSON.parse(ran.stdout) as Record<string, unknown>;
  }

  function draftFor(group: TestGroup, name: string): ListingDraft {
    return {
      groupId: group.groupId,
      relayUrl: relay.url,
      relayId: relay.relay.relayId,
      name,
      description: 'Adults treated for soft-tissue sarcoma, and the people beside them.',
      conditions: ['c:sarcoma'],
      audiences: ['patients', 'caregivers'],
      languages: ['en'],
      region: 'GB',
      rhythm: 'weekly chat, Thursdays',
      joinByApproval: false,
      joinLink: createGroupInviteLink(owner.tester.persona, {
        relayUrl: relay.url,
        trustRoot: relay.relay.trustRoot,
        groupId: group.groupId,
        inviteId: randomBytesOf(16),
        invitePrivateKey: generateInviteKeyPair().privateKey,
        expiresAt: Date.now() + 86_400_000,
        maxUses: 1000,
      }),
      facilitators: [],
    };
  }

  function requestBody(signer: TestPersona, draft: ListingDraft) {
    return {
      case: 'requestListing' as const,
      value: { listing: fromBinary(wire.SignedListingSchema, signListing(signer.persona, draft)) },
    };
  }

  async function fetchPage(knownVersion: number, fromPosition = 0): Promise<wire.DirectoryPage> {
    const anonymous = await RawClient.connect(relay.url);
    try {
      return await anonymous.expect(
        { case: 'fetchDirectory', value: { knownVersion: BigInt(knownVersion), fromPosition } },
        'directoryPage',
      );
    } finally {
      await anonymous.close();
    }
  }

  async function operatorKey(): Promise<Uint8Array> {
    const client = await RawClient.connect(relay.url);
    const { operatorKey: key, operatorKeyEndorsement, relayId } = client.challenge;
    await client.close();
    // Clients trust the key only with the trust root's endorsement.
    expect(
      operatorKeyEndorsed({
        trustRoot: relay.relay.trustRoot,
        relayId,
        operatorKey: key,
        endorsement: operatorKeyEndorsement,
      }),
    ).toBe(true);
    return key;
  }

  /** Adds `count` registered members to `group`, each on its own connection. */
  async function addMembers(group: TestGroup, count: number): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      const member = await connectAs(relay.url);
      await group.add(owner.client, owner.tester, member.client, member.tester);
      await member.client.close();
    }
  }

  beforeAll(async () => {
    const logger = pino({ level: 'trace' }, { write: (line: string) => logLines.push(line) });
    relay = await startTestRelay({ logger, statsIntervalMs: 0 });
    owner = await connectAs(relay.url);
    for (let i = 0; i < 2; i += 1) {
      const group = new TestGroup();
      await group.create(owner.client, owner.tester);
      groups.push(group);
    }
  });

  afterAll(async () => {
    await closeAll(owner.client);
    await relay.dispose();
  });

  it('refuses listing requests from a member who is not the owner, and malformed ones', async () => {
    const [group] = groups as [TestGroup];
    const member = await connectAs(relay.url);
    await group.add(owner.client, owner.tester, member.client, member.tester);
    // Signed by the member: the signer does not own the group.
    expect(await member.client.errorCode(requestBody(member.tester, draftFor(group, 'Mine')))).toBe(
      RelayErrorCode.ListingForbidden,
    );
    // A listing naming another relay.
    const elsewhere = { ...draftFor(group, 'Elsewhere'), relayId: randomBytesOf(32) };
    expect(await owner.client.errorCode(requestBody(owner.tester, elsewhere))).toBe(
      RelayErrorCode.ListingInvalid,
    );
    // A group this relay does not host.
    const stranger = new TestGroup();
    expect(
      await owner.client.errorCode(requestBody(owner.tester, draftFor(stranger, 'Nowhere'))),
    ).toBe(RelayErrorCode.ListingForbidden);
    // Frames: no listing, a truncated signature; an anonymous request.
    expect(await owner.client.errorCode({ case: 'requestListing', value: {} })).toBe(
      RelayErrorCode.BadFrame,
    );
    const body = requestBody(owner.tester, draftFor(group, 'Cut'));
    body.value.listing.ownerSignature = body.value.listing.ownerSignature.subarray(0, 10);
    expect(await owner.client.errorCode(body)).toBe(RelayErrorCode.BadFrame);
    const anonymous = await RawClient.connect(relay.url);
    expect(await anonymous.errorCode(requestBody(owner.tester, draftFor(group, 'Anonymous')))).toBe(
      RelayErrorCode.AuthRequired,
    );
    await closeAll(anonymous, member.client);
    expect((await cli(['directory', 'pending'])).pending).toStrictEqual([]);
  });

  it('keeps the owner’s request pending until the operator approves, then serves it verified', async () => {
    const [group] = groups as [TestGroup];
    await owner.client.expect(requestBody(owner.tester, draftFor(group, 'First draft')), 'ok');
    // A new request replaces the pending one.
    await owner.client.expect(
      requestBody(owner.tester, draftFor(group, 'Living with sarcoma')),
      'ok',
    );
    const pending = (await cli(['directory', 'pending'])).pending as Record<string, unknown>[];
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({
      groupId: hex(group.groupId),
      name: 'Living with sarcoma',
      conditions: ['c:sarcoma'],
      ownerAddress: owner.tester.address,
    });
    expect((await fetchPage(0)).entries).toHaveLength(0);

    expect((await cli(['directory', 'approve', hex(group.groupId)])).version).toBe(1);
    const page = await fetchPage(0);
    expect(page).toMatchObject({ version: 1n, full: true, nextPosition: 0 });
    expect(page.entries).toHaveLength(1);
    const approved = openDirectoryEntry(firstEntry(page), {
      relayId: relay.relay.relayId,
      operatorKey: await operatorKey(),
    });
    expect(approved.listing.name).toBe('Living with sarcoma');
    expect(approved.members).toBe(memberBucketFor(group.state.members.size));
    expect((await cli(['directory', 'pending'])).pending).toStrictEqual([]);
    // The client holds version 1: nothing changed.
    expect(await fetchPage(1)).toMatchObject({ version: 1n, notModified: true, entries: [] });
  });

  it('answers a client holding an older version with just what changed', async () => {
    const [, second] = groups as [TestGroup, TestGroup];
    await owner.client.expect(requestBody(owner.tester, draftFor(second, 'Carers’ circle')), 'ok');
    const approved = await cli(['directory', 'approve', hex(second.groupId)]);
    const delta = await fetchPage(1);
    expect(delta).toMatchObject({ version: BigInt(approved.version as number), full: false });
    expect(
      delta.entries.map((entry) => hex(entry.listing?.listing ?? new Uint8Array())),
    ).toHaveLength(1);
    const opened = openDirectoryEntry(firstEntry(delta), {
      relayId: relay.relay.relayId,
      operatorKey: await operatorKey(),
    });
    expect(opened.listing.name).toBe('Carers’ circle');
    const listed = await cli(['directory', 'list']);
    expect((listed.groups as unknown[]).length).toBe(2);

    const removed = await cli(['directory', 'remove', hex(second.groupId)]);
    const afterRemoval = await fetchPage(approved.version as number);
    expect(afterRemoval).toMatchObject({ version: BigInt(removed.version as number), full: false });
    expect(afterRemoval.entries).toHaveLength(0);
    expect(afterRemoval.removedGroupIds.map(hex)).toStrictEqual([hex(second.groupId)]);
  });

  it('re-signs an entry when its group grows past ten members', async () => {
    const [group] = groups as [TestGroup];
    const before = Number((await fetchPage(0)).version);
    await addMembers(group, 11 - group.state.members.size);
    expect(group.state.members.size).toBe(11);
    let page = await fetchPage(before);
    for (let tries = 0; page.notModified && tries < 100; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      page = await fetchPage(before);
    }
    expect(page.full).toBe(false);
    const opened = openDirectoryEntry(firstEntry(page), {
      relayId: relay.relay.relayId,
      operatorKey: await operatorKey(),
    });
    expect(opened.members).toBe('11-50');
  });

  it('issues and revokes facilitator credentials; the revocation list leads the first page', async () => {
    const issued = await cli([
      'facilitator',
      'issue',
      '--address',
      owner.tester.address,
      '--role',
      'Navigator, St James’s',
      '--expires',
      '365d',
    ]);
    expect(typeof issued.credential).toBe('string');
    const id = issued.credential_id as string;
    const revoked = await cli(['facilitator', 'revoke', id]);
    const page = await fetchPage(0);
    expect(page.version).toBe(BigInt(revoked.version as number));
    const list = page.revocations;
    if (list === undefined) throw new Error('the first page carries no revocation list');
    const opened = openRevocationList(list, {
      relayId: relay.relay.relayId,
      operatorKey: await operatorKey(),
    });
    expect([...opened.revoked]).toStrictEqual([id]);
    const credentials = (await cli(['facilitator', 'list'])).credentials as Record<
      string,
      unknown
    >[];
    expect(credentials).toHaveLength(1);
    expect(credentials[0]).toMatchObject({ credentialId: id, address: owner.tester.address });
    expect(credentials[0]?.revokedAt).not.toBeNull();
  });

  it('refuses wrong commands with exit 2 and a code, and refusals by the relay with exit 1', async () => {
    const notHex = await relayCli(['directory', 'approve', 'xyz', '--data', relay.dataDir]);
    expect(notHex.code).toBe(2);
    expect(notHex.stderr).toContain('KINDRED_BAD_GROUP_ID');
    const noAddress = await relayCli([
      'facilitator',
      'issue',
      '--role',
      'X',
      '--data',
      relay.dataDir,
    ]);
    expect(noAddress.code).toBe(2);
    expect(noAddress.stderr).toContain('--address');
    const notPending = await relayCli([
      'directory',
      'approve',
      hex(randomBytesOf(16)),
      '--data',
      relay.dataDir,
    ]);
    expect(notPending.code).toBe(1);
    expect(notPending.stderr).toContain('KINDRED_NOT_PENDING');
    const unknownCredential = await relayCli([
      'facilitator',
      'revoke',
      hex(randomBytesOf(16)),
      '--data',
      relay.dataDir,
    ]);
    expect(unknownCredential.code).toBe(1);
    expect(unknownCredential.stderr).toContain('KINDRED_UNKNOWN_CREDENTIAL');
  });

  it('logs nothing of a fetch: no version held, no address, no key', async () => {
    const before = logLines.length;
    await fetchPage(0);
    await fetchPage(1);
    const lines = logLines.slice(before).join('\n');
    expect(lines).not.toMatch(/directory|fetch|knownVersion/i);
  });
});
