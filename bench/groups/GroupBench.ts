/**
 * The group benchmark's three child processes (bench/groups/: the relay, the sender and the
 * members) and what the suite asks of them: start and set up, warm up, one message at a time,
 * bursts, and the checks that every member read what it should. bench/suites/groups.ts turns
 * what they measure into rows.
 */
import type {
  Arrival,
  Joined,
  MembersConnected,
  MembersUsage,
  OneToOneRecipient,
  Verified,
} from './membersCalls.js';
import type { RelayReady, RelayUsage } from './relayHost.js';
import type {
  BurstResult,
  CreatedGroup,
  PostResult,
  SenderConnected,
  SyncedGroup,
} from './sender.js';
import type { ClockReading } from './timing.js';
import { epochNow, sleep } from './timing.js';
import { ChildRpc } from '../relay/rpc.js';
import { join } from 'node:path';
import type { BenchOptions } from '../types.js';

/** The group sizes the issue asks about (members besides the sender). */
export const SIZES = [100, 500] as const;
/** The baseline group: the sender and one member. */
export const BASELINE_SIZE = 1;
/**
 * Messages the sender keeps in flight in a throughput burst (a new one as each answer comes
 * back). The client itself sends one at a time (the sender-cost runs do too); a burst measures
 * what the relay and the members can take.
 */
export const WINDOW = 16;

export interface BenchGroup {
  readonly size: number;
  readonly groupId: string;
  readonly logLength: number;
}

const RELAY_SCRIPT = new URL('./relayHost.ts', import.meta.url);
const SENDER_SCRIPT = new URL('./sender.ts', import.meta.url);
const MEMBERS_SCRIPT = new URL('./members.ts', import.meta.url);
const START_TIMEOUT_MS = 60_000;
const CALL_TIMEOUT_MS = 10_000;
const SETUP_TIMEOUT_MS = 120_000;
/** How long each child may take to stop. */
export const STOP_TIMEOUT_MS = 10_000;
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

/** One message sent on its own (see GroupBench.oneMessage). */
export interface OneMessage {
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
export interface BurstRun {
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

export class GroupBench {
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
