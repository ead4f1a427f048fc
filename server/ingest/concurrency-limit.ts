/**
 * At most `max` tasks at a time; the others wait their turn in arrival order. Ingestion runs its
 * inserts through one: past a few concurrent inserts into the same hot index pages PostgreSQL
 * spends more CPU per row (lock contention, context switches), so on a small machine more
 * parallelism stores fewer records per second, not more.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`ConcurrencyLimit: max must be a positive integer (got ${max})`);
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next(); // the slot passes straight to the next task
      else this.active--;
    }
  }
}
