/**
 * POST /api/v1/ingest: authenticate the API key, read and validate the batch with the agent's own
 * zod schema, apply the per-project rate limit, store, answer with counts. Every failure is an
 * ApiError body with a status the agent acts on (401/403/413/415/422 are permanent; 429/5xx retry).
 */
import type pg from "pg";
import { IngestBatchSchema, type ApiError, type IngestBatch, type IngestResponse } from "tapline/wire";
import { compileFastCheck, type FastCheck } from "./fast-check";
import { BodyError, readJsonBody, type BodyLimits } from "./read-body";
import { storeBatch } from "./store-batch";
import type { PartitionManager } from "./partitions";
import { QueueFullError, type ConcurrencyLimit } from "./concurrency-limit";

export interface IngestKey {
  id: string;
  projectId: string;
  orgId: string;
  scopes: string[];
}

export type VerifyKey = (authorization: string | null) => Promise<{ ok: true; key: IngestKey } | { ok: false; status: number; code: string; message: string }>;

export interface IngestRateLimiter {
  /** Takes `cost` tokens from the bucket of `key`; refuses (without taking) when it has too few. */
  consume(key: string, cost: number): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

export interface IngestDeps {
  pool: pg.Pool;
  partitions: PartitionManager;
  verifyKey: VerifyKey;
  limiter: IngestRateLimiter;
  limits: BodyLimits;
  /** How many batches are read, checked and written to the database at once (`INGEST_DB_CONCURRENCY`); unlimited when absent. */
  storeLimit?: ConcurrencyLimit;
  /** Called once per project when its first events are stored (onboarding: waiting → live). */
  onFirstEvents(projectId: string, firstEventTs: Date): Promise<void>;
  log?: (message: string) => void;
}

const MAX_ISSUES = 20;

/**
 * True when zod would accept the body and return it unchanged (server/ingest/fast-check.ts): the
 * common case, checked in a fraction of zod's time. Anything else goes through zod, which also
 * words the errors. Should the wire schema grow a construct the compiler does not know, every
 * batch goes through zod (and fast-check.test.ts fails).
 */
const fastCheck: FastCheck = (() => {
  try {
    return compileFastCheck(IngestBatchSchema);
  } catch (e) {
    console.error(`ingest: validating with zod only: ${(e as Error).message}`);
    return () => false;
  }
})();
const isIngestBatchAsIs = (body: unknown): body is IngestBatch => fastCheck(body);

/** The database writes are saturated: the agent keeps the batch in its outbox and retries. */
function overloaded(): Response {
  return apiError(503, "overloaded", "the ingest service is saturated; nothing was stored, retry after 1 s", {}, { "Retry-After": "1" });
}

export function apiError(status: number, code: string, message: string, extra: Partial<ApiError["error"]> = {}, headers: Record<string, string> = {}): Response {
  const body: ApiError = { error: { code, message, ...extra } };
  return Response.json(body, { status, headers });
}

export async function handleIngest(request: Request, deps: IngestDeps): Promise<Response> {
  const auth = await deps.verifyKey(request.headers.get("authorization"));
  if (!auth.ok) return apiError(auth.status, auth.code, auth.message, {}, auth.status === 401 ? { "WWW-Authenticate": 'Bearer realm="tapline"' } : {});
  if (!auth.key.scopes.includes("ingest")) return apiError(403, "forbidden", "this API key does not have the ingest scope");

  // The whole batch's work (read, parse, validate, store) runs in a database slot, not only the
  // insert: a batch waiting its turn then holds its raw bytes, not a parsed object graph that would
  // outlive young-generation GCs and be copied into the old generation (at 16 agents that was a
  // fifth of the app's CPU).
  if (!deps.storeLimit) return ingestBatch(request, deps, auth.key);
  try {
    return await deps.storeLimit.run(() => ingestBatch(request, deps, auth.key));
  } catch (e) {
    if (e instanceof QueueFullError) return overloaded();
    throw e;
  }
}

async function ingestBatch(request: Request, deps: IngestDeps, key: IngestKey): Promise<Response> {
  let body: unknown;
  try {
    body = await readJsonBody(request, deps.limits, "records");
  } catch (e) {
    if (e instanceof BodyError) return apiError(e.status, e.code, e.message);
    throw e;
  }

  let batch: IngestBatch;
  if (isIngestBatchAsIs(body)) {
    batch = body;
  } else {
    const parsed = IngestBatchSchema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
      const more = parsed.error.issues.length > MAX_ISSUES ? ` (first ${MAX_ISSUES} of ${parsed.error.issues.length} shown)` : "";
      return apiError(400, "invalid_batch", `the batch does not match the ingest schema; nothing was stored${more}`, { issues });
    }
    batch = parsed.data;
  }

  const cost = Math.max(1, batch.records.length);
  const rate = await deps.limiter.consume(`ingest:${key.projectId}`, cost);
  if (!rate.allowed) {
    const retry = String(Math.max(1, Math.ceil(rate.retryAfterSeconds)));
    return apiError(429, "rate_limited", `this project is over its ingest rate limit; retry after ${retry} s`, {}, { "Retry-After": retry });
  }

  const stored = await storeBatch(deps.pool, deps.partitions, key.projectId, batch);
  if (stored.firstEventTs) await deps.onFirstEvents(key.projectId, stored.firstEventTs);
  const out: IngestResponse = { accepted: stored.accepted, duplicates: stored.duplicates, snapshots: stored.snapshots };
  return Response.json(out);
}
