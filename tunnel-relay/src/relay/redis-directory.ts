import { Redis } from "ioredis";
import type { TunnelDirectory } from "./tunnel-directory";
import type { RelayLogger } from "./relay-logger";

export interface RedisDirectoryOptions {
  redisUrl: string;
  /** How other instances reach this one for forwarded requests, e.g. http://10.0.0.5:3100. */
  instanceUrl: string;
  /** Namespace for keys, so several relays (or test runs) can share one Redis. */
  keyPrefix?: string;
  /** A claim expires this long after its holder stops refreshing it (holder crashed). */
  ttlMs?: number;
  log?: RelayLogger;
}

// Refresh our claim only while it is still ours; a newer holder's claim is left alone.
const REFRESH_IF_OURS = `
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

const DELETE_IF_OURS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Tunnel → instance records in Redis. Redis never carries request bytes: it only answers
 * "which instance holds <name>", and the asking instance streams the request there over HTTP.
 * A new agent connection claims its name unconditionally (the newest connection wins, as on a
 * single relay); the previous holder notices on its next refresh and drops its stale agent.
 */
export class RedisDirectory implements TunnelDirectory {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly claims = new Map<string, () => void>();
  private readonly refreshTimer: NodeJS.Timeout;

  constructor(private readonly options: RedisDirectoryOptions) {
    this.redis = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    this.redis.on("error", (error: Error) => options.log?.("warn", "redis error", { error: error.message }));
    this.prefix = options.keyPrefix ?? "tapline:tunnel:";
    this.ttlMs = options.ttlMs ?? 30_000;
    this.refreshTimer = setInterval(() => void this.refreshAll(), Math.max(100, Math.floor(this.ttlMs / 3)));
    this.refreshTimer.unref();
  }

  private key(name: string): string {
    return `${this.prefix}name:${name}`;
  }

  async claim(name: string, onLost: () => void): Promise<void> {
    this.claims.set(name, onLost);
    await this.redis.set(this.key(name), this.options.instanceUrl, "PX", this.ttlMs);
  }

  async release(name: string): Promise<void> {
    this.claims.delete(name);
    await this.redis.eval(DELETE_IF_OURS, 1, this.key(name), this.options.instanceUrl);
  }

  async locate(name: string): Promise<string | undefined> {
    const holder = await this.redis.get(this.key(name));
    return holder && holder !== this.options.instanceUrl ? holder : undefined;
  }

  async ready(): Promise<boolean> {
    try {
      return (await this.redis.ping()) === "PONG";
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.refreshTimer);
    await Promise.allSettled([...this.claims.keys()].map((name) => this.release(name)));
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async refreshAll(): Promise<void> {
    for (const [name, onLost] of [...this.claims]) {
      try {
        const stillOurs = await this.redis.eval(REFRESH_IF_OURS, 1, this.key(name), this.options.instanceUrl, String(this.ttlMs));
        if (stillOurs === 0 && this.claims.get(name) === onLost) {
          this.claims.delete(name);
          onLost();
        }
      } catch (error) {
        this.options.log?.("warn", "could not refresh tunnel claim", { name, error: (error as Error).message });
      }
    }
  }
}
