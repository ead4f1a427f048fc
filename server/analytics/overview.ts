/**
 * Overview: calls, error rate and latency percentiles over time, the busiest tools and clients,
 * active sessions, and the same totals for the previous period of equal length.
 */
import type pg from "pg";
import { bucketKey, bucketSql, bucketStarts, chooseBucketSeconds, zeroFill } from "./buckets";
import { assertRange, previousPeriod, type ProjectScope, type TimeRange } from "./scope";
import { ERRORS, IN_SCOPE, IS_CALL, PERCENTILES, num, rate, relativeDelta, toPercentiles, type Percentiles } from "./sql";

export interface PeriodTotals extends Percentiles {
  calls: number;
  errors: number;
  /** errors / calls, 0..1. */
  errorRate: number;
  /** Sessions with at least one call in the period (from call_sessions: first_ts < to and last_ts ≥ from). */
  activeSessions: number;
}

export interface SeriesPoint extends Percentiles {
  /** Bucket start. */
  start: Date;
  calls: number;
  errors: number;
  errorRate: number;
}

export interface Delta {
  current: number | null;
  previous: number | null;
  /** current - previous (for errorRate: the change in rate, 0..1 points). */
  absolute: number | null;
  /** (current - previous) / previous; null when previous is 0 or missing. */
  relative: number | null;
}

export type OverviewMetric = "calls" | "errors" | "errorRate" | "p50Ms" | "p95Ms" | "p99Ms" | "activeSessions";

export interface RankedName {
  name: string;
  calls: number;
  errors: number;
  errorRate: number;
}

export interface Overview {
  range: TimeRange;
  previousRange: TimeRange;
  bucketSeconds: number;
  totals: PeriodTotals;
  previous: PeriodTotals;
  deltas: Record<OverviewMetric, Delta>;
  series: SeriesPoint[];
  topTools: RankedName[];
  /** By client_name; calls whose client never said its name are counted as "unknown". */
  topClients: RankedName[];
}

export interface OverviewOptions {
  /** Bucket width in seconds; default chosen from the range (see buckets.ts). */
  bucketSeconds?: number;
  /** How many tools and clients to rank (default 5). */
  top?: number;
}

interface AggRow {
  calls: number;
  errors: number;
  pct: (number | null)[] | null;
}

const SERIES_AND_TOTAL_SQL = `
SELECT ${bucketSql(4)} AS bucket, GROUPING(${bucketSql(4)}) AS is_total,
       count(*)::float8 AS calls, ${ERRORS}::float8 AS errors, ${PERCENTILES} AS pct
FROM call_events WHERE ${IN_SCOPE} AND ${IS_CALL}
GROUP BY GROUPING SETS ((${bucketSql(4)}), ())`;

const TOTAL_SQL = `
SELECT count(*)::float8 AS calls, ${ERRORS}::float8 AS errors, ${PERCENTILES} AS pct
FROM call_events WHERE ${IN_SCOPE} AND ${IS_CALL}`;

const ACTIVE_SESSIONS_SQL = `
SELECT count(*)::float8 AS n FROM call_sessions WHERE project_id = $1 AND last_ts >= $2 AND first_ts < $3`;

// Top tools and top clients from one scan: two hashed grouping sets, ranked in TypeScript.
const TOP_SQL = `
SELECT GROUPING(tool) AS by_client, tool, client, count(*)::float8 AS calls, ${ERRORS}::float8 AS errors
FROM (
  SELECT CASE WHEN method = 'tools/call' THEN target END AS tool, coalesce(client_name, 'unknown') AS client, status
  FROM call_events WHERE ${IN_SCOPE} AND ${IS_CALL}
) calls
GROUP BY GROUPING SETS ((tool), (client))`;

interface TopRow {
  by_client: number;
  tool: string | null;
  client: string;
  calls: number;
  errors: number;
}

function topOf(rows: { name: string; calls: number; errors: number }[], n: number): RankedName[] {
  return rows
    .map(toRanked)
    .sort((a, b) => b.calls - a.calls || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, n);
}

export async function getOverview(pool: pg.Pool, scope: ProjectScope, range: TimeRange, options: OverviewOptions = {}): Promise<Overview> {
  assertRange(range);
  const bucketSeconds = options.bucketSeconds ?? chooseBucketSeconds(range);
  const starts = bucketStarts(range, bucketSeconds);
  const prev = previousPeriod(range);
  const topN = options.top ?? 5;
  const cur = [scope.projectId, range.from, range.to];
  const [seriesRes, prevRes, activeNow, activePrev, top] = await Promise.all([
    pool.query<AggRow & { bucket: Date | null; is_total: number }>(SERIES_AND_TOTAL_SQL, [...cur, bucketSeconds]),
    pool.query<AggRow>(TOTAL_SQL, [scope.projectId, prev.from, prev.to]),
    pool.query<{ n: number }>(ACTIVE_SESSIONS_SQL, cur),
    pool.query<{ n: number }>(ACTIVE_SESSIONS_SQL, [scope.projectId, prev.from, prev.to]),
    pool.query<TopRow>(TOP_SQL, cur),
  ]);
  const totalRow = seriesRes.rows.find((r) => Number(r.is_total) === 1);
  const byBucket = new Map(seriesRes.rows.filter((r) => Number(r.is_total) === 0).map((r) => [bucketKey(r.bucket!), toSeriesPoint(r)]));
  const totals = toTotals(totalRow, num(activeNow.rows[0]?.n));
  const previous = toTotals(prevRes.rows[0], num(activePrev.rows[0]?.n));
  return {
    range,
    previousRange: prev,
    bucketSeconds,
    totals,
    previous,
    deltas: toDeltas(totals, previous),
    series: zeroFill(starts, byBucket, (s) => ({ start: new Date(s * 1000), calls: 0, errors: 0, errorRate: 0, p50Ms: null, p95Ms: null, p99Ms: null })),
    topTools: topOf(
      top.rows.filter((r) => Number(r.by_client) === 0 && r.tool !== null).map((r) => ({ name: r.tool!, calls: r.calls, errors: r.errors })),
      topN,
    ),
    topClients: topOf(
      top.rows.filter((r) => Number(r.by_client) === 1).map((r) => ({ name: r.client, calls: r.calls, errors: r.errors })),
      topN,
    ),
  };
}

function toSeriesPoint(r: AggRow & { bucket: Date | null }): SeriesPoint {
  const calls = num(r.calls);
  const errors = num(r.errors);
  return { start: new Date(bucketKey(r.bucket!) * 1000), calls, errors, errorRate: rate(errors, calls), ...toPercentiles(r.pct) };
}

function toTotals(r: AggRow | undefined, activeSessions: number): PeriodTotals {
  const calls = num(r?.calls);
  const errors = num(r?.errors);
  return { calls, errors, errorRate: rate(errors, calls), ...toPercentiles(r?.pct), activeSessions };
}

function toRanked(r: { name: string; calls: number; errors: number }): RankedName {
  const calls = num(r.calls);
  const errors = num(r.errors);
  return { name: r.name, calls, errors, errorRate: rate(errors, calls) };
}

const METRICS: OverviewMetric[] = ["calls", "errors", "errorRate", "p50Ms", "p95Ms", "p99Ms", "activeSessions"];

export function toDeltas(current: PeriodTotals, previous: PeriodTotals): Record<OverviewMetric, Delta> {
  const out = {} as Record<OverviewMetric, Delta>;
  for (const m of METRICS) {
    const c = current[m];
    // A period without calls has no rate or latency to compare.
    const p = previous.calls === 0 && m !== "calls" && m !== "errors" && m !== "activeSessions" ? null : previous[m];
    out[m] = { current: c, previous: p, absolute: c === null || p === null ? null : c - p, relative: relativeDelta(c, p) };
  }
  return out;
}
