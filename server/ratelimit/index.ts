/**
 * The process-wide rate limiter: Redis when REDIS_URL is set, memory otherwise.
 */
import { Redis } from "ioredis";
import { env } from "../env";
import { MemoryRateLimiter } from "./memory-rate-limiter";
import type { RateLimiter } from "./rate-limiter";
import { RedisRateLimiter } from "./redis-rate-limiter";

export * from "./rate-limiter";
export { MemoryRateLimiter } from "./memory-rate-limiter";
export { RedisRateLimiter } from "./redis-rate-limiter";

const g = globalThis as { __taplineRateLimiter?: RateLimiter };

export function rateLimiter(): RateLimiter {
  if (!g.__taplineRateLimiter) {
    const url = env().REDIS_URL;
    g.__taplineRateLimiter = url
      ? new RedisRateLimiter(new Redis(url, { maxRetriesPerRequest: 2, enableOfflineQueue: true, lazyConnect: false }))
      : new MemoryRateLimiter();
  }
  return g.__taplineRateLimiter;
}
