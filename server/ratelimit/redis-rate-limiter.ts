import type { Redis } from "ioredis";
import { peekState, rateLimitState, type RateLimiter, type RateLimitPolicy, type RateLimitState } from "./rate-limiter";

// INCRBY cost and set the expiry on the first hit, atomically; returns [count, ms left].
const HIT_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

/** Counts in Redis, shared by every instance of the cloud. */
export class RedisRateLimiter implements RateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = "tapline:rl:",
  ) {}

  private key(policy: RateLimitPolicy, key: string): string {
    return `${this.prefix}${policy.name}:${key}`;
  }

  async hit(policy: RateLimitPolicy, key: string, cost = 1): Promise<RateLimitState> {
    const n = Math.max(0, Math.floor(cost));
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, this.key(policy, key), String(policy.windowMs), String(n))) as [number, number];
    return rateLimitState(policy, Number(count), Number(ttl));
  }

  async peek(policy: RateLimitPolicy, key: string): Promise<RateLimitState> {
    const k = this.key(policy, key);
    const [[, count], [, ttl]] = (await this.redis.multi().get(k).pttl(k).exec()) as [[unknown, string | null], [unknown, number]];
    const n = count === null ? 0 : Number(count);
    return peekState(policy, n, n > 0 && ttl > 0 ? ttl : 0);
  }

  async reset(policy: RateLimitPolicy, key: string): Promise<void> {
    await this.redis.del(this.key(policy, key));
  }
}
