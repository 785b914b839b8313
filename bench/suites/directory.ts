/**
 * The directory on the client (docs/directory.md): a real relay on loopback whose LevelDB store
 * holds N listings (10,000; `KINDRED_BENCH_DIRECTORY_LISTINGS` for fewer), each a real group link,
 * owner-signed listing and operator countersignature, filled into the store before the relay
 * starts (untimed). Timed: a client follows the relay's directory (an anonymous connection, every
 * page fetched, every entry checked with openDirectoryEntry, the listings written to its vault)
 * and runs its first search (the on-device index built): "fetch + verify + index". Then the bytes
 * of the entries on the wire, and the p99 of searches on the built index (mixed words, prefixes,
 * synonyms, a language filter). No baseline: the aims are ≤ 1,000 ms, ≤ 3 MiB and ≤ 10 ms.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBinary } from '@bufbuild/protobuf';
import {
  CONDITION_VOCABULARY,
  KindredClient,
  Persona,
  approveListing,
  createGroupInviteLink,
  generateInviteKeyPair,
  signListing,
  wire,
} from '../../core/client/index.js';
import { RelayConnection } from '../../core/client/RelayConnection.js';
import { fetchDirectory } from '../../core/client/directory/directoryFetch.js';
import { DIRECTORY_MAX_FRAME_BYTES } from '../../core/client/directory/directoryConnection.js';
import { LevelRelayStore, startRelay } from '../../server/index.js';
import { loadOrCreateOperatorKey } from '../../server/OperatorKey.js';
import { percentile, statsOf } from '../measure.js';
import type { BenchOptions, BenchRow } from '../types.js';

const DEFAULT_LISTINGS = 10_000;
const SEARCHES = 500;
const WORDS = [
  'motor neur',
  'sarcoma',
  'weekly',
  'lou gehrig',
  'carers',
  'breast',
  'thursd',
  'mnd',
];

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const listings = Number(process.env.KINDRED_BENCH_DIRECTORY_LISTINGS ?? DEFAULT_LISTINGS);
  const root = await mkdtemp(join(tmpdir(), 'kindred-bench-directory-'));
  try {
    const dataDir = join(root, 'relay');
    // A first start makes the relay's id, trust root and operator key; the store is then filled
    // with the relay stopped.
    const first = await startRelay({ dataDir, host: '127.0.0.1', port: 0, registration: 'open' });
    const relayId = first.relayId;
    await first.close();
    const operator = await loadOrCreateOperatorKey(dataDir);
    const store = await LevelRelayStore.open(join(dataDir, 'relay.db'));
    options.log(`directory: signing ${listings} listings`);
    const owner = Persona.generate('Owner');
    for (let index = 0; index < listings; index += 1) {
      const groupId = new Uint8Array(randomBytes(16));
      const term = CONDITION_VOCABULARY[index % CONDITION_VOCABULARY.length];
      const joinLink = createGroupInviteLink(owner, {
        relayUrl: 'ws://127.0.0.1:1',
        trustRoot: operator.publicKey,
        groupId,
        inviteId: new Uint8Array(randomBytes(16)),
        invitePrivateKey: generateInviteKeyPair().privateKey,
        expiresAt: Date.now() + 365 * 86_400_000,
        maxUses: 10_000,
      });
      const signed = signListing(owner, {
        groupId,
        relayUrl: 'ws://127.0.0.1:1',
        relayId,
        name: `${term?.name ?? 'Support'} group ${index}`,
        description: `People living with ${term?.name ?? 'it'} and those beside them meet to talk, week by week, with a trained facilitator.`,
        conditions: [term?.id ?? 'c:sarcoma'],
        audiences: index % 3 === 0 ? ['caregivers'] : ['patients', 'family'],
        languages: index % 5 === 0 ? ['pt-BR'] : ['en'],
        region: index % 4 === 0 ? 'GB' : '',
        rhythm: 'weekly chat, Thursdays',
        joinByApproval: index % 2 === 0,
        joinLink,
        facilitators: [],
      });
      const entry = approveListing({
        operatorPrivateKey: operator.privateKey,
        relayId,
        signedListing: signed,
        members: '11-50',
        approvedAt: Date.now(),
      });
      await store.listDirectoryEntry(groupId, toBinary(wire.DirectoryEntrySchema, entry));
    }
    await store.close();
    const relay = await startRelay({
      dataDir,
      host: '127.0.0.1',
      port: 0,
      registration: 'open',
    });
    try {
      const client = await KindredClient.init({
        home: join(root, 'client'),
        passphrase: 'bench directory passphrase',
        pseudonym: 'Reader',
        relayUrl: relay.url,
        kdf: 'insecure-fast',
        requestTimeoutMs: 120_000,
      });
      const runs: number[] = [];
      try {
        for (let round = 0; round < options.repetitions; round += 1) {
          await client.directory.unfollow(relay.url).catch(() => undefined);
          const start = performance.now();
          const synced = await client.directory.follow(relay.url);
          await client.directory.search({ text: 'sarcoma' });
          runs.push(performance.now() - start);
          if (synced.listings !== listings) throw new Error(`kept ${synced.listings} listings`);
        }
        const times: number[] = [];
        for (let index = 0; index < SEARCHES; index += 1) {
          const start = performance.now();
          await client.directory.search({
            text: WORDS[index % WORDS.length] ?? '',
            language: 'en',
          });
          times.push(performance.now() - start);
        }
        const connection = await RelayConnection.open({
          url: relay.url,
          maxFrameBytes: DIRECTORY_MAX_FRAME_BYTES,
        });
        const answer = await fetchDirectory(connection, 0);
        connection.close();
        const bytes = answer.notModified
          ? 0
          : answer.entries.reduce(
              (sum, entry) => sum + toBinary(wire.DirectoryEntrySchema, entry).length,
              0,
            );
        const note = `${listings} listings`;
        return [
          { name: 'fetch + verify + index', unit: 'ms', kindred: statsOf(runs), note },
          {
            name: 'entries on the wire',
            unit: 'MiB',
            kindred: statsOf([bytes / 1024 / 1024]),
            note,
          },
          {
            name: 'search p99',
            unit: 'ms',
            kindred: statsOf([percentile(times, 0.99)]),
            note: `${SEARCHES} searches, p50 ${percentile(times, 0.5).toFixed(2)} ms`,
          },
        ];
      } finally {
        await client.close();
      }
    } finally {
      await relay.close();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
