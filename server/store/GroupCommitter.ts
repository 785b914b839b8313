/**
 * Group commit: requests submitted while a commit is running are gathered and committed together
 * by the next one, so N concurrent writers cost one synced write instead of N. Each submitter's
 * promise settles only when the commit that carried its request has settled.
 *
 * Commits run strictly one after another, in submission order, so ids a commit assigns are
 * always above those of every earlier commit.
 */
export class GroupCommitter<Request, Result> {
  readonly #commit: (requests: readonly Request[]) => Promise<readonly Result[]>;
  readonly #onCommit: CommitObserver | undefined;
  #queue: Pending<Request, Result>[] = [];
  #running: Promise<void> | undefined;
  #batches = 0;
  #requests = 0;

  /**
   * `commit` must return one result per request, in order, or throw to fail them all.
   * `onCommit` hears of each commit that succeeded: how many requests, how long (metrics).
   */
  constructor(
    commit: (requests: readonly Request[]) => Promise<readonly Result[]>,
    onCommit?: CommitObserver,
  ) {
    this.#commit = commit;
    this.#onCommit = onCommit;
  }

  submit(request: Request): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#running ??= this.#run();
    });
  }

  /** Resolves once everything submitted so far has been committed (or failed). */
  async drain(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /** How many commits ran and how many requests they carried (for tests and benchmarks). */
  get stats(): { readonly batches: number; readonly requests: number } {
    return { batches: this.#batches, requests: this.#requests };
  }

  async #run(): Promise<void> {
    // Yield to the event loop once, so frames that arrived in the same I/O turn join this batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        this.#batches += 1;
        this.#requests += batch.length;
        try {
          const began = performance.now();
          const results = await this.#commit(batch.map((pending) => pending.request));
          this.#onCommit?.(batch.length, performance.now() - began);
          batch.forEach((pending, index) => {
            const result = results[index];
            if (result === undefined) pending.reject(new Error('commit returned too few results'));
            else pending.resolve(result);
          });
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.#running = undefined;
    }
  }
}

/** Told of each successful commit: the requests it carried and its duration in ms. */
export type CommitObserver = (requests: number, ms: number) => void;

interface Pending<Request, Result> {
  readonly request: Request;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
}
