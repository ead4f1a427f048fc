/**
 * Overview: calls, error rate and latency percentiles over time, the busiest tools and clients,
 * active sessions, and the same totals for the previous period of equal length.
 */
import type pg from "pg";
import { bucketKey, bucketSql, bucketStarts, chooseBucketSeconds, seriesFromRollups, zeroFill } from "./buckets";
import { aggregateSql, GROUPING_SETS, rollupReader, rollupSource, usesRollups } from "./rollups";
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
  /** Percentiles were read from rollup sketches (within ±2 %), not computed exactly. */
  approximate: boolean;
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

const SERIES_SQL = `
SELECT ${bucketSql(4)} AS bucket, count(*)::float8 AS calls, ${ERRORS}::float8 AS errors, ${PERCENTILES} AS pct
FROM call_events WHERE ${IN_SCOPE} AND ${IS_CALL}
GROUP BY 1`;

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
  const q = usesRollups(range) ? await rollupQueries(pool, scope, range, prev) : rawQueries(pool, scope);
  const [seriesRows, totalRow, prevRow, activeNow, activePrev, top] = await Promise.all([
    seriesFromRollups(range, bucketSeconds) ? q.series(range, bucketSeconds) : rawQueries(pool, scope).series(range, bucketSeconds),
    q.total(range),
    q.total(prev),
    pool.query<{ n: number }>(ACTIVE_SESSIONS_SQL, [scope.projectId, range.from, range.to]),
    pool.query<{ n: number }>(ACTIVE_SESSIONS_SQL, [scope.projectId, prev.from, prev.to]),
    q.top(range),
  ]);
  const byBucket = new Map(seriesRows.map((r) => [bucketKey(r.bucket!), toSeriesPoint(r)]));
  const totals = toTotals(totalRow, num(activeNow.rows[0]?.n));
  const previous = toTotals(prevRow, num(activePrev.rows[0]?.n));
  return {
    range,
    previousRange: prev,
    bucketSeconds,
    totals,
    previous,
    deltas: toDeltas(totals, previous),
    series: zeroFill(starts, byBucket, (s) => ({ start: new Date(s * 1000), calls: 0, errors: 0, errorRate: 0, p50Ms: null, p95Ms: null, p99Ms: null })),
    topTools: topOf(
      top.filter((r) => Number(r.by_client) === 0 && r.tool !== null).map((r) => ({ name: r.tool!, calls: r.calls, errors: r.errors })),
      topN,
    ),
    topClients: topOf(
      top.filter((r) => Number(r.by_client) === 1).map((r) => ({ name: r.client, calls: r.calls, errors: r.errors })),
      topN,
    ),
    approximate: usesRollups(range),
  };
}

interface OverviewQueries {
  series(range: TimeRange, bucketSeconds: number): Promise<(AggRow & { bucket: Date | null })[]>;
  total(range: TimeRange): Promise<AggRow | undefined>;
  top(range: TimeRange): Promise<TopRow[]>;
}

/** Exact, from call_events: short ranges. */
function rawQueries(pool: pg.Pool, scope: ProjectScope): OverviewQueries {
  const base = (r: TimeRange) => [scope.projectId, r.from, r.to];
  return {
    series: async (r, bucketSeconds) => (await pool.query<AggRow & { bucket: Date | null }>(SERIES_SQL, [...base(r), bucketSeconds])).rows,
    total: async (r) => (await pool.query<AggRow>(TOTAL_SQL, base(r))).rows[0],
    top: async (r) => (await pool.query<TopRow>(TOP_SQL, base(r))).rows,
  };
}

const QUANTILES = [0.5, 0.95, 0.99] as const;
const ROLLUP_TOTAL = `calls::float8 AS calls, errors::float8 AS errors, pct`;

/** From call_rollups plus raw edges (read-plan.ts): long ranges, percentiles from sketches. */
async function rollupQueries(pool: pg.Pool, scope: ProjectScope, range: TimeRange, prev: TimeRange): Promise<OverviewQueries> {
  const reader = await rollupReader(pool, [scope.projectId], { from: prev.from, to: range.to });
  return {
    series: (r, bucketSeconds) =>
      reader.query({ range: r, days: false }, (p, plan, projects) => {
        const bucket = `date_bin(${p.add(bucketSeconds)}::int * interval '1 second', bucket, timestamptz '1970-01-01 00:00:00+00')`;
        const sql = aggregateSql(rollupSource(p, { set: GROUPING_SETS.all, plan, projects }), { keys: [{ sql: bucket, as: "bucket" }], quantiles: QUANTILES });
        return `SELECT bucket, ${ROLLUP_TOTAL} FROM (${sql}) a`;
      }),
    total: async (r) =>
      (
        await reader.query<AggRow>({ range: r, days: true }, (p, plan, projects) => {
          return `SELECT ${ROLLUP_TOTAL} FROM (${aggregateSql(rollupSource(p, { set: GROUPING_SETS.all, plan, projects }), { keys: [], quantiles: QUANTILES })}) a`;
        })
      )[0],
    top: async (r) => {
      const [tools, clients] = await Promise.all([
        reader.query<TopRow>({ range: r, days: true }, (p, plan, projects) => {
          const sql = aggregateSql(rollupSource(p, { set: GROUPING_SETS.tool, plan, projects }), { keys: [{ sql: "target", as: "target" }], where: "method = 'tools/call' AND target <> ''" });
          return `SELECT 0 AS by_client, target AS tool, '' AS client, calls::float8 AS calls, errors::float8 AS errors FROM (${sql}) a`;
        }),
        reader.query<TopRow>({ range: r, days: true }, (p, plan, projects) => {
          const sql = aggregateSql(rollupSource(p, { set: GROUPING_SETS.client, plan, projects }), { keys: [{ sql: "coalesce(nullif(client_name, ''), 'unknown')", as: "client" }] });
          return `SELECT 1 AS by_client, NULL AS tool, client, calls::float8 AS calls, errors::float8 AS errors FROM (${sql}) a`;
        }),
      ]);
      return [...tools, ...clients];
    },
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
