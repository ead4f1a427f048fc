/**
 * Fixed-window rate limiting behind one small interface, so callers (sign-in, password reset,
 * the ingestion API) don't care whether counts live in Redis (shared by every instance) or in
 * this process's memory (single instance, or no REDIS_URL).
 */
export interface RateLimitPolicy {
  /** Names the counter family; part of every key, e.g. `signin-email`. */
  name: string;
  /** Hits allowed per window. */
  limit: number;
  windowMs: number;
}

export interface RateLimitState {
  /** False once `limit` hits were counted in the current window. */
  allowed: boolean;
  /** Hits counted so far in the current window. */
  count: number;
  limit: number;
  remaining: number;
  /** Seconds until the window resets (0 when nothing is counted). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Count `cost` hits (default 1, e.g. records in a batch) for `key` and return the state after them. */
  hit(policy: RateLimitPolicy, key: string, cost?: number): Promise<RateLimitState>;
  /** The state for `key` without counting. */
  peek(policy: RateLimitPolicy, key: string): Promise<RateLimitState>;
  /** Forget `key`'s hits (e.g. after a successful sign-in). */
  reset(policy: RateLimitPolicy, key: string): Promise<void>;
}

export function rateLimitState(policy: RateLimitPolicy, count: number, msLeft: number): RateLimitState {
  return {
    allowed: count <= policy.limit,
    count,
    limit: policy.limit,
    remaining: Math.max(0, policy.limit - count),
    retryAfterSeconds: count > 0 ? Math.max(1, Math.ceil(msLeft / 1000)) : 0,
  };
}

/** State for `peek`: blocked once the limit is reached (the next hit would be refused). */
export function peekState(policy: RateLimitPolicy, count: number, msLeft: number): RateLimitState {
  const s = rateLimitState(policy, count, msLeft);
  return { ...s, allowed: count < policy.limit };
}
