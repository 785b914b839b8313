// Tools shared by the crash and network-fault suites: seeds, waiting with deadlines, a relay
// process that can be killed and brought back on the same folder and port, many personas over a
// few clients, and a ledger of every message written, acknowledged and delivered.
import type { KindredClientOptions, PersonaSession } from '../../core/client/index.js';
import { KindredClient, toHex } from '../../core/client/index.js';
import type { TempDirs } from '../integration/helpers.js';
import { PASSPHRASE, POW_DIFFICULTY, messagesOf, newClient } from '../integration/helpers.js';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { relayCommand } from '../commands/commandPaths.js';

// ---- seeds and randomness -------------------------------------------------------------------

/**
 * The seed a suite runs with: `fallback`, so a failure replays, unless the environment variable
 * `name` asks for another (to explore, or to replay the seed a failure printed).
 */
export function suiteSeed(name: string, fallback: number): number {
  const override = process.env[name];
  if (override === undefined || override === '') return fallback;
  const seed = Number(override);
  if (!Number.isSafeInteger(seed)) throw new Error(`${name} must be an integer`);
  return seed;
}

/** A small seeded generator (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [min, max], from `random`. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One line for the run's log (the reporter shows a test's stderr). */
export function report(line: string): void {
  process.stderr.write(`${line}\n`);
}

// ---- waiting ----------------------------------------------------------------------------------

/** Aborted by a suite's teardown: every wait still running then gives up at once. */
export const teardown = new AbortController();

/**
 * Polls `check` until it holds. Fails after `timeoutMs` with `what` and, when given, `progress()`
 * (counts that say how far it got), so a stuck run says where it stuck; fails at once when the
 * suite is torn down (a test that timed out must not keep polling).
 */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
  progress?: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (teardown.signal.aborted) throw new Error(`torn down while waiting for ${what}`);
    if (await check()) return;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}` +
          (progress === undefined ? '' : ` (${progress()})`),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// ---- a relay that is killed and restarted -------------------------------------------------------

/** The run's bundle of bin/kindred-server.js (see tests/commands/buildCommands.ts). */
export const RELAY_BIN = relayCommand();
/** A busy machine takes seconds to start Node and the relay: give it room, not forever. */
const RELAY_START_TIMEOUT_MS = 60_000;

/** One run of the relay process. */
interface RelayProcess {
  readonly port: number;
  /** The operator listener's port, when started with --metrics-port. */
  readonly metricsPort: number | undefined;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
}

/**
 * Starts bin/kindred-server.js on 127.0.0.1 and resolves once it prints its `listening` line.
 * A relay that does not start in time is killed, not left behind.
 */
async function spawnRelayProcess(
  dataDir: string,
  port: number,
  extraArgs: readonly string[],
): Promise<RelayProcess> {
  const child = spawn(
    process.execPath,
    [
      RELAY_BIN,
      ...['--data', dataDir, '--port', String(port), '--host', '127.0.0.1'],
      ...['--registration', 'pow', '--pow-difficulty', String(POW_DIFFICULTY)],
      // Every client comes from 127.0.0.1: room for them all within one address's rates.
      ...['--address-rate-factor', '1000', '--max-connections-per-address', '2000'],
      ...['--log-level', 'warn', ...extraArgs],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-4000);
  });
  const lines = createInterface({ input: child.stdout });
  try {
    let metricsPort: number | undefined;
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`relay did not start in ${RELAY_START_TIMEOUT_MS} ms: ${stderr}`));
      }, RELAY_START_TIMEOUT_MS);
      lines.on('line', (line) => {
        let event: { event?: unknown; url?: unknown; metricsPort?: unknown };
        try {
          event = JSON.parse(line) as { event?: unknown; url?: unknown; metricsPort?: unknown };
        } catch {
          return; // Not a JSON line.
        }
        if (event.event === 'listening' && typeof event.url === 'string') {
          if (typeof event.metricsPort === 'number') metricsPort = event.metricsPort;
          clearTimeout(timer);
          resolve(event.url);
        }
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`relay exited with ${String(child.exitCode)}: ${stderr}`));
      });
    });
    return { port: Number(new URL(url).port), metricsPort, child, exited };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}

/**
 * The relay as its own process (bin/kindred-server.js) on one data folder. `kill()` sends SIGKILL
 * (no flush, no goodbye); `restart()` starts it again on the same folder and port, so clients'
 * pinned URL, trust root and relay id still hold and they reconnect by themselves. After
 * `stop()` it is never started again (a test that timed out must not leave a relay behind).
 */
export class RestartableRelay {
  readonly dataDir: string;
  readonly #extraArgs: readonly string[];
  #process: RelayProcess | undefined;
  /** A start under way, so stop() can wait for it (and kill what it started). */
  #starting: Promise<void> | undefined;
  #port: number;
  #stopped = false;
  /** How long each start took, ms (the first one included). */
  readonly startTimes: number[] = [];

  private constructor(dataDir: string, extraArgs: readonly string[], port: number) {
    this.dataDir = dataDir;
    this.#extraArgs = extraArgs;
    this.#port = port;
  }

  /** On `port` (0: any free one; a restored relay takes its original's, as an operator would). */
  static async start(
    dataDir: string,
    extraArgs: readonly string[] = [],
    port = 0,
  ): Promise<RestartableRelay> {
    const relay = new RestartableRelay(dataDir, extraArgs, port);
    await relay.restart();
    return relay;
  }

  get url(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  /** The running process's /metrics, /healthz and /readyz port (with --metrics-port). */
  get metricsPort(): number | undefined {
    return this.#process?.metricsPort;
  }

  /** SIGKILL, and waits until the process is gone. */
  async kill(): Promise<void> {
    const running = this.#process;
    this.#process = undefined;
    if (running === undefined) return;
    running.child.kill('SIGKILL');
    await running.exited;
  }

  /**
   * SIGTERM: the relay drains (/readyz false, clients told to go away, writes finished) and
   * exits; `whileDraining` runs meanwhile. Resolves with its exit code once it is gone.
   */
  async terminate(whileDraining?: () => Promise<void>): Promise<number | null> {
    const running = this.#process;
    if (running === undefined) return null;
    running.child.kill('SIGTERM');
    // Still this run's process (and its ports) until it has exited.
    await whileDraining?.();
    await running.exited;
    this.#process = undefined;
    return running.child.exitCode;
  }

  /**
   * Sends `signal` to the running process: SIGSTOP freezes it (its sockets stay open, nothing
   * answers), SIGCONT wakes it. A stopped relay is still killed by kill() and stop().
   */
  signal(signal: NodeJS.Signals): void {
    const running = this.#process;
    if (running === undefined) throw new Error('the relay is not running');
    running.child.kill(signal);
  }

  /** Starts the relay on the same folder and port (after a kill, or the first time). */
  restart(): Promise<void> {
    if (this.#stopped) return Promise.reject(new Error('the relay was stopped for good'));
    if (this.#process !== undefined || this.#starting !== undefined) {
      return Promise.reject(new Error('the relay is already running'));
    }
    const starting = this.#start().finally(() => {
      this.#starting = undefined;
    });
    this.#starting = starting;
    return starting;
  }

  async #start(): Promise<void> {
    const started = Date.now();
    // A port in TIME_WAIT is fine (Node listens with SO_REUSEADDR); the only way to fail is a
    // stranger taking the port in the moment it was free, which a short retry rides out.
    for (let attempt = 1; ; attempt++) {
      try {
        const running = await spawnRelayProcess(this.dataDir, this.#port, this.#extraArgs);
        if (this.#stopped) {
          running.child.kill('SIGKILL');
          await running.exited;
          throw new Error('the relay was stopped while it started');
        }
        this.#process = running;
        this.#port = running.port;
        break;
      } catch (error) {
        if (this.#stopped || attempt >= 5 || !String(error).includes('EADDRINUSE')) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
    this.startTimes.push(Date.now() - started);
  }

  /** Kills the relay for good; safe to call more than once, and during a restart. */
  async stop(): Promise<void> {
    this.#stopped = true;
    // A start under way kills what it started once it sees the relay stopped.
    await this.#starting?.catch(() => undefined);
    await this.kill();
  }
}

// ---- many personas over a few clients -----------------------------------------------------------

/** One persona of a pool: its own keys, sessions, contacts and connections. */
export interface PoolPersona {
  readonly label: string;
  readonly client: KindredClient;
  readonly session: PersonaSession;
  readonly address: string;
  /** The client's vault folder, to open it again after closing it. */
  readonly home: string;
}

/**
 * `clients` KindredClients (one vault each) holding `perClient` personas each, labelled
 * `${label}${n}`, registered on `relayUrl`. Clients are made in parallel, a client's personas one
 * after another (each registration solves proof of work and uploads prekeys).
 */
export async function personaPool(
  dirs: TempDirs,
  relayUrl: string,
  options: {
    label: string;
    clients: number;
    perClient: number;
    clientOptions: KindredClientOptions;
    /** Every client made is pushed here at once, so teardown closes it even if a later one fails. */
    track: KindredClient[];
  },
): Promise<PoolPersona[]> {
  const { label, perClient } = options;
  const byClient = await Promise.all(
    Array.from({ length: options.clients }, async (_, c) => {
      const first = c * perClient;
      const home = await dirs.make('home');
      const client = await newClient(dirs, relayUrl, `${label}${first}`, {
        ...options.clientOptions,
        home,
      });
      options.track.push(client);
      const personas: PoolPersona[] = [
        {
          label: `${label}${first}`,
          client,
          session: client.mainSession,
          address: client.address,
          home,
        },
      ];
      for (let p = 1; p < perClient; p++) {
        const session = await client.createPersona(`${label}${first + p}`);
        personas.push({
          label: `${label}${first + p}`,
          client,
          session,
          address: session.address,
          home,
        });
      }
      return personas;
    }),
  );
  return byClient.flat();
}

/**
 * Opens the (closed) client behind `personas` again, all of them from one home, and starts it
 * receiving; returns the same personas on the new client. The caller tracks the client.
 */
export async function reopenPool(
  personas: readonly PoolPersona[],
  clientOptions: KindredClientOptions,
): Promise<{ client: KindredClient; personas: PoolPersona[] }> {
  const home = personas[0]?.home;
  if (home === undefined || personas.some((persona) => persona.home !== home)) {
    throw new Error('reopenPool takes the personas of one client');
  }
  const client = await KindredClient.open({ home, passphrase: PASSPHRASE, ...clientOptions });
  return {
    client,
    personas: personas.map((persona) => ({
      ...persona,
      client,
      session: client.session(persona.address),
    })),
  };
}

/**
 * Makes `sender` a contact of `recipient` (the sender uses the recipient's invite) and waits until
 * the recipient has accepted the introduction. Both must be started; the recipient receiving.
 */
export async function introduce(
  recipient: PoolPersona,
  sender: PoolPersona,
  timeoutMs: number,
): Promise<void> {
  const invite = await recipient.session.createInvite({
    maxUses: 1,
    expiresAt: Date.now() + 10 * 60_000,
  });
  await sender.session.addContact(invite.link);
  await waitUntil(
    async () =>
      (await recipient.session.direct.contacts()).some(
        (contact) => contact.address === sender.address,
      ),
    timeoutMs,
    `${recipient.label} to accept ${sender.label}`,
  );
}

// ---- the ledger -------------------------------------------------------------------------------

/** One message written by a test. */
interface Written {
  readonly sender: string;
  readonly recipient: string;
  readonly text: string;
  readonly id: string;
}

/** Counts at a moment of the run. */
export interface LedgerCounts {
  readonly written: number;
  readonly acknowledged: number;
  readonly delivered: number;
  /** Written, not yet shown to the recipient. */
  readonly inFlight: number;
  /** Acknowledged by the relay, not yet shown (waiting in a mailbox or on the wire). */
  readonly ackedNotDelivered: number;
  /** Not yet acknowledged (in the sender's outbox). */
  readonly notAcked: number;
}

/**
 * Every 1:1 message the test writes (by its message id), every relay acknowledgement (`sent`) and
 * every time a recipient showed one (`message`). Texts name sender, recipient and number, so the
 * expected history of each conversation is known.
 */
export class MessageLedger {
  readonly #written = new Map<string, Written>();
  /** sender → recipient → messages in the order written. */
  readonly #conversations = new Map<string, Map<string, Written[]>>();
  readonly #acknowledged = new Set<string>();
  readonly #shown = new Map<string, number>();
  /** `${sender} ${recipient}` → written, not yet shown. */
  readonly #pending = new Map<string, number>();
  /** `message` events for ids this ledger did not write (should stay 0). */
  strangers = 0;
  /** `sendFailed` events (a permanent refusal; should stay 0). */
  failures = 0;

  /** Listens to a client's events (each client once). */
  watch(client: KindredClient): void {
    client.on('sent', ({ messageId }) => {
      const id = toHex(messageId);
      // Introductions are acknowledged too; only the test's texts count.
      if (this.#written.has(id)) this.#acknowledged.add(id);
    });
    client.on('sendFailed', () => {
      this.failures++;
    });
    client.on('message', ({ message }) => {
      const id = toHex(message.messageId);
      if (!this.#written.has(id)) {
        this.strangers++;
        return;
      }
      const times = (this.#shown.get(id) ?? 0) + 1;
      this.#shown.set(id, times);
      const written = this.#written.get(id);
      if (times === 1 && written !== undefined) {
        const key = conversationKey(written.sender, written.recipient);
        this.#pending.set(key, (this.#pending.get(key) ?? 0) - 1);
      }
    });
  }

  /** Writes one text from `sender` to `recipient` and records it. */
  async write(sender: PoolPersona, recipient: PoolPersona, text: string): Promise<void> {
    const message = await sender.session.direct.send(recipient.address, text);
    const id = toHex(message.messageId);
    const written: Written = { sender: sender.address, recipient: recipient.address, text, id };
    this.#written.set(id, written);
    const key = conversationKey(sender.address, recipient.address);
    this.#pending.set(key, (this.#pending.get(key) ?? 0) + 1);
    let bySender = this.#conversations.get(sender.address);
    if (bySender === undefined) {
      bySender = new Map();
      this.#conversations.set(sender.address, bySender);
    }
    let conversation = bySender.get(recipient.address);
    if (conversation === undefined) {
      conversation = [];
      bySender.set(recipient.address, conversation);
    }
    conversation.push(written);
  }

  get written(): number {
    return this.#written.size;
  }

  get acknowledged(): number {
    return this.#acknowledged.size;
  }

  /** The ids acknowledged so far (a copy: later acknowledgements do not change it). */
  acknowledgedIds(): Set<string> {
    return new Set(this.#acknowledged);
  }

  /** Whether the recipient has shown the message with this id. */
  wasDelivered(id: string): boolean {
    return this.#shown.has(id);
  }

  get delivered(): number {
    return this.#shown.size;
  }

  /** Messages from `sender` to `recipient` written and not yet shown. */
  inFlightBetween(sender: PoolPersona, recipient: PoolPersona): number {
    return this.#pending.get(conversationKey(sender.address, recipient.address)) ?? 0;
  }

  /** Messages shown to one recipient so far. */
  deliveredTo(recipient: string): number {
    let count = 0;
    for (const id of this.#shown.keys())
      if (this.#written.get(id)?.recipient === recipient) count++;
    return count;
  }

  /** Ids the recipient showed more than once (should stay 0). */
  get shownTwice(): number {
    let count = 0;
    for (const times of this.#shown.values()) if (times > 1) count++;
    return count;
  }

  counts(): LedgerCounts {
    let ackedNotDelivered = 0;
    for (const id of this.#acknowledged) if (!this.#shown.has(id)) ackedNotDelivered++;
    return {
      written: this.written,
      acknowledged: this.acknowledged,
      delivered: this.delivered,
      inFlight: this.written - this.delivered,
      ackedNotDelivered,
      notAcked: this.written - this.acknowledged,
    };
  }

  describe(): string {
    const c = this.counts();
    return (
      `written ${c.written}, acknowledged ${c.acknowledged}, delivered ${c.delivered}, ` +
      `shown twice ${this.shownTwice}, send failures ${this.failures}`
    );
  }

  /**
   * Nothing silently lost, at this moment: every message the relay has not acknowledged is still
   * in its sender's outbox (its history entry is `queued`: the outbox entry and that status leave
   * together, in one vault transaction, when the SendAck arrives), and every one it acknowledged
   * shows as `sent`. Returns how many unacknowledged ones were already delivered (the relay
   * stored them, but the SendAck was lost with the relay).
   */
  async checkAccounted(senders: readonly PoolPersona[]): Promise<{ deliveredUnacked: number }> {
    // Read acknowledgements first: one seen before the history was read must show there.
    const acknowledged = new Set(this.#acknowledged);
    let deliveredUnacked = 0;
    const problems: string[] = [];
    const checkConversation = async (
      sender: PoolPersona,
      recipient: string,
      conversation: readonly Written[],
    ): Promise<void> => {
      const history = messagesOf(await sender.session.direct.messages(recipient));
      const byId = new Map(history.map((m) => [toHex(m.messageId), m]));
      for (const written of conversation) {
        const status = byId.get(written.id)?.status;
        if (status === 'queued') {
          if (this.#shown.has(written.id)) deliveredUnacked++;
        } else if (!isPastRelay(status)) {
          problems.push(`${written.text}: status ${String(status)}`);
        }
        // A `sent` event may still be on its way after the status changed; never the reverse.
        if (acknowledged.has(written.id) && !isPastRelay(status)) {
          problems.push(`${written.text}: acknowledged but ${String(status)}`);
        }
      }
    };
    // All at once: each history read waits its turn behind its persona's work.
    await Promise.all(
      senders.flatMap((sender) =>
        [...(this.#conversations.get(sender.address) ?? [])].map(([recipient, conversation]) =>
          checkConversation(sender, recipient, conversation),
        ),
      ),
    );
    if (problems.length > 0) {
      throw new Error(`messages not accounted for: ${problems.slice(0, 10).join('; ')}`);
    }
    return { deliveredUnacked };
  }

  /**
   * The end state, read from the recipients' own histories: each conversation holds exactly what
   * was written, in the order written, once (unique ids and texts), with no gap marker; every
   * acknowledged message is among them.
   */
  async checkDelivered(personas: readonly PoolPersona[]): Promise<void> {
    const byAddress = new Map(personas.map((p) => [p.address, p]));
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const [senderAddress, recipients] of this.#conversations) {
      const sender = byAddress.get(senderAddress);
      for (const [recipientAddress, conversation] of recipients) {
        const expected = conversation.map((written) => written.text);
        const recipient = byAddress.get(recipientAddress);
        if (recipient === undefined || sender === undefined) throw new Error('unknown persona');
        const history = await recipient.session.direct.messages(senderAddress);
        const incoming = messagesOf(history).filter((m) => m.direction === 'in');
        const texts = incoming.map((m) => m.text);
        const ids = incoming.map((m) => toHex(m.messageId));
        const where = `${sender.label} → ${recipient.label}`;
        if (new Set(ids).size !== ids.length) problems.push(`${where}: an id shown twice`);
        if (new Set(texts).size !== texts.length) problems.push(`${where}: a text shown twice`);
        if (history.some((entry) => entry.kind === 'gap')) problems.push(`${where}: a gap`);
        if (texts.join('\n') !== expected.join('\n')) {
          const firstDiff = expected.findIndex((text, i) => texts[i] !== text);
          problems.push(
            `${where}: ${texts.length} of ${expected.length} shown; first difference at ` +
              `${firstDiff} (expected ${String(expected[firstDiff])}, got ${String(texts[firstDiff])})`,
          );
        }
        for (const id of ids) seen.add(id);
      }
    }
    for (const id of this.#acknowledged) {
      if (!seen.has(id)) problems.push(`acknowledged ${String(this.#written.get(id)?.text)} lost`);
    }
    if (this.shownTwice > 0) problems.push(`${this.shownTwice} messages shown twice`);
    if (this.strangers > 0) problems.push(`${this.strangers} messages nobody wrote`);
    if (this.failures > 0) problems.push(`${this.failures} sends refused for good`);
    if (problems.length > 0) {
      throw new Error(`${problems.length} problems: ${problems.slice(0, 10).join('; ')}`);
    }
  }
}

function conversationKey(sender: string, recipient: string): string {
  return `${sender} ${recipient}`;
}

/** The relay has it: `sent`, or further along by the recipient's receipts (docs/messages.md). */
function isPastRelay(status: string | undefined): boolean {
  return status === 'sent' || status === 'delivered' || status === 'read';
}
