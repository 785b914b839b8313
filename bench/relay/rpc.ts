/**
 * Requests over the IPC channel between the relay suite and its child processes (the relay or
 * bare forwarder host, and the load generator). Each child is a tsx script started with `fork`,
 * serves named methods, and exits when asked, when its parent goes away, or after a hard
 * lifetime, so a crashed or interrupted benchmark leaves nothing running.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

interface RpcRequest {
  readonly id: number;
  readonly method: string;
  readonly params: unknown;
}

type RpcReply =
  | { readonly id: number; readonly result: unknown }
  | { readonly id: number; readonly error: string };

/** The first message a child sends once it is ready to serve. */
interface ReadyMessage {
  readonly ready: unknown;
}

/** A child never outlives this, whatever happens to its parent (unless started with a longer
 * `lifetimeMs`, for suites that run longer than that on purpose). */
export const CHILD_MAX_LIFETIME_MS = 10 * 60 * 1000;

/** How the parent tells a child its lifetime (ms), when it is not the default. */
const LIFETIME_VARIABLE = 'KINDRED_BENCH_CHILD_LIFETIME_MS';

/** How a child is started, beyond its script and arguments. */
export interface ChildSettings {
  /** Options for node itself (e.g. `--expose-gc`, `--cpu-prof`). */
  readonly nodeOptions?: readonly string[];
  /** The child exits after this long whatever happens. Default CHILD_MAX_LIFETIME_MS. */
  readonly lifetimeMs?: number;
  /**
   * Start the child with at least this many file descriptors (the soft `ulimit -n`), through
   * `/bin/sh -c 'ulimit -Sn N && exec node …'`, for children that hold thousands of sockets. The
   * caller checks that the hard limit allows it (see fileLimits.ts).
   */
  readonly maxOpenFiles?: number;
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The parent's handle on one child process. */
export class ChildRpc {
  readonly #child: ChildProcess;
  readonly #name: string;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();
  readonly #exited: Promise<void>;
  #exitDescription: string | undefined;
  #nextId = 1;

  private constructor(child: ChildProcess, name: string) {
    this.#child = child;
    this.#name = name;
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.#exitDescription = signal === null ? `code ${String(code)}` : `signal ${signal}`;
        for (const [id, pending] of this.#pending) {
          clearTimeout(pending.timer);
          pending.reject(new Error(`${name} exited (${this.#exitDescription}) during request`));
          this.#pending.delete(id);
        }
        resolve();
      });
    });
    child.on('message', (message: RpcReply | ReadyMessage) => {
      if (!('id' in message)) return;
      const pending = this.#pending.get(message.id);
      if (pending === undefined) return;
      this.#pending.delete(message.id);
      clearTimeout(pending.timer);
      if ('error' in message) pending.reject(new Error(`${name}: ${message.error}`));
      else pending.resolve(message.result);
    });
  }

  /**
   * Starts `script` (a .ts file, run through tsx) with `args` (and `nodeOptions` for node itself,
   * or `ChildSettings`) and waits for its ready message (returned as `ready`, for the caller to
   * check). The child's stdout and stderr both go to this process's stderr (stdout carries the
   * table).
   */
  static async start(
    name: string,
    script: URL,
    args: readonly string[],
    timeoutMs: number,
    settings: readonly string[] | ChildSettings = [],
  ): Promise<{ child: ChildRpc; ready: unknown }> {
    const {
      nodeOptions = [],
      lifetimeMs,
      maxOpenFiles,
    } = Array.isArray(settings)
      ? { nodeOptions: settings as readonly string[] }
      : (settings as ChildSettings);
    const nodeArgs = ['--import', 'tsx', ...nodeOptions];
    const env =
      lifetimeMs === undefined
        ? process.env
        : { ...process.env, [LIFETIME_VARIABLE]: String(Math.ceil(lifetimeMs)) };
    // fork() runs `execPath ...execArgv script ...args`; through a shell, the shell raises its
    // own limit and then becomes node (exec keeps the IPC channel's descriptor and environment).
    const throughShell =
      maxOpenFiles === undefined
        ? {}
        : {
            execPath: '/bin/sh',
            execArgv: [
              '-c',
              `ulimit -Sn ${Math.ceil(maxOpenFiles)} && exec "$@"`,
              'sh',
              process.execPath,
              ...nodeArgs,
            ],
          };
    const child = fork(fileURLToPath(script), [...args], {
      cwd: REPO_ROOT,
      execArgv: nodeArgs,
      stdio: ['ignore', 2, 2, 'ipc'],
      serialization: 'json',
      env,
      ...throughShell,
    });
    const rpc = new ChildRpc(child, name);
    let timer: NodeJS.Timeout | undefined;
    try {
      const ready = await Promise.race([
        new Promise<unknown>((resolve) => {
          const onMessage = (message: RpcReply | ReadyMessage): void => {
            if ('ready' in message) {
              child.off('message', onMessage);
              resolve(message.ready);
            }
          };
          child.on('message', onMessage);
        }),
        rpc.#exited.then(() => {
          throw new Error(`${name} exited (${rpc.#exitDescription ?? '?'}) before it was ready`);
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            reject(new Error(`${name} was not ready within ${timeoutMs} ms`));
          }, timeoutMs);
        }),
      ]);
      return { child: rpc, ready };
    } catch (error) {
      await rpc.kill();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Calls `method` in the child; rejects after `timeoutMs` or if the child exits. */
  call<Result>(method: string, params: unknown, timeoutMs: number): Promise<Result> {
    if (this.#exitDescription !== undefined) {
      return Promise.reject(new Error(`${this.#name} has exited (${this.#exitDescription})`));
    }
    const id = this.#nextId++;
    return new Promise<Result>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`${this.#name}: ${method} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      const request: RpcRequest = { id, method, params };
      this.#child.send(request, (error) => {
        if (error === null) return;
        this.#pending.delete(id);
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Asks the child to stop (its `stop` method, then exit); kills it if that takes too long. */
  async stop(timeoutMs: number): Promise<void> {
    if (this.#exitDescription !== undefined) return;
    try {
      await this.call('stop', undefined, timeoutMs);
    } catch {
      // Killed below.
    }
    if (!(await this.#exitsWithin(timeoutMs))) await this.kill();
  }

  /** SIGKILL, and waits for the exit. */
  async kill(): Promise<void> {
    if (this.#exitDescription !== undefined) return;
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  /** Synchronous SIGKILL, for signal handlers. */
  killNow(): void {
    if (this.#exitDescription === undefined) this.#child.kill('SIGKILL');
  }

  async #exitsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.#exited.then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => {
            resolve(false);
          }, ms);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** One method a child serves. */
export type RpcHandler = (params: unknown) => unknown;

/**
 * The child's side: serves `handlers` (plus `stop`, which runs `onStop` and exits), sends
 * `ready`, and exits after `onStop` when the parent disconnects or the lifetime runs out.
 */
export function serveRpc(
  handlers: Readonly<Record<string, RpcHandler>>,
  ready: unknown,
  onStop: () => Promise<void>,
): void {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('run this script through bench/suites/relay.ts');
  let stopping: Promise<void> | undefined;
  /** Runs onStop once, answers the `stop` request (when there is one), then exits. */
  const stop = (code: number, replyTo?: number): Promise<void> => {
    stopping ??= onStop()
      .catch((error: unknown) => {
        console.error(error);
        code = 1;
      })
      .finally(() => {
        if (replyTo === undefined || !process.connected) process.exit(code);
        send({ id: replyTo, result: null }, () => process.exit(code));
      });
    return stopping;
  };
  process.on('message', (message: RpcRequest) => {
    if (message.method === 'stop') {
      void stop(0, message.id);
      return;
    }
    const reply = (body: { result: unknown } | { error: string }): void => {
      if (process.connected) send({ id: message.id, ...body });
    };
    const handler = handlers[message.method];
    if (handler === undefined) {
      reply({ error: `unknown method ${message.method}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.params))
      .then(
        (result) => {
          reply({ result: result ?? null });
        },
        (error: unknown) => {
          reply({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        },
      );
  });
  process.on('disconnect', () => {
    void stop(1);
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      void stop(1);
    });
  }
  const lifetime = Number(process.env[LIFETIME_VARIABLE] ?? CHILD_MAX_LIFETIME_MS);
  setTimeout(
    () => {
      console.error(`[bench] ${process.argv[1] ?? 'child'}: lifetime exceeded, exiting`);
      void stop(1);
    },
    Number.isFinite(lifetime) && lifetime > 0 ? lifetime : CHILD_MAX_LIFETIME_MS,
  ).unref();
  send({ ready });
}
