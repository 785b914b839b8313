/**
 * Group send (issue #4): one sender posting to groups of 100 and 500 members through a real relay
 * on LevelDB, next to baselines measured in the same run: a 1:1 sealed-sender message for the
 * sender's cost, a group of one member for the fan-out latency and throughput.
 *
 * Three child processes (bench/groups/): the relay (startRelay on a temporary LevelDB folder,
 * registration open, 127.0.0.1), the sender (one persona, core's RelayConnection, posting as
 * the client's GroupPoster does), and the members (500 personas, each with its own
 * authenticated WebSocket, joined with real signed join operations and a real invite link,
 * acknowledging what they read; a few per group decrypt everything they read, after each run).
 * Each runs alone in its process, so the sender's process.cpuUsage() is its own cost and the
 * relay's is the fan-out's. The children exit when the suite ends, fails or is interrupted, and
 * the folder is deleted.
 *
 * Rows: the sender's CPU per message (ratio against the 1:1 message: a group send costs the
 * sender the same whatever the group's size), the time until the last member has read a message
 * (p50 and p99, ratio against a group of one), and the messages per second every member receives
 * when the sender posts back to back (ratio against a group of one).
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  Arrival,
  Joined,
  MembersConnected,
  MembersUsage,
  OneToOneRecipient,
  Verified,
} from '../groups/members.js';
import type { RelayReady, RelayUsage } from '../groups/relayHost.js';
import type {
  BurstResult,
  CreatedGroup,
  PostResult,
  SenderConnected,
  SyncedGroup,
} from '../groups/sender.js';
import type { ClockReading } from '../groups/timing.js';
import { epochNow, sleep } from '../groups/timing.js';
import { statsOf } from '../measure.js';
import { ChildRpc } from '../relay/rpc.js';
import type { BenchOptions, BenchRow, Stats } from '../types.js';

export const cases = ['send', 'throughput', 'latency'] as const;
type CaseName = (typeof cases)[number];

/** The group sizes the issue asks about (members besides the sender). */
const SIZES = [100, 500] as const;
/** The baseline group: the sender and one member. */
const BASELINE_SIZE = 1;
/**
 * Messages the sender keeps in flight in a throughput burst (a new one as each answer comes
 * back). The client itself sends one at a time (the sender-cost runs do too); a burst measures
 * what the relay and the members can take.
 */
const WINDOW = 16;
/** A sender using this much CPU during a burst is what limits it. */
const SENDER_BOUND_CORES = 0.85;

const RELAY_SCRIPT = new URL('../groups/relayHost.ts', import.meta.url);
const SENDER_SCRIPT = new URL('../groups/sender.ts', import.meta.url);
const MEMBERS_SCRIPT = new URL('../groups/members.ts', import.meta.url);
const START_TIMEOUT_MS = 60_000;
const CALL_TIMEOUT_MS = 10_000;
const SETUP_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
/**
 * One-at-a-time messages leave this long after the previous one settled, so what the relay still
 * does in the background (LevelDB writing the acknowledgements' cursors, garbage collection) and
 * the members' garbage collection do not run on the other CPU while the sender works: without
 * the pause, the sender's CPU per message grew with the group on a 2-CPU machine, from contention
 * alone.
 */
const SETTLE_PAUSE_MS = 10;
/** How long the last member may take to read one message before the suite gives up. */
const WAIT_TIMEOUT_MS = 30_000;
/** When set, each child process writes a V8 CPU profile into this folder as it exits. */
const PROFILE_VARIABLE = 'KINDRED_BENCH_GROUPS_CPU_PROFILE';
/** Clock probes per child; the one with the shortest round trip gives the offset. */
const CLOCK_PROBES = 25;

interface Counts {
  /** Messages sent one at a time per target (sender cost, latency), all chunks together. */
  readonly latencyMessages: number;
  /** Messages per throughput burst. */
  readonly burstMessages: number;
  /** Untimed messages per target before anything is measured. */
  readonly warmupMessages: number;
}

function countsFor(options: BenchOptions): Counts {
  return options.quick
    ? { latencyMessages: 50, burstMessages: 40, warmupMessages: 20 }
    : { latencyMessages: 200, burstMessages: 100, warmupMessages: 40 };
}

interface BenchGroup {
  readonly size: number;
  readonly groupId: string;
  readonly logLength: number;
}

export async function run(options: BenchOptions): Promise<BenchRow[]> {
  const wanted = (name: CaseName): boolean => options.cases?.has(name) ?? true;
  const counts = countsFor(options);
  const root = await mkdtemp(join(tmpdir(), 'kindred-bench-groups-'));
  const children = new Set<ChildRpc>();
  // Interrupted (Ctrl-C): kill the children, delete the folder, then die of the same signal.
  const onSignal = (signal: NodeJS.Signals): void => {
    for (const child of children) child.killNow();
    rmSync(root, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let bench: GroupBench | undefined;
  try {
    options.log('groups: starting the relay, the sender and the members');
    bench = await GroupBench.start(root, children, options);
    await bench.setUp(wanted('send'), options);
    await bench.warmUp(counts.warmupMessages, wanted('send'), options);
    const rows: BenchRow[] = [];
    if (wanted('send') || wanted('latency')) {
      const pass = await oneAtATime(bench, counts, wanted('send'), options);
      if (wanted('send')) rows.push(...sendRows(pass));
      if (wanted('latency')) rows.push(...latencyRows(pass));
    }
    if (wanted('throughput')) rows.push(...(await throughputRows(bench, counts, options)));
    return rows;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // Clients first, so the relay sees them leave rather than vanish.
    await bench?.members.stop(STOP_TIMEOUT_MS);
    await bench?.sender.stop(STOP_TIMEOUT_MS);
    for (const child of children) await child.stop(STOP_TIMEOUT_MS);
    await rm(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// The processes

/** One message sent on its own (see GroupBench.oneMessage). */
interface OneMessage {
  /** Post → the first and the last member reading it (NaN for 1:1). */
  readonly firstMs: number;
  readonly lastMs: number;
  /** What it cost the sender's process, in CPU (all of it, and up to the relay's answer), and
   * in wall time to build it (ms). */
  readonly senderCpuMs: number;
  readonly answeredCpuMs: number;
  readonly buildMs: number;
}

/** One run of a burst: the sender's figures, and what it cost the relay and the members. */
interface BurstRun {
  /** Sender CPU per message, ms (with WINDOW in flight). */
  readonly senderCpuMs: number;
  /** Messages per second that reached every member (0 for 1:1). */
  readonly rate: number;
  /** CPU cores the sender used on average over its part of the run. */
  readonly senderCores: number;
  /** Relay CPU per message (µs), and per copy delivered (the sender's own copy included). */
  readonly relayMicrosPerMessage: number;
  readonly relayMicrosPerDelivery: number;
  readonly relayCores: number;
  readonly membersCores: number;
  /** Writes per synced LevelDB batch (appends and acknowledgements). */
  readonly writesPerCommit: number | undefined;
}

class GroupBench {
  readonly relay: ChildRpc;
  readonly sender: ChildRpc;
  readonly members: ChildRpc;
  readonly #url: string;
  /** Each child's clock minus ours (ms): subtracted from its stamps. */
  #senderOffset = 0;
  #membersOffset = 0;
  #senderAddress = '';
  #trustRoot = '';
  /** Every group, by size (the baseline group too). */
  readonly groups = new Map<number, BenchGroup>();
  /** 1:1 envelopes sent so far (member 0's mailbox counts them all). */
  #oneToOneSent = 0;

  private constructor(relay: ChildRpc, sender: ChildRpc, members: ChildRpc, url: string) {
    this.relay = relay;
    this.sender = sender;
    this.members = members;
    this.#url = url;
  }

  static async start(
    root: string,
    children: Set<ChildRpc>,
    options: BenchOptions,
  ): Promise<GroupBench> {
    const profileDir = process.env[PROFILE_VARIABLE];
    if (profileDir !== undefined) {
      options.log(
        `groups: each child writes a CPU profile to ${profileDir}/{relay,sender,members} as it ` +
          'exits',
      );
    }
    const profile = (name: string): string[] =>
      profileDir === undefined
        ? []
        : // A folder per child: tsx's loader thread writes a profile of its own next to it.
          ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`];
    const track = async (
      starting: Promise<{ child: ChildRpc; ready: unknown }>,
    ): Promise<{ child: ChildRpc; ready: unknown }> => {
      const started = await starting;
      children.add(started.child);
      return started;
    };
    const starting = [
      track(
        ChildRpc.start(
          'relay',
          RELAY_SCRIPT,
          [join(root, 'relay')],
          START_TIMEOUT_MS,
          profile('relay'),
        ),
      ),
      track(ChildRpc.start('sender', SENDER_SCRIPT, [], START_TIMEOUT_MS, profile('sender'))),
      track(ChildRpc.start('members', MEMBERS_SCRIPT, [], START_TIMEOUT_MS, profile('members'))),
    ] as const;
    await Promise.allSettled(starting);
    const relay = await starting[0];
    const sender = await starting[1];
    const members = await starting[2];
    return new GroupBench(relay.child, sender.child, members.child, urlOf(relay.ready));
  }

  /** Connects everyone, makes the groups, hands out the sender's keys. */
  async setUp(oneToOne: boolean, options: BenchOptions): Promise<void> {
    this.#senderOffset = await clockOffset(this.sender);
    this.#membersOffset = await clockOffset(this.members);
    options.log(
      `groups: clock offsets from this process: sender ${this.#senderOffset.toFixed(3)} ms, ` +
        `members ${this.#membersOffset.toFixed(3)} ms (corrected)`,
    );
    const largest = Math.max(...SIZES);
    const connected = await this.members.call<MembersConnected>(
      'connect',
      { url: this.#url, count: largest },
      SETUP_TIMEOUT_MS,
    );
    options.log(
      `groups: ${largest} members connected and registered in ` +
        `${(connected.connectMs / 1000).toFixed(1)} s`,
    );
    const sender = await this.sender.call<SenderConnected>(
      'connect',
      { url: this.#url },
      CALL_TIMEOUT_MS,
    );
    this.#senderAddress = sender.address;
    this.#trustRoot = sender.trustRoot;
    for (const size of [BASELINE_SIZE, ...SIZES]) {
      const created = await this.sender.call<CreatedGroup>(
        'createGroup',
        { maxUses: size, name: `Bench group of ${size}` },
        CALL_TIMEOUT_MS,
      );
      const joined = await this.members.call<Joined>(
        'join',
        { link: created.link, secret: created.secret, size },
        SETUP_TIMEOUT_MS,
      );
      const synced = await this.sender.call<SyncedGroup>(
        'syncGroup',
        { groupId: created.groupId },
        SETUP_TIMEOUT_MS,
      );
      if (synced.logLength !== joined.logLength || synced.members !== size + 1) {
        throw new Error(
          `the sender sees ${synced.members} members and ${synced.logLength} operations, ` +
            `the members ${joined.logLength}`,
        );
      }
      const distribution = await this.sender.call<string>(
        'distribution',
        { groupId: created.groupId },
        CALL_TIMEOUT_MS,
      );
      await this.members.call(
        'senderKey',
        { groupId: created.groupId, sender: this.#senderAddress, distribution },
        CALL_TIMEOUT_MS,
      );
      this.groups.set(size, { size, groupId: created.groupId, logLength: joined.logLength });
      options.log(
        `groups: group of ${size} + the sender: ${size} signed joins, one after another, in ` +
          `${(joined.joinMs / 1000).toFixed(1)} s (log length ${joined.logLength}; a join took ` +
          `${joined.firstJoinsMs.toFixed(1)} ms among the first ones, ` +
          `${joined.lastJoinsMs.toFixed(1)} ms among the last)`,
      );
    }
    if (oneToOne) {
      const recipient = await this.members.call<OneToOneRecipient>(
        'startOneToOne',
        null,
        CALL_TIMEOUT_MS,
      );
      await this.sender.call('startOneToOne', recipient, CALL_TIMEOUT_MS);
    }
  }

  group(size: number): BenchGroup {
    const group = this.groups.get(size);
    if (group === undefined) throw new Error(`no group of ${size}`);
    return group;
  }

  /** One untimed burst per target, so the JIT, libsignal and LevelDB are warm everywhere. */
  async warmUp(count: number, oneToOne: boolean, options: BenchOptions): Promise<void> {
    options.log(
      `groups: warming up (${count} untimed messages per group${oneToOne ? ' and 1:1' : ''})`,
    );
    for (const size of this.groups.keys()) await this.burst(size, count, WINDOW);
    if (oneToOne) await this.oneToOneBurst(count, WINDOW);
  }

  /** The sender posts `count` messages to the group, `window` in flight. */
  async burst(size: number, count: number, window: number): Promise<BurstRun> {
    const group = this.group(size);
    const before = await this.#usage();
    const sent = await this.sender.call<BurstResult>(
      'burst',
      { groupId: group.groupId, count, window },
      WAIT_TIMEOUT_MS + count * 1000,
    );
    const arrival = await this.members.call<Arrival>(
      'waitFor',
      { groupId: group.groupId, index: sent.lastIndex, timeoutMs: WAIT_TIMEOUT_MS },
      WAIT_TIMEOUT_MS + CALL_TIMEOUT_MS,
    );
    const after = await this.#usage();
    await this.#verify(group.groupId, count);
    const seconds =
      (arrival.lastAt - this.#membersOffset - (sent.firstPostAt - this.#senderOffset)) / 1000;
    return {
      ...this.#costs(before, after, count, count * (size + 1)),
      senderCpuMs: sent.cpuMicros / count / 1000,
      rate: count / seconds,
      senderCores: sent.cpuMicros / (sent.wallMs * 1000),
    };
  }

  /** The baseline: `count` sealed 1:1 envelopes to member 0, `window` in flight. */
  async oneToOneBurst(count: number, window: number): Promise<BurstRun> {
    const before = await this.#usage();
    const sent = await this.sender.call<BurstResult>(
      'burst',
      { count, window },
      WAIT_TIMEOUT_MS + count * 1000,
    );
    this.#oneToOneSent += count;
    await this.members.call(
      'waitMailbox',
      { total: this.#oneToOneSent, timeoutMs: WAIT_TIMEOUT_MS },
      WAIT_TIMEOUT_MS + CALL_TIMEOUT_MS,
    );
    const after = await this.#usage();
    await this.#verify(undefined, count);
    return {
      ...this.#costs(before, after, count, count),
      senderCpuMs: sent.cpuMicros / count / 1000,
      rate: 0,
      senderCores: sent.cpuMicros / (sent.wallMs * 1000),
    };
  }

  /**
   * One message on its own, on a quiet relay: posted SETTLE_PAUSE_MS after the previous one has
   * reached every member and every member's acknowledgement has been answered. Returns ms from
   * the post to the first and to the last member's reading, and what it cost the sender.
   */
  async oneMessage(size: number): Promise<OneMessage> {
    const group = this.group(size);
    await sleep(SETTLE_PAUSE_MS);
    const sent = await this.sender.call<PostResult>(
      'post',
      { groupId: group.groupId },
      WAIT_TIMEOUT_MS,
    );
    const arrival = await this.members.call<Arrival>(
      'waitFor',
      { groupId: group.groupId, index: sent.index, timeoutMs: WAIT_TIMEOUT_MS },
      WAIT_TIMEOUT_MS + CALL_TIMEOUT_MS,
    );
    const postedAt = sent.postedAt - this.#senderOffset;
    return {
      firstMs: arrival.firstAt - this.#membersOffset - postedAt,
      lastMs: arrival.lastAt - this.#membersOffset - postedAt,
      senderCpuMs: sent.cpuMicros / 1000,
      answeredCpuMs: sent.answeredCpuMicros / 1000,
      buildMs: sent.buildMs,
    };
  }

  /** The baseline: one sealed 1:1 envelope to member 0, once the previous one was acknowledged. */
  async oneToOneMessage(): Promise<OneMessage> {
    await sleep(SETTLE_PAUSE_MS);
    const sent = await this.sender.call<PostResult>('post', {}, WAIT_TIMEOUT_MS);
    this.#oneToOneSent += 1;
    await this.members.call(
      'waitMailbox',
      { total: this.#oneToOneSent, timeoutMs: WAIT_TIMEOUT_MS },
      WAIT_TIMEOUT_MS + CALL_TIMEOUT_MS,
    );
    return {
      firstMs: Number.NaN,
      lastMs: Number.NaN,
      senderCpuMs: sent.cpuMicros / 1000,
      answeredCpuMs: sent.answeredCpuMicros / 1000,
      buildMs: sent.buildMs,
    };
  }

  /** Unseals what member 0 kept since the last check (untimed). */
  async verifyOneToOne(count: number): Promise<void> {
    await this.#verify(undefined, count);
  }

  /** Decrypts what the sampled members kept since the last check (untimed). */
  async verifyGroup(size: number, count: number): Promise<void> {
    await this.#verify(this.group(size).groupId, count);
  }

  async #verify(groupId: string | undefined, count: number): Promise<void> {
    const verified = await this.members.call<Verified>(
      'verify',
      {
        ...(groupId === undefined ? {} : { groupId }),
        sender: this.#senderAddress,
        trustRoot: this.#trustRoot,
      },
      SETUP_TIMEOUT_MS,
    );
    if (verified.messages !== count * verified.samples) {
      throw new Error(
        `sampled members opened ${verified.messages} messages, expected ${count} each ` +
          `(${verified.samples} members)`,
      );
    }
  }

  async #usage(): Promise<{ relay: RelayUsage; members: MembersUsage; at: number }> {
    const relay = await this.relay.call<RelayUsage>('usage', null, CALL_TIMEOUT_MS);
    const members = await this.members.call<MembersUsage>('usage', null, CALL_TIMEOUT_MS);
    return { relay, members, at: performance.now() };
  }

  #costs(
    before: { relay: RelayUsage; members: MembersUsage; at: number },
    after: { relay: RelayUsage; members: MembersUsage; at: number },
    messages: number,
    deliveries: number,
  ): Omit<BurstRun, 'senderCpuMs' | 'rate' | 'senderCores'> {
    const relayMicros =
      after.relay.userMicros +
      after.relay.systemMicros -
      before.relay.userMicros -
      before.relay.systemMicros;
    const wallMicros = (after.at - before.at) * 1000;
    const batches = after.relay.commits.batches - before.relay.commits.batches;
    const writes = after.relay.commits.requests - before.relay.commits.requests;
    return {
      relayMicrosPerMessage: relayMicros / messages,
      relayMicrosPerDelivery: relayMicros / deliveries,
      relayCores: relayMicros / wallMicros,
      membersCores: (after.members.cpuMicros - before.members.cpuMicros) / wallMicros,
      writesPerCommit: batches > 0 ? writes / batches : undefined,
    };
  }
}

/**
 * The child's clock minus ours, in ms: from the probe with the shortest round trip, assuming the
 * child read its clock halfway through it.
 */
async function clockOffset(child: ChildRpc): Promise<number> {
  let best = { roundTrip: Number.POSITIVE_INFINITY, offset: 0 };
  for (let probe = 0; probe < CLOCK_PROBES; probe++) {
    const sent = epochNow();
    const reading = await child.call<ClockReading>('clock', null, CALL_TIMEOUT_MS);
    const received = epochNow();
    if (received - sent < best.roundTrip) {
      best = { roundTrip: received - sent, offset: reading.now - (sent + received) / 2 };
    }
  }
  return best.offset;
}

/** The url the relay's ready message carries. */
function urlOf(ready: unknown): string {
  const url = (ready as Partial<RelayReady> | null)?.url;
  if (typeof url !== 'string' || !url.startsWith('ws://127.0.0.1:')) {
    throw new Error('the relay did not report a ws://127.0.0.1 url');
  }
  return url;
}

// ---------------------------------------------------------------------------------------------
// Rows

type Target = 'oneToOne' | number;

function targetName(target: Target): string {
  return target === 'oneToOne' ? '1:1' : `group of ${target}`;
}

/**
 * `repetitions` runs per target, rotating which goes first so drift (thermal, other processes,
 * LevelDB compaction) does not always land on the same one.
 */
async function rotate(
  targets: readonly Target[],
  repetitions: number,
  one: (target: Target) => Promise<BurstRun>,
): Promise<(target: Target) => BurstRun[]> {
  const runs = new Map<Target, BurstRun[]>(targets.map((target) => [target, []]));
  for (let rep = 0; rep < repetitions; rep++) {
    for (let turn = 0; turn < targets.length; turn++) {
      const target = targets[(rep + turn) % targets.length] ?? 'oneToOne';
      runs.get(target)?.push(await one(target));
    }
  }
  return (target) => runs.get(target) ?? [];
}

/** Messages per second every member receives when the sender posts back to back. */
async function throughputRows(
  bench: GroupBench,
  counts: Counts,
  options: BenchOptions,
): Promise<BenchRow[]> {
  const count = counts.burstMessages;
  options.log(
    `groups/throughput: ${options.repetitions} bursts of ${count} messages (${WINDOW} in ` +
      `flight) per group of ${[BASELINE_SIZE, ...SIZES].join(', ')}`,
  );
  const of = await rotate([BASELINE_SIZE, ...SIZES], options.repetitions, async (target) => {
    const size = typeof target === 'number' ? target : BASELINE_SIZE;
    const result = await bench.burst(size, count, WINDOW);
    options.log(
      `groups/throughput: group of ${size}: ${result.rate.toFixed(0)} messages/s to every ` +
        `member; relay ${result.relayMicrosPerDelivery.toFixed(1)} µs CPU per copy delivered; ` +
        `cores: relay ${result.relayCores.toFixed(2)}, members ${result.membersCores.toFixed(2)}` +
        `, sender ${result.senderCores.toFixed(2)}`,
    );
    return result;
  });
  const figure = (target: Target, pick: (run: BurstRun) => number): Stats =>
    statsOf(of(target).map(pick));
  const median = (target: Target, pick: (run: BurstRun) => number): number =>
    figure(target, pick).median;
  const baseline = figure(BASELINE_SIZE, (run) => run.rate);
  // The sender near a full core: the group of 1 measured the sender, not the relay.
  const baselineBound =
    median(BASELINE_SIZE, (run) => run.senderCores) >= SENDER_BOUND_CORES
      ? " (the group of 1 is bound by the sender's core: the ratio flatters the larger groups)"
      : '';
  return SIZES.map((size) => {
    const rate = figure(size, (run) => run.rate);
    const commits = of(size)
      .map((run) => run.writesPerCommit)
      .filter((value): value is number => value !== undefined);
    return {
      name: `group throughput, ${size} members`,
      unit: 'ops/s',
      kindred: rate,
      baseline,
      ratio: rate.median / baseline.median,
      note:
        `op = one message read by every member (first post → last member reads the last of ` +
        `${count}, ${WINDOW} in flight); raw = a group of 1${baselineBound}; ` +
        `${formatCount(rate.median * size)} copies/s to members; relay ` +
        `${median(size, (run) => run.relayMicrosPerDelivery).toFixed(1)} µs CPU per copy ` +
        `delivered (the sender's own included), ` +
        `${formatCount(median(size, (run) => run.relayMicrosPerMessage))} µs per message ` +
        `(group of 1: ${formatCount(median(BASELINE_SIZE, (run) => run.relayMicrosPerMessage))}` +
        `); CPU cores: relay ${median(size, (run) => run.relayCores).toFixed(2)}, members ` +
        `${median(size, (run) => run.membersCores).toFixed(2)}, sender ` +
        median(size, (run) => run.senderCores).toFixed(2) +
        (commits.length > 0
          ? `; ~${formatCount(statsOf(commits).median)} writes per synced LevelDB batch`
          : ''),
    };
  });
}

/** What the one-at-a-time pass measured, per target and per chunk. */
interface OneAtATime {
  readonly chunks: number;
  readonly perChunk: number;
  /** Per chunk: every message's figures. */
  readonly runs: (target: Target) => OneMessage[][];
}

/**
 * Messages one at a time, each on a quiet relay, in `repetitions` chunks per target, the targets
 * interleaved chunk by chunk (rotating which goes first). Gives the sender's cost (every target)
 * and the fan-out latency (groups).
 */
async function oneAtATime(
  bench: GroupBench,
  counts: Counts,
  withOneToOne: boolean,
  options: BenchOptions,
): Promise<OneAtATime> {
  const targets: Target[] = [
    ...(withOneToOne ? ['oneToOne' as const] : []),
    BASELINE_SIZE,
    ...SIZES,
  ];
  const chunks = options.repetitions;
  const perChunk = Math.ceil(counts.latencyMessages / chunks);
  options.log(
    `groups/one at a time: ${perChunk * chunks} messages per target in ${chunks} chunks of ` +
      `${perChunk}, interleaved: ${targets.map(targetName).join(', ')}`,
  );
  const runs = new Map<Target, OneMessage[][]>(targets.map((target) => [target, []]));
  for (let chunk = 0; chunk < chunks; chunk++) {
    for (let turn = 0; turn < targets.length; turn++) {
      const target = targets[(chunk + turn) % targets.length] ?? BASELINE_SIZE;
      const messages: OneMessage[] = [];
      for (let message = 0; message < perChunk; message++) {
        messages.push(
          target === 'oneToOne' ? await bench.oneToOneMessage() : await bench.oneMessage(target),
        );
      }
      if (target === 'oneToOne') await bench.verifyOneToOne(perChunk);
      else await bench.verifyGroup(target, perChunk);
      runs.get(target)?.push(messages);
      const latencies = messages.map((one) => one.lastMs);
      options.log(
        `groups/one at a time: ${targetName(target)}: sender ` +
          `${mean(messages.map((one) => one.senderCpuMs)).toFixed(3)} ms CPU per message ` +
          `(${mean(messages.map((one) => one.answeredCpuMs)).toFixed(3)} ms to the answer, ` +
          `building ${percentile(
            messages.map((one) => one.buildMs),
            0.5,
          ).toFixed(3)} ms)` +
          (target === 'oneToOne'
            ? ''
            : `; last member p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ` +
              `${percentile(latencies, 0.99).toFixed(2)} ms`),
      );
    }
  }
  return { chunks, perChunk, runs: (target) => runs.get(target) ?? [] };
}

/** The sender's CPU per message against a 1:1 message's. */
function sendRows(pass: OneAtATime): BenchRow[] {
  const cpu = (target: Target): Stats =>
    statsOf(pass.runs(target).map((chunk) => mean(chunk.map((one) => one.senderCpuMs))));
  const answered = (target: Target): string =>
    mean(pass.runs(target).flatMap((chunk) => chunk.map((one) => one.answeredCpuMs))).toFixed(3);
  const build = (target: Target): string =>
    percentile(
      pass.runs(target).flatMap((chunk) => chunk.map((one) => one.buildMs)),
      0.5,
    ).toFixed(3);
  const oneToOne = cpu('oneToOne');
  return SIZES.map((size) => {
    const group = cpu(size);
    return {
      name: `group send: sender CPU per message, ${size} members`,
      unit: 'ms',
      kindred: group,
      baseline: oneToOne,
      ratio: group.median / oneToOne.median,
      note:
        `sender process CPU (all threads), one message at a time on a quiet relay: ` +
        `GroupContent, sender-key encrypt, sealed sender address, PostGroupMessage, ` +
        `GroupAppended, its own copy read and acked; raw = one 1:1 sealed-sender message ` +
        `(Content, seal, SendEnvelope, SendAck); up to the relay's answer ${answered(size)} ms ` +
        `vs ${answered('oneToOne')} ms; building alone (median wall time) ${build(size)} ms vs ` +
        `${build('oneToOne')} ms; group of 1: ${cpu(BASELINE_SIZE).median.toFixed(3)} ms; ` +
        `mean of ${pass.perChunk} messages per run, ${pass.chunks} runs; lower is better`,
    };
  });
}

/** p50 and p99 from the post to the last member's reading. */
function latencyRows(pass: OneAtATime): BenchRow[] {
  const chunksOf = (size: number, pick: (one: OneMessage) => number): number[][] =>
    pass.runs(size).map((chunk) => chunk.map(pick));
  const baseline = chunksOf(BASELINE_SIZE, (one) => one.lastMs);
  const rows: BenchRow[] = [];
  for (const size of SIZES) {
    const measured = chunksOf(size, (one) => one.lastMs);
    const first = chunksOf(size, (one) => one.firstMs).flat();
    for (const q of [0.5, 0.99]) {
      const kindred = pooled(measured, q);
      const raw = pooled(baseline, q);
      rows.push({
        name: `fan-out to last member p${Math.round(q * 100)}, ${size} members`,
        unit: 'ms',
        kindred,
        baseline: raw,
        ratio: kindred.median / raw.median,
        note:
          `one message at a time on a quiet relay: post → the last of ${size} members reads it ` +
          `(the first: ${percentile(first, q).toFixed(1)} ms); figure over all ` +
          `${pass.perChunk * pass.chunks} messages, min–max over ${pass.chunks} runs of ` +
          `${pass.perChunk}; raw = a group of 1; lower is better`,
      });
    }
  }
  return rows;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * The percentile over every sample of every chunk as the figure; min and max over the chunks'
 * own percentiles, to show the spread.
 */
function pooled(chunks: readonly (readonly number[])[], q: number): Stats {
  const perChunk = chunks.map((chunk) => percentile(chunk, q));
  const spread = statsOf(perChunk);
  return { median: percentile(chunks.flat(), q), min: spread.min, max: spread.max, runs: perChunk };
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}

function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
