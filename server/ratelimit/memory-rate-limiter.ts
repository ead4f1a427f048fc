import { peekState, rateLimitState, type RateLimiter, type RateLimitPolicy, type RateLimitState } from "./rate-limiter";

interface Window {
  count: number;
  resetAt: number;
}

/** Counts in this process's memory. Expired windows are swept as the map grows. */
export class MemoryRateLimiter implements RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  private current(policy: RateLimitPolicy, key: string): { id: string; window: Window | undefined } {
    const id = `${policy.name}:${key}`;
    const window = this.windows.get(id);
    if (window && window.resetAt <= this.now()) {
      this.windows.delete(id);
      return { id, window: undefined };
    }
    return { id, window };
  }

  async hit(policy: RateLimitPolicy, key: string, cost = 1): Promise<RateLimitState> {
    const { id, window } = this.current(policy, key);
    const now = this.now();
    const w = window ?? { count: 0, resetAt: now + policy.windowMs };
    w.count += Math.max(0, Math.floor(cost));
    if (!window) {
      if (this.windows.size >= this.maxKeys) this.sweep();
      this.windows.set(id, w);
    }
    return rateLimitState(policy, w.count, w.resetAt - now);
  }

  async peek(policy: RateLimitPolicy, key: string): Promise<RateLimitState> {
    const { window } = this.current(policy, key);
    return peekState(policy, window?.count ?? 0, window ? window.resetAt - this.now() : 0);
  }

  async reset(policy: RateLimitPolicy, key: string): Promise<void> {
    this.windows.delete(`${policy.name}:${key}`);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, w] of this.windows) if (w.resetAt <= now) this.windows.delete(id);
    // Still full: drop the oldest entries rather than grow without bound.
    for (const id of this.windows.keys()) {
      if (this.windows.size < this.maxKeys) break;
      this.windows.delete(id);
    }
  }
}
