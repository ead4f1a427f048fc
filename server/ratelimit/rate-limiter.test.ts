import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { MemoryRateLimiter } from "./memory-rate-limiter";
import { RedisRateLimiter } from "./redis-rate-limiter";
import type { RateLimiter, RateLimitPolicy } from "./rate-limiter";

const policy: RateLimitPolicy = { name: "test", limit: 3, windowMs: 60_000 };

function behavesAsARateLimiter(make: () => RateLimiter) {
  test("allows `limit` hits per key, then refuses with a retry-after", async () => {
    const rl = make();
    for (let i = 1; i <= 3; i++) {
      const s = await rl.hit(policy, "a@example.com");
      assert.equal(s.allowed, true, `hit ${i}`);
      assert.equal(s.remaining, 3 - i);
    }
    const blocked = await rl.hit(policy, "a@example.com");
    assert.equal(blocked.allowed, false);
    assert.ok(blocked.retryAfterSeconds > 0 && blocked.retryAfterSeconds <= 60);
    assert.equal((await rl.peek(policy, "a@example.com")).allowed, false);
  });

  test("a weighted hit counts its cost (e.g. records in a batch)", async () => {
    const rl = make();
    const batch: RateLimitPolicy = { name: "records", limit: 100, windowMs: 60_000 };
    assert.equal((await rl.hit(batch, "project", 60)).remaining, 40);
    assert.equal((await rl.hit(batch, "project", 40)).allowed, true);
    const over = await rl.hit(batch, "project", 1);
    assert.equal(over.allowed, false);
    assert.equal(over.count, 101);
  });

  test("peek does not count, keys and policies are independent, and reset forgets", async () => {
    const rl = make();
    for (let i = 0; i < 5; i++) assert.equal((await rl.peek(policy, "k")).count, 0);
    await rl.hit(policy, "k");
    await rl.hit(policy, "k");
    await rl.hit(policy, "k");
    assert.equal((await rl.peek(policy, "k")).allowed, false, "peek blocks once the limit is reached");
    assert.equal((await rl.peek(policy, "other")).allowed, true);
    assert.equal((await rl.peek({ ...policy, name: "another-policy" }, "k")).allowed, true);
    await rl.reset(policy, "k");
    const s = await rl.peek(policy, "k");
    assert.equal(s.allowed, true);
    assert.equal(s.count, 0);
  });
}

describe("MemoryRateLimiter", () => {
  behavesAsARateLimiter(() => new MemoryRateLimiter());

  test("a window ends after windowMs (injected clock)", async () => {
    let now = 1_000_000;
    const rl = new MemoryRateLimiter(() => now);
    for (let i = 0; i < 4; i++) await rl.hit(policy, "k");
    assert.equal((await rl.peek(policy, "k")).allowed, false);
    now += policy.windowMs - 1;
    assert.equal((await rl.peek(policy, "k")).allowed, false);
    now += 1;
    assert.equal((await rl.peek(policy, "k")).count, 0);
    assert.equal((await rl.hit(policy, "k")).allowed, true);
  });

  test("memory stays bounded by maxKeys", async () => {
    const rl = new MemoryRateLimiter(Date.now, 10);
    for (let i = 0; i < 50; i++) await rl.hit(policy, `k${i}`);
    assert.equal((await rl.peek(policy, "k49")).count, 1);
    assert.ok((rl as unknown as { windows: Map<string, unknown> }).windows.size <= 10);
  });
});

describe("RedisRateLimiter (real Redis at 127.0.0.1:6379)", () => {
  const redis = new Redis(process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 1 });
  const prefix = `tapline:test:${randomBytes(6).toString("hex")}:`;
  after(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  behavesAsARateLimiter(() => new RedisRateLimiter(redis, `${prefix}${randomBytes(3).toString("hex")}:`));

  test("keys carry the prefix and expire with the window", async () => {
    const rl = new RedisRateLimiter(redis, prefix);
    await rl.hit(policy, "ttl");
    const ttl = await redis.pttl(`${prefix}test:ttl`);
    assert.ok(ttl > 0 && ttl <= policy.windowMs, `pttl ${ttl}`);
  });
});
