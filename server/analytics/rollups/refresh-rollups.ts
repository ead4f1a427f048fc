/**
 * The rollup job: rewrites the rollups (call_rollups, error_rollups, slow_call_rollups) of every closed hour that ingestion marked dirty, and of
 * the UTC days those hours belong to.
 *
 * A claim moves a few hours from rollup_dirty to rollup_claims in one short statement; readers treat
 * an hour in either table as dirty (read from events). The rewrite is then one transaction that
 * recomputes the hours from call_events and the days from their hours, and deletes the claims, so a
 * reader sees an hour either dirty or rolled up, never half done. Ingestion marking a claimed hour
 * again inserts a fresh rollup_dirty row at once (the claim holds no lock it waits on), so an event
 * stored mid-rewrite is picked up by the next run. Claims use SKIP LOCKED and skip hours someone is
 * rewriting, and rewrites of one hour or day take an advisory lock, so several app instances can run
 * the job side by side. Claims left by a crashed run go back to rollup_dirty after 30 minutes.
 *
 * A claim whose rewrite fails goes back to rollup_dirty and its hours are tried again one by one; an
 * hour that fails on its own stays dirty (still correct) with a retry time that backs off from a
 * minute to six hours, and the hours after it go on being rolled up.
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
WITH picked AS (
  DELETE FROM rollup_dirty WHERE (project_id, hour) IN (
    SELECT d.project_id, d.hour FROM rollup_dirty d
    WHERE d.hour < date_bin(interval '1 hour', $1::timestamptz, timestamptz '1970-01-01 00:00:00+00') AND (d.retry_at IS NULL OR d.retry_at <= $1)
      AND NOT EXISTS (SELECT 1 FROM rollup_claims c WHERE c.project_id = d.project_id AND c.hour = d.hour)
    ORDER BY d.hour LIMIT $2 FOR UPDATE SKIP LOCKED
  ) RETURNING project_id, hour, failures
)
INSERT INTO rollup_claims (project_id, hour, failures) SELECT project_id, hour, failures FROM picked
RETURNING project_id, hour`;

/** Claims back to rollup_dirty: as they were ($3 = 0), or as one more failure with a back-off from $4 ($3 = 1). */
const RELEASE_SQL = `
WITH released AS (
  DELETE FROM rollup_claims WHERE (project_id, hour) IN (SELECT * FROM unnest($1::text[], $2::timestamptz[]))
  RETURNING project_id, hour, failures + $3::int AS failures
)
INSERT INTO rollup_dirty (project_id, hour, failures, retry_at)
SELECT project_id, hour, failures,
  CASE WHEN $3::int = 0 THEN NULL ELSE $4::timestamptz + least(interval '1 minute' * power(2, least(failures - 1, 20)), interval '6 hours') END
FROM released
ON CONFLICT (project_id, hour) DO UPDATE SET failures = excluded.failures, retry_at = excluded.retry_at
RETURNING project_id, hour, failures, retry_at`;

/** Claims of a run that died mid-rewrite (no rewrite takes this long) become dirty hours again. */
const RELEASE_STALE_SQL = `
WITH stale AS (DELETE FROM rollup_claims WHERE claimed_at < now() - interval '30 minutes' RETURNING project_id, hour, failures)
INSERT INTO rollup_dirty (project_id, hour, failures) SELECT project_id, hour, failures FROM stale
ON CONFLICT (project_id, hour) DO UPDATE SET failures = greatest(rollup_dirty.failures, excluded.failures)`;

const UNCLAIM_SQL = `DELETE FROM rollup_claims WHERE (project_id, hour) IN (SELECT * FROM unnest($1::text[], $2::timestamptz[]))`;

/** One rewrite of a (project, grain, bucket) at a time, across app instances. */
const LOCK_SQL = `SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2 || '/' || $3, 0))`;

type Claimed = { project_id: string; hour: Date };

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

/** The rewrite of claimed hours failed (rolled back: the claims are still in rollup_claims). */
class ClaimFailed extends Error {
  constructor(
    readonly claimed: Claimed[],
    readonly error: Error,
  ) {
    super(error.message);
  }
}

export async function refreshRollups(pool: pg.Pool, options: RefreshOptions = {}): Promise<RefreshResult> {
  const now = options.now ?? new Date();
  const claim = options.claim ?? 8;
  const total: RefreshResult = { hours: 0, days: 0, failed: 0 };
  await pool.query(RELEASE_STALE_SQL);
  /** Claims still to make one hour at a time, after a claim of several failed. */
  let singly = 0;
  for (;;) {
    if (options.maxHours !== undefined && total.hours + total.failed >= options.maxHours) break;
    let done: { hours: number; days: number };
    try {
      done = await refreshClaim(pool, now, singly > 0 ? 1 : claim);
    } catch (e) {
      if (!(e instanceof ClaimFailed)) throw e;
      if (e.claimed.length > 1) {
        await release(pool, e.claimed, false, now);
        singly = e.claimed.length;
        continue;
      }
      singly = Math.max(0, singly - 1);
      const [row] = await release(pool, e.claimed, true, now);
      total.failed++;
      if (row !== undefined) options.onFailure?.({ projectId: row.project_id, hour: row.hour, failures: row.failures, retryAt: row.retry_at, error: e.error });
      continue;
    }
    if (!done.hours) break;
    singly = Math.max(0, singly - 1);
    total.hours += done.hours;
    total.days += done.days;
  }
  return total;
}

function keyArrays(claimed: Claimed[]): [string[], Date[]] {
  return [claimed.map((c) => c.project_id), claimed.map((c) => c.hour)];
}

async function release(pool: pg.Pool, claimed: Claimed[], failed: boolean, now: Date) {
  const { rows } = await pool.query<Claimed & { failures: number; retry_at: Date }>(RELEASE_SQL, [...keyArrays(claimed), failed ? 1 : 0, now]);
  return rows;
}

async function refreshClaim(pool: pg.Pool, now: Date, claim: number): Promise<{ hours: number; days: number }> {
  const { rows: claimed } = await pool.query<Claimed>(CLAIM_SQL, [now, claim]);
  if (claimed.length === 0) return { hours: 0, days: 0 };
  // One order for everyone's locks (hours, then days), so two instances cannot deadlock.
  claimed.sort((a, b) => a.hour.getTime() - b.hour.getTime() || (a.project_id < b.project_id ? -1 : 1));
  const client = await pool.connect().catch((e: Error) => {
    throw new ClaimFailed(claimed, e);
  });
  try {
    await client.query("BEGIN");
    const days = new Map<string, { projectId: string; day: Date }>();
    for (const { project_id: projectId, hour } of claimed) {
      await rewrite(client, HOUR, projectId, hour);
      const day = new Date(Math.floor(hour.getTime() / (DAY * 1000)) * DAY * 1000);
      days.set(`${day.toISOString()} ${projectId}`, { projectId, day });
    }
    for (const [, { projectId, day }] of [...days].sort(([a], [b]) => (a < b ? -1 : 1))) await rewrite(client, DAY, projectId, day);
    await client.query(UNCLAIM_SQL, keyArrays(claimed));
    await client.query("COMMIT");
    return { hours: claimed.length, days: days.size };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw new ClaimFailed(claimed, e as Error);
  } finally {
    client.release();
  }
}

async function rewrite(client: pg.PoolClient, grain: number, projectId: string, bucket: Date): Promise<void> {
  await client.query(LOCK_SQL, [projectId, grain, bucket.toISOString()]);
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
