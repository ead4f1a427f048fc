/**
 * At most `max` tasks at a time; the others wait their turn in arrival order. Ingestion runs its
 * inserts through one: past a few concurrent inserts into the same hot index pages PostgreSQL
 * spends more CPU per row (lock contention, context switches), so on a small machine more
 * parallelism stores fewer records per second, not more.
 */
export class ConcurrencyLimit {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  /**
   * `maxWaiting` bounds the queue: each waiting task holds a parsed batch in memory, so past it
   * callers are turned away (QueueFullError) rather than queued without end.
   */
  constructor(
    readonly max: number,
    readonly maxWaiting = Infinity,
  ) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`ConcurrencyLimit: max must be a positive integer (got ${max})`);
    if (!(maxWaiting >= 0)) throw new RangeError(`ConcurrencyLimit: maxWaiting must be ≥ 0 (got ${maxWaiting})`);
  }

  /** Whether a task started now would be refused. */
  get full(): boolean {
    return this.active >= this.max && this.waiting.length >= this.maxWaiting;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.full) throw new QueueFullError(this.max, this.maxWaiting);
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

export class QueueFullError extends Error {
  constructor(max: number, maxWaiting: number) {
    super(`${max} tasks running and ${maxWaiting} waiting`);
    this.name = "QueueFullError";
  }
}
