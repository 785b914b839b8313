// The relay killed (SIGKILL) again and again while fifty senders have thousands of messages in
// flight: each time it comes back on the same LevelDB folder and port, and the clients reconnect
// by themselves. Nothing acknowledged may be lost, nothing shown twice, no sender's order broken.
import { afterAll, describe, expect, it } from 'vitest';
import type { KindredClient, KindredClientOptions } from '../../core/client/index.js';
import { TEST_CLIENT_OPTIONS, TempDirs } from '../integration/helpers.js';
import type { LedgerCounts, PoolPersona } from './crashHelpers.js';
import {
  MessageLedger,
  RestartableRelay,
  introduce,
  personaPool,
  randomInt,
  reopenPool,
  report,
  seededRandom,
  suiteSeed,
  teardown,
  waitUntil,
} from './crashHelpers.js';

const SEED = suiteSeed('KINDRED_CRASH_SEED', 20_261_202);

/** 50 senders as 5 clients of 10 personas; 10 recipients as 2 clients of 5. */
const SENDER_CLIENTS = 5;
const SENDERS_PER_CLIENT = 10;
const RECIPIENT_CLIENTS = 2;
const RECIPIENTS_PER_CLIENT = 5;
const SENDERS = SENDER_CLIENTS * SENDERS_PER_CLIENT;
const RECIPIENTS = RECIPIENT_CLIENTS * RECIPIENTS_PER_CLIENT;
/** Each sender writes to two recipients, so each recipient hears from ten senders. */
const RECIPIENTS_PER_SENDER = 2;
const PER_CONVERSATION = 100;
const TOTAL = SENDERS * RECIPIENTS_PER_SENDER * PER_CONVERSATION;
/**
 * A sender writes to a recipient as fast as its vault takes it while fewer than this many of its
 * messages to them are undelivered: the relay and the recipients cannot keep up, so thousands are
 * in flight at every kill, and some are still to be written when the last kill comes.
 */
const WINDOW_PER_CONVERSATION = 40;
const KILLS = 20;
/** Kills are spread over this share of the deliveries (stratified, so none bunch up). */
const FIRST_KILL_AT = 0.02;
const LAST_KILL_BY = 0.8;
/** The relay stays up a random while in this range (ms) before it is killed again. */
const MIN_UP_MS = 50;
const MAX_UP_MS = 700;
/**
 * The second recipient client is closed after setup and opened again after this many kills:
 * its mailboxes fill up on the relay meanwhile, and survive those kills.
 */
const OFFLINE_FOR_KILLS = 7;
/** How long the relay stays down around the offline client's return (kills 6 and 7). */
const SLOW_RESTART_MS = 8_000;

/** Generous: two cores shared with other suites. Every wait below has its own deadline. */
const STEP_TIMEOUT_MS = 120_000;
const PROGRESS_EVERY_MS = 10_000;

const CLIENT_OPTIONS: KindredClientOptions = { ...TEST_CLIENT_OPTIONS, preKeyBatchSize: 20 };

const dirs = new TempDirs();
const clients: KindredClient[] = [];
let relay: RestartableRelay | undefined;
let ticker: NodeJS.Timeout | undefined;

afterAll(async () => {
  teardown.abort();
  clearInterval(ticker);
  // The relay first: a run that timed out may still be in its kill loop, and must not restart it.
  await relay?.stop();
  await Promise.allSettled(clients.map((client) => client.close()));
  await dirs.cleanup();
});

interface KillRecord {
  readonly at: number;
  readonly counts: LedgerCounts;
  readonly deliveredUnacked: number;
  readonly restartMs: number;
}

describe('a relay killed twenty times mid-flight', () => {
  it(
    `loses no acknowledged message, shows none twice and keeps each sender's order (seed ${SEED})`,
    { timeout: 480_000 },
    async () => {
      report(`relayCrash: seed ${SEED} (replay with KINDRED_CRASH_SEED=${SEED})`);
      const random = seededRandom(SEED);
      const began = Date.now();
      relay = await RestartableRelay.start(await dirs.make('crash-relay'));
      const url = relay.url;

      const [recipients, senders] = await Promise.all([
        personaPool(dirs, url, {
          label: 'r',
          clients: RECIPIENT_CLIENTS,
          perClient: RECIPIENTS_PER_CLIENT,
          clientOptions: CLIENT_OPTIONS,
          track: clients,
        }),
        personaPool(dirs, url, {
          label: 's',
          clients: SENDER_CLIENTS,
          perClient: SENDERS_PER_CLIENT,
          clientOptions: CLIENT_OPTIONS,
          track: clients,
        }),
      ]);
      const recipientClients = [...new Set(recipients.map((p) => p.client))];
      const senderClients = [...new Set(senders.map((p) => p.client))];
      await Promise.all(recipientClients.map((client) => client.start({ receive: true })));
      // Senders only send: their envelopes go on anonymous connections, opened on demand.
      await Promise.all(senderClients.map((client) => client.start({ receive: false })));

      // Sender s writes to recipients s and s + 1 (mod 10): every recipient hears from ten.
      const targets = (s: number): PoolPersona[] =>
        Array.from({ length: RECIPIENTS_PER_SENDER }, (_, k) => {
          const recipient = recipients[(s + k) % RECIPIENTS];
          if (recipient === undefined) throw new Error('no such recipient');
          return recipient;
        });
      await Promise.all(
        senders.map(async (sender, s) => {
          for (const recipient of targets(s)) await introduce(recipient, sender, STEP_TIMEOUT_MS);
        }),
      );
      await Promise.all(senderClients.map((client) => client.flushOutbox(STEP_TIMEOUT_MS)));
      const setupMs = Date.now() - began;
      report(`relayCrash: ${SENDERS} senders, ${RECIPIENTS} recipients set up in ${setupMs} ms`);

      const ledger = new MessageLedger();
      const errors: string[] = [];
      const watch = (client: KindredClient): void => {
        ledger.watch(client);
        client.on('error', (error) => errors.push(`${error.code}: ${error.message}`));
      };
      for (const client of [...recipientClients, ...senderClients]) watch(client);

      // Half the recipients go offline: what is sent to them waits in their mailboxes, through
      // the first kills.
      const offlineClient = recipientClients[1];
      if (offlineClient === undefined) throw new Error('no second recipient client');
      const offline = recipients.filter((persona) => persona.client === offlineClient);
      await offlineClient.close();

      const sendStart = Date.now();
      const writing = Promise.all(
        senders.flatMap((sender, s) =>
          targets(s).map(async (target) => {
            for (let n = 1; n <= PER_CONVERSATION; n++) {
              await waitUntil(
                () => ledger.inFlightBetween(sender, target) < WINDOW_PER_CONVERSATION,
                STEP_TIMEOUT_MS * 2,
                `room to write ${sender.label}>${target.label} #${n}`,
                () => ledger.describe(),
              );
              await ledger.write(sender, target, `${sender.label}>${target.label} #${n}`);
            }
          }),
        ),
      );
      // Awaited after the kills; a failure must not go unhandled meanwhile.
      writing.catch(() => undefined);
      // A line now and then, so a slow run on a busy machine shows where it is.
      ticker = setInterval(() => {
        report(`relayCrash: at ${Date.now() - sendStart} ms: ${ledger.describe()}`);
      }, PROGRESS_EVERY_MS);
      ticker.unref();

      const kills: KillRecord[] = [];
      let upSince = Date.now();
      for (let k = 0; k < KILLS; k++) {
        // Kill k comes once (a) deliveries reached a point drawn from the k-th of twenty equal
        // slices of the run, so kills spread over it; (b) the relay has been up a random while,
        // so the kill lands anywhere in its commit cycle; and (c) some send was acknowledged since
        // it came back, so clients had reconnected and traffic was flowing.
        const share = FIRST_KILL_AT + ((LAST_KILL_BY - FIRST_KILL_AT) * (k + random())) / KILLS;
        const killAt = Math.floor(share * TOTAL);
        const upFor = randomInt(random, MIN_UP_MS, MAX_UP_MS);
        const acknowledgedAtStart = ledger.acknowledged;
        await waitUntil(
          () =>
            ledger.delivered >= killAt &&
            Date.now() - upSince >= upFor &&
            ledger.acknowledged > acknowledgedAtStart,
          STEP_TIMEOUT_MS,
          `kill ${k + 1} (at ${killAt} deliveries, ${upFor} ms up, a new acknowledgement)`,
          () => ledger.describe(),
        );
        await relay.kill();
        const counts = ledger.counts();
        const killedAt = Date.now() - sendStart;
        // Restarting takes the relay process a second or more; meanwhile, with nothing moving on
        // its side, check that every message not acknowledged is still in its sender's outbox.
        // Around the offline client's return the relay stays down a while (a slow restart): its
        // personas start while it is unreachable and must keep trying until it is back.
        if (k + 2 >= OFFLINE_FOR_KILLS && k < OFFLINE_FOR_KILLS) {
          await new Promise((resolve) => setTimeout(resolve, SLOW_RESTART_MS));
        }
        const restarting = relay.restart();
        restarting.catch(() => undefined);
        const { deliveredUnacked } = await ledger.checkAccounted(senders);
        await restarting;
        upSince = Date.now();
        const record: KillRecord = {
          at: killedAt,
          counts,
          deliveredUnacked,
          restartMs: relay.startTimes.at(-1) ?? 0,
        };
        kills.push(record);
        report(
          `relayCrash: kill ${k + 1}/${KILLS} at ${record.at} ms: written ${counts.written}, ` +
            `in flight ${counts.inFlight} (unacknowledged ${counts.notAcked}, acknowledged and ` +
            `undelivered ${counts.ackedNotDelivered}, delivered but unacknowledged ` +
            `${deliveredUnacked}); restart ${record.restartMs} ms`,
        );
        if (k + 1 === OFFLINE_FOR_KILLS) {
          // Back online: their backlog comes through the kills that follow.
          const back = await reopenPool(offline, CLIENT_OPTIONS);
          clients.push(back.client);
          watch(back.client);
          await back.client.start({ receive: true });
          for (const persona of back.personas) {
            const index = recipients.findIndex((r) => r.address === persona.address);
            recipients[index] = persona;
          }
        }
      }

      await writing;
      await waitUntil(
        () => ledger.acknowledged >= TOTAL,
        STEP_TIMEOUT_MS,
        'every message acknowledged',
        () => ledger.describe(),
      );
      await Promise.all(senderClients.map((client) => client.flushOutbox(STEP_TIMEOUT_MS)));
      await waitUntil(
        () => ledger.delivered >= TOTAL,
        STEP_TIMEOUT_MS,
        'every message delivered',
        () => ledger.describe(),
      );
      // Redeliveries of envelopes whose acks died with a relay may still trickle in.
      const receiving = recipients.map((persona) => persona.client);
      await Promise.all(
        [...new Set(receiving)].map((client) => client.whenInboxQuiet(500, 20_000)),
      );
      const sendMs = Date.now() - sendStart;
      clearInterval(ticker);

      await ledger.checkDelivered([...senders, ...recipients]);
      await ledger.checkAccounted(senders);
      expect(ledger.counts()).toStrictEqual({
        written: TOTAL,
        acknowledged: TOTAL,
        delivered: TOTAL,
        inFlight: 0,
        ackedNotDelivered: 0,
        notAcked: 0,
      });
      expect(ledger.shownTwice).toBe(0);
      expect(kills).toHaveLength(KILLS);
      // Every kill caught messages in flight, and while half the recipients were away, messages
      // the relay had acknowledged were waiting in its mailboxes.
      const inFlight = kills.map((kill) => kill.counts.inFlight);
      expect(Math.min(...inFlight)).toBeGreaterThan(0);
      const waiting = kills.map((kill) => kill.counts.ackedNotDelivered);
      expect(Math.max(...waiting.slice(1, OFFLINE_FOR_KILLS))).toBeGreaterThan(0);

      const restarts = kills.map((kill) => kill.restartMs);
      report(
        `relayCrash: ${TOTAL} messages, ${KILLS} kills in ${sendMs} ms (setup ${setupMs} ms, ` +
          `total ${Date.now() - began} ms); in flight at kills min ${Math.min(...inFlight)} ` +
          `median ${median(inFlight)} max ${Math.max(...inFlight)}; acknowledged and waiting ` +
          `at kills max ${Math.max(...waiting)}; delivered but unacknowledged at kills ` +
          `${kills.reduce((sum, kill) => sum + kill.deliveredUnacked, 0)}; restarts median ` +
          `${median(restarts)} ms max ${Math.max(...restarts)} ms; client errors ` +
          (errors.length === 0 ? 'none' : errors.join(', ')),
      );
      expect(errors).toStrictEqual([]);
    },
  );
});

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
