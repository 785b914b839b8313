/**
 * The count of open anonymous connections, capped apart from authenticated ones, so strangers
 * holding sockets open cannot crowd out members who authenticate.
 */
export class AnonymousSlots {
  readonly #max: number;
  #taken = 0;

  constructor(max: number) {
    this.#max = max;
  }

  get taken(): number {
    return this.#taken;
  }

  /** Takes a slot; false when all are taken. */
  take(): boolean {
    if (this.#taken >= this.#max) return false;
    this.#taken += 1;
    return true;
  }

  release(): void {
    this.#taken = Math.max(0, this.#taken - 1);
  }
}
