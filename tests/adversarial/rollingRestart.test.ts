// A rolling restart under load: the relay process is sent SIGTERM (as systemd or an orchestrator
// does) three times while twenty senders write; each time it drains — /readyz turns false, the
// clients are told to go away, the writes it received finish — exits 0, and comes back on the
// same folder and port. The clients reconnect by themselves; every acknowledged message arrives
// once, in order, and nobody sees an error.
import { afterAll, describe, expect, it } from 'vitest';
import type { KindredClient, KindredClientOptions } from '../../core/client/index.js';
import { TEST_CLIENT_OPTIONS, TempDirs } from '../integration/helpers.js';
import {
  MessageLedger,
  RestartableRelay,
  introduce,
  personaPool,
  report,
  teardown,
  waitUntil,
} from './crashHelpers.js';
import type { PoolPersona } from './crashHelpers.js';

const SENDER_CLIENTS = 2;
const SENDERS_PER_CLIENT = 10;
const RECIPIENTS = 4;
/** Each sender writes at least this many, and goes on writing until the last restart is done. */
const PER_CONVERSATION = 40;
/** The bound on one sender's stream, should the restarts never finish. */
const MAX_PER_CONVERSATION = 600;
const SENDERS = SENDER_CLIENTS * SENDERS_PER_CLIENT;
const TOTAL = SENDERS * PER_CONVERSATION;
const RESTARTS = 3;
/** Generous: two cores shared with other suites. */
const STEP_TIMEOUT_MS = 120_000;

const CLIENT_OPTIONS: KindredClientOptions = { ...TEST_CLIENT_OPTIONS, preKeyBatchSize: 20 };

const dirs = new TempDirs();
const clients: KindredClient[] = [];
let relay: RestartableRelay | undefined;

afterAll(async () => {
  teardown.abort();
  await relay?.stop();
  await Promise.allSettled(clients.map((client) => client.close()));
  await dirs.cleanup();
});

describe('a rolling restart under load', () => {
  it(
    'drains on SIGTERM three times: every acknowledged message arrives once, clients reconnect',
    { timeout: 420_000 },
    async () => {
      const began = Date.now();
      // The drain delay is long enough to see /readyz turn false before clients are sent away.
      relay = await RestartableRelay.start(await dirs.make('rolling-relay'), [
        ...['--drain-delay', '3s', '--metrics-port', '0'],
      ]);
      const [recipients, senders] = await Promise.all([
        personaPool(dirs, relay.url, {
          label: 'r',
          clients: 1,
          perClient: RECIPIENTS,
          clientOptions: CLIENT_OPTIONS,
          track: clients,
        }),
        personaPool(dirs, relay.url, {
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
      await Promise.all(senderClients.map((client) => client.start({ receive: false })));
      const target = (s: number): PoolPersona => {
        const recipient = recipients[s % RECIPIENTS];
        if (recipient === undefined) throw new Error('no such recipient');
        return recipient;
      };
      await Promise.all(senders.map((sender, s) => introduce(target(s), sender, STEP_TIMEOUT_MS)));
      await Promise.all(senderClients.map((client) => client.flushOutbox(STEP_TIMEOUT_MS)));

      const ledger = new MessageLedger();
      const errors: string[] = [];
      for (const client of [...recipientClients, ...senderClients]) {
        ledger.watch(client);
        client.on('error', (error) => errors.push(`${error.code}: ${error.message}`));
      }
      const sendStart = Date.now();
      // A steady stream rather than one burst, kept up until the last restart is done, so every
      // restart lands mid-traffic however fast this machine sends (a fixed count once finished
      // before the second restart, which then waited for traffic that never came).
      let restartsDone = false;
      const writing = Promise.all(
        senders.map(async (sender, s) => {
          for (let n = 1; n <= MAX_PER_CONVERSATION; n++) {
            if (n > PER_CONVERSATION && restartsDone) break;
            await ledger.write(sender, target(s), `${sender.label}>${target(s).label} #${n}`);
            await new Promise((resolve) => setTimeout(resolve, 25));
          }
        }),
      );
      writing.catch(() => undefined);

      const exitCodes: (number | null)[] = [];
      const readyWhileDraining: number[] = [];
      let scrape = '';
      for (let r = 0; r < RESTARTS; r++) {
        const acknowledgedAtStart = ledger.acknowledged;
        const deliveredAtStart = ledger.delivered;
        await waitUntil(
          () =>
            ledger.delivered >= deliveredAtStart + TOTAL / (RESTARTS + 2) &&
            ledger.acknowledged > acknowledgedAtStart,
          STEP_TIMEOUT_MS,
          `restart ${r + 1}`,
          () => ledger.describe(),
        );
        const metricsPort = relay.metricsPort;
        // Under load, the scrape moves with the traffic; then the drain turns /readyz false.
        scrape = await (await fetch(`http://127.0.0.1:${String(metricsPort)}/metrics`)).text();
        expect((await fetch(`http://127.0.0.1:${String(metricsPort)}/readyz`)).status).toBe(200);
        exitCodes.push(
          await relay.terminate(async () => {
            await waitUntil(
              async () => {
                const ready = await fetch(`http://127.0.0.1:${String(metricsPort)}/readyz`);
                if (ready.status !== 503) return false;
                readyWhileDraining.push(ready.status);
                return true;
              },
              STEP_TIMEOUT_MS,
              '/readyz to turn false while draining',
            );
          }),
        );
        report(
          `rollingRestart: restart ${r + 1} at ${Date.now() - sendStart} ms: ${ledger.describe()}`,
        );
        await relay.restart();
      }
      restartsDone = true;

      await writing;
      const written = ledger.written;
      expect(written).toBeGreaterThanOrEqual(TOTAL);
      await waitUntil(
        () => ledger.acknowledged >= written && ledger.delivered >= written,
        STEP_TIMEOUT_MS,
        'every message acknowledged and delivered',
        () => ledger.describe(),
      );
      await Promise.all(recipientClients.map((client) => client.whenInboxQuiet(500, 20_000)));
      await ledger.checkDelivered([...senders, ...recipients]);
      await ledger.checkAccounted(senders);
      expect(ledger.counts()).toStrictEqual({
        written,
        acknowledged: written,
        delivered: written,
        inFlight: 0,
        ackedNotDelivered: 0,
        notAcked: 0,
      });
      expect(ledger.shownTwice).toBe(0);
      // Each stop was a drain that finished: exit code 0, not a kill.
      expect(exitCodes).toStrictEqual(Array.from({ length: RESTARTS }, () => 0));
      expect(errors).toStrictEqual([]);
      expect(readyWhileDraining).toStrictEqual([503, 503, 503]);
      // The last scrape under load counted what the senders did, and named none of them.
      const stored = /^kindred_envelopes_stored_total (\d+)$/m.exec(scrape);
      expect(Number(stored?.[1] ?? 0)).toBeGreaterThan(0);
      for (const persona of [...senders, ...recipients]) {
        expect(scrape).not.toContain(persona.address);
      }
      report(
        `rollingRestart: ${written} messages through ${RESTARTS} drains in ${Date.now() - sendStart} ms ` +
          `(total ${Date.now() - began} ms); restarts ${relay.startTimes.slice(1).join(', ')} ms`,
      );
    },
  );
});
