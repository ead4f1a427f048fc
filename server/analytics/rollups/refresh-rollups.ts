/**
 * The rollup job: rewrites the rollups (call_rollups, error_rollups, slow_call_rollups) of every closed hour that ingestion marked dirty, and of
 * the UTC days those hours belong to. Each claim (a few hours) is one transaction that deletes the
 * marks, recomputes the hours from call_events and the days from their hours, and commits: a
 * reader sees an hour either still marked (and reads its events) or rolled up, never half done.
 * Ingestion marking an hour again while the job holds it waits for the commit and marks it anew,
 * so an event stored mid-refresh is picked up by the next run. Claims use SKIP LOCKED, so several
 * app instances can run the job side by side.
 *
 * A claim that fails is rolled back and its hours are tried again one by one; an hour that fails on
 * its own is left dirty (read raw, so still correct) with a retry time that backs off from a minute to
 * six hours, and the hours after it go on being rolled up.
 */
import type pg from "pg";
import { ALL_SETS, CLIENT, TOOL, VERSION } from "./grouping-sets";
import { bucketOfSql, ELEMENT_BUCKET_SQL, ELEMENT_COUNT_SQL, encodeSql } from "./latency-sketch";
import { EVENT_MEASURES, MEASURE_COLUMNS, MERGED_MEASURES } from "./measures";
import { IS_CALL } from "../sql";
import { REFRESH_ERROR_DAY_SQL, REFRESH_ERROR_HOUR_SQL } from "./error-rollups";
import { REFRESH_SLOW_DAY_SQL, REFRESH_SLOW_HOUR_SQL } from "./slow-call-rollups";

export const HOUR = 3600;
const ROLLUP_TABLES = ["call_rollups", "error_rollups", "slow_call_rollups"] as const;
export const DAY = 86_400;
const KEYS = ["method", "target", "client_name", "client_version"] as const;
const COLUMNS = ["project_id", "grp", "grain", "bucket", ...KEYS, ...MEASURE_COLUMNS, "latency"].join(", ");
const NO_LATENCY = ALL_SETS.filter((s) => !s.latency).map((s) => s.grp);

const grpSql = `(CASE WHEN GROUPING(method) = 0 THEN ${TOOL} ELSE 0 END
  | CASE WHEN GROUPING(client_name) = 0 THEN ${CLIENT} ELSE 0 END
  | CASE WHEN GROUPING(client_version) = 0 THEN ${VERSION} ELSE 0 END)`;
const groupingSets = ALL_SETS.map((s) => `(${[...s.columns, "b"].join(", ")})`).join(", ");
const setKeys = KEYS.map((k) => `coalesce(${k}, '') AS ${k}`).join(", ");

// Events → (key, latency bucket) → every grouping set → one row per set and key with its sketch.
const REFRESH_HOUR_SQL = `
WITH fine AS (
  SELECT method, target, client_name, client_version, b, ${MERGED_MEASURES}
  FROM (
    SELECT method, coalesce(target, '') AS target, coalesce(client_name, '') AS client_name,
      coalesce(client_version, '') AS client_version, ${bucketOfSql("duration_us")} AS b, ${EVENT_MEASURES}
    FROM call_events WHERE project_id = $1 AND ts >= $2 AND ts < $2 + interval '1 hour' AND ${IS_CALL}
  ) e
  GROUP BY 1, 2, 3, 4, 5
), sets AS (
  SELECT ${grpSql} AS grp, ${setKeys}, b, ${MERGED_MEASURES}
  FROM fine GROUP BY GROUPING SETS (${groupingSets})
)
INSERT INTO call_rollups (${COLUMNS})
SELECT $1, grp, ${HOUR}, $2, ${KEYS.join(", ")}, ${MERGED_MEASURES},
  CASE WHEN grp = ANY($3::int2[]) THEN NULL ELSE array_agg(${encodeSql("b", "calls")} ORDER BY b) END
FROM sets GROUP BY grp, ${KEYS.join(", ")}`;

// A day from its hours: measures merge, sketches merge bucket by bucket.
const REFRESH_DAY_SQL = `
WITH hours AS (
  SELECT * FROM call_rollups WHERE project_id = $1 AND grain = ${HOUR} AND bucket >= $2 AND bucket < $2 + interval '1 day'
), merged AS (
  SELECT grp, ${KEYS.join(", ")}, ${MERGED_MEASURES} FROM hours GROUP BY grp, ${KEYS.join(", ")}
), buckets AS (
  SELECT grp, ${KEYS.join(", ")}, ${ELEMENT_BUCKET_SQL("e")} AS b, sum(${ELEMENT_COUNT_SQL("e")}) AS n
  FROM hours, unnest(latency) e GROUP BY grp, ${KEYS.join(", ")}, b
), sketches AS (
  SELECT grp, ${KEYS.join(", ")}, array_agg(${encodeSql("b", "n")} ORDER BY b) AS latency FROM buckets GROUP BY grp, ${KEYS.join(", ")}
)
INSERT INTO call_rollups (${COLUMNS})
SELECT $1, grp, ${DAY}, $2, ${KEYS.join(", ")}, ${MEASURE_COLUMNS.join(", ")}, latency
FROM merged LEFT JOIN sketches USING (grp, ${KEYS.join(", ")})`;

const CLAIM_SQL = `
DELETE FROM rollup_dirty WHERE (project_id, hour) IN (
  SELECT project_id, hour FROM rollup_dirty
  WHERE hour < date_bin(interval '1 hour', $1::timestamptz, timestamptz '1970-01-01 00:00:00+00') AND (retry_at IS NULL OR retry_at <= $1)
  ORDER BY hour LIMIT $2 FOR UPDATE SKIP LOCKED
) RETURNING project_id, hour`;

const BACK_OFF_SQL = `
UPDATE rollup_dirty SET failures = failures + 1,
  retry_at = $3::timestamptz + least(interval '1 minute' * power(2, least(failures, 20)), interval '6 hours')
WHERE project_id = $1 AND hour = $2 RETURNING failures, retry_at`;

export interface RefreshResult {
  hours: number;
  days: number;
  /** Hours whose rewrite failed on its own this run (left dirty, retried later). */
  failed: number;
}

export interface RollupFailure {
  projectId: string;
  hour: Date;
  /** Failures of this hour so far, this one included. */
  failures: number;
  retryAt: Date;
  error: Error;
}

export interface RefreshOptions {
  /** Hours are refreshed once they have ended by this clock (default: now). */
  now?: Date;
  /** Hours per transaction (default 8). */
  claim?: number;
  /** Stop after this many hours (default: until no closed hour is dirty). */
  maxHours?: number;
  /** Told of each hour that failed on its own (the job logs it). */
  onFailure?: (failure: RollupFailure) => void;
}

/** A claim's transaction failed after claiming these hours (they are dirty again: the claim rolled back). */
class ClaimFailed extends Error {
  constructor(
    readonly claimed: { project_id: string; hour: Date }[],
    readonly error: Error,
  ) {
    super(error.message);
  }
}

export async function refreshRollups(pool: pg.Pool, options: RefreshOptions = {}): Promise<RefreshResult> {
  const now = options.now ?? new Date();
  const claim = options.claim ?? 8;
  const total: RefreshResult = { hours: 0, days: 0, failed: 0 };
  /** Claims still to make one hour at a time, after a claim of several failed. */
  let singly = 0;
  for (;;) {
    if (options.maxHours !== undefined && total.hours + total.failed >= options.maxHours) break;
    let done: { hours: number; days: number };
    try {
      done = await refreshClaim(pool, now, singly > 0 ? 1 : claim);
    } catch (e) {
      // Failing before any hour was claimed (the database is unreachable) is the run's failure.
      if (!(e instanceof ClaimFailed) || e.claimed.length === 0) throw e instanceof ClaimFailed ? e.error : e;
      if (e.claimed.length > 1) {
        singly = e.claimed.length;
        continue;
      }
      singly = Math.max(0, singly - 1);
      const { project_id: projectId, hour } = e.claimed[0]!;
      const { rows } = await pool.query<{ failures: number; retry_at: Date }>(BACK_OFF_SQL, [projectId, hour, now]);
      total.failed++;
      if (rows[0] !== undefined) options.onFailure?.({ projectId, hour, failures: rows[0].failures, retryAt: rows[0].retry_at, error: e.error });
      continue;
    }
    if (!done.hours) break;
    singly = Math.max(0, singly - 1);
    total.hours += done.hours;
    total.days += done.days;
  }
  return total;
}

async function refreshClaim(pool: pg.Pool, now: Date, claim: number): Promise<{ hours: number; days: number }> {
  const client = await pool.connect();
  let rows: { project_id: string; hour: Date }[] = [];
  try {
    await client.query("BEGIN");
    ({ rows } = await client.query<{ project_id: string; hour: Date }>(CLAIM_SQL, [now, claim]));
    const days = new Map<string, { projectId: string; day: Date }>();
    for (const { project_id: projectId, hour } of rows) {
      await rewrite(client, HOUR, projectId, hour);
      const day = new Date(Math.floor(hour.getTime() / (DAY * 1000)) * DAY * 1000);
      days.set(`${projectId} ${day.getTime()}`, { projectId, day });
    }
    for (const { projectId, day } of days.values()) await rewrite(client, DAY, projectId, day);
    await client.query("COMMIT");
    return { hours: rows.length, days: days.size };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw new ClaimFailed(rows, e as Error);
  } finally {
    client.release();
  }
}

async function rewrite(client: pg.PoolClient, grain: number, projectId: string, bucket: Date): Promise<void> {
  for (const table of ROLLUP_TABLES) {
    await client.query(`DELETE FROM ${table} WHERE project_id = $1 AND grain = $2 AND bucket = $3`, [projectId, grain, bucket]);
  }
  if (grain === HOUR) {
    await client.query(REFRESH_HOUR_SQL, [projectId, bucket, NO_LATENCY]);
    await client.query(REFRESH_ERROR_HOUR_SQL, [projectId, bucket]);
    await client.query(REFRESH_SLOW_HOUR_SQL, [projectId, bucket]);
  } else {
    await client.query(REFRESH_DAY_SQL, [projectId, bucket]);
    await client.query(REFRESH_ERROR_DAY_SQL, [projectId, bucket]);
    await client.query(REFRESH_SLOW_DAY_SQL, [projectId, bucket]);
  }
}

/** Deletes hourly rollups older than `hourlyDays` and daily ones older than `dailyDays`. */
export async function expireRollups(pool: pg.Pool, hourlyDays: number, dailyDays: number, now = new Date()): Promise<number> {
  let deleted = 0;
  for (const table of ROLLUP_TABLES) {
    const res = await pool.query(`DELETE FROM ${table} WHERE (grain = ${HOUR} AND bucket < $1) OR (grain = ${DAY} AND bucket < $2)`, [
      new Date(now.getTime() - hourlyDays * DAY * 1000),
      new Date(now.getTime() - dailyDays * DAY * 1000),
    ]);
    deleted += res.rowCount ?? 0;
  }
  return deleted;
}
