// Shortcuts for tests: authenticated connections and anonymous senders.
import { RawClient } from './rawClient.js';
import type { RegistrationGate, TestPersona } from './personas.js';
import { authenticate, newTestPersona, preKeyUpload } from './personas.js';

export interface Session {
  readonly tester: TestPersona;
  readonly client: RawClient;
}

/** Connects and authenticates `tester` (registering it on first use, with proof of work). */
export async function connectAs(
  url: string,
  tester: TestPersona = newTestPersona(),
  gate?: RegistrationGate,
): Promise<Session> {
  const client = await RawClient.connect(url);
  await authenticate(
    client,
    tester,
    gate === undefined ? { register: true } : { register: true, gate },
  );
  return { tester, client };
}

/** A registered persona with prekeys uploaded, whose connection is then closed. */
export async function registered(
  url: string,
  preKeys = { oneTimePreKeys: 0, oneTimeKyberPreKeys: 0 },
): Promise<TestPersona> {
  const { tester, client } = await connectAs(url);
  await client.expect(await preKeyUpload(tester, preKeys), 'ok');
  await client.close();
  return tester;
}

export async function closeAll(...clients: readonly (RawClient | undefined)[]): Promise<void> {
  await Promise.all(clients.map((client) => client?.close() ?? Promise.resolve()));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
