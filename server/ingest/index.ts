/**
 * The process-wide ingestion service behind POST /api/v1/ingest.
 */
import { pool } from "../db/pool";
import { verifyApiKey } from "../keys";
import { rateLimiter, type RateLimiter } from "../ratelimit";
import { apiError, handleIngest, type IngestDeps, type IngestRateLimiter } from "./handle-ingest";
import { PartitionManager } from "./partitions";
import { markProjectsLive } from "./mark-live";
import { ConcurrencyLimit } from "./concurrency-limit";

export { handleIngest, type IngestDeps } from "./handle-ingest";

/** Defaults documented in docs/ingestion.md and docs/configuration.md. */
export const INGEST_LIMITS = {
  maxWireBytes: 8 * 1024 * 1024,
  maxBytes: 32 * 1024 * 1024,
};

export function ingestRateLimiter(limiter: RateLimiter, recordsPerMinute: number): IngestRateLimiter {
  const policy = { name: "ingest-records", limit: recordsPerMinute, windowMs: 60_000 };
  return {
    async consume(key, cost) {
      const state = await limiter.hit(policy, key, cost);
      return { allowed: state.allowed, retryAfterSeconds: state.retryAfterSeconds };
    },
  };
}

const g = globalThis as { __taplineIngest?: IngestDeps };

export function ingestDeps(): IngestDeps {
  if (!g.__taplineIngest) {
    const p = pool();
    const retentionDays = Number(process.env.EVENT_RETENTION_DAYS) || 90;
    const partitions = new PartitionManager(p, 2, retentionDays);
    g.__taplineIngest = {
      pool: p,
      partitions,
      verifyKey: verifyApiKey,
      limiter: ingestRateLimiter(rateLimiter(), Number(process.env.INGEST_RECORDS_PER_MINUTE) || 3_000_000),
      limits: INGEST_LIMITS,
      storeLimit: new ConcurrencyLimit(
        Math.max(1, Math.floor(Number(process.env.INGEST_DB_CONCURRENCY) || 4)),
        Math.max(0, Math.floor(Number(process.env.INGEST_DB_QUEUE) || 64)),
      ),
      onFirstEvents: markProjectsLive(p),
    };
  }
  return g.__taplineIngest;
}

/**
 * POST /api/v1/ingest with this process's service, for both ways in (the Next.js route and the
 * node:http fast path in server/http): an unexpected failure becomes a 503 the agent retries.
 */
export async function respondToIngest(request: Request): Promise<Response> {
  try {
    return await handleIngest(request, ingestDeps());
  } catch (e) {
    // The batch was not (fully) acknowledged; the agent retries and de-duplication makes that safe.
    console.error(`ingest failed: ${(e as Error).message}`);
    return apiError(503, "ingest_unavailable", "the events could not be stored right now; retry later", {}, { "Retry-After": "5" });
  }
}
