import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { CoreError, CoreErrorCode } from '../errors/CoreError.js';

/** What one Argon2id derivation needs; the passphrase is already normalised. */
export interface KdfJob {
  readonly keyBytes: number;
  readonly passphrase: string;
  readonly salt: Uint8Array;
  readonly opsLimit: number;
  readonly memLimit: number;
}

/**
 * The worker's code, run as a CommonJS script (`eval`): a file of its own would need the TypeScript
 * loader inside the worker and a place in every bundle. It loads its own libsodium (WebAssembly
 * instances are per thread), derives once, posts the key (or null) and ends.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let sodium;
try {
  sodium = require(workerData.sodiumPath);
} catch {
  parentPort.postMessage({ loaded: false });
}
if (sodium !== undefined) {
  sodium.ready.then(() => {
    const job = workerData.job;
    let key = null;
    try {
      key = sodium.crypto_pwhash(job.keyBytes, job.passphrase, job.salt, job.opsLimit,
        job.memLimit, sodium.crypto_pwhash_ALG_ARGON2ID13);
    } catch {
      key = null;
    }
    parentPort.postMessage({ loaded: true, key });
  }, () => parentPort.postMessage({ loaded: false }));
}
`;

/** The CommonJS entry of the same libsodium build core uses, for the worker to load. */
function sodiumPath(): string {
  return createRequire(import.meta.url).resolve('libsodium-wrappers-sumo');
}

/**
 * Runs one Argon2id derivation on a worker thread, so the thread that asked (the desktop's main
 * process, the dev host, a relay-side tool) keeps serving its event loop through the seconds that
 * Argon2 takes. Resolves to undefined when no worker could load libsodium (a packaging that hides
 * it from workers): the caller then derives in place rather than not at all.
 */
export function deriveOnWorker(job: KdfJob): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { sodiumPath: sodiumPath(), job },
    });
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      outcome();
    };
    worker.on('message', (message: { loaded: boolean; key?: Uint8Array | null }) => {
      finish(() => {
        if (!message.loaded) resolve(undefined);
        else if (message.key instanceof Uint8Array) resolve(new Uint8Array(message.key));
        else reject(new CoreError(CoreErrorCode.Internal, 'key derivation failed'));
      });
    });
    worker.on('error', () => {
      finish(() => {
        resolve(undefined);
      });
    });
    worker.on('exit', () => {
      finish(() => {
        reject(new CoreError(CoreErrorCode.Internal, 'key derivation stopped'));
      });
    });
  });
}
