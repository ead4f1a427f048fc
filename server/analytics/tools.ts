/**
 * Tools view: one row per tool (`tools/call` requests grouped by target) with volume, error rate,
 * latency percentiles, response sizes, a sparkline and a health badge; the tools the server
 * declares (latest `tools` snapshot) that were never called in the range; and one tool's detail.
 */
import type pg from "pg";
import type { CallStatus } from "tapline/wire";
import { bucketKey, bucketSql, bucketStarts, chooseBucketSeconds } from "./buckets";
import { listErrorGroups, type ErrorGroup } from "./errors";
import { resolveThresholds, toolHealth, type Health, type HealthThresholds, type HealthThresholdsInput } from "./health";
import { currentToolNames, toolSchemaHistory } from "./schema";
import type { ItemVersion } from "./schema-diff";
import { assertRange, type ProjectScope, type TimeRange } from "./scope";
import { listSlowCalls } from "./slow-calls";
import type { CallSummary } from "./calls";
import { ERRORS, IN_SCOPE, IS_TOOL_CALL, PERCENTILES, num, rate, toPercentiles, usToMs, type Percentiles } from "./sql";

export interface ToolStats extends Percentiles {
  tool: string;
  calls: number;
  errors: number;
  /** Non-ok calls / calls, 0..1. */
  errorRate: number;
  maxMs: number | null;
  /** Response size (bytes_out): mean and max. */
  meanResponseBytes: number | null;
  maxResponseBytes: number | null;
  lastCalled: Date | null;
  health: Health;
}

export interface ToolRow extends ToolStats {
  /** Calls per bucket, zero-filled (see ToolsResult.bucketStarts). */
  sparkline: number[];
}

export interface ToolsResult {
  bucketSeconds: number;
  bucketStarts: Date[];
  thresholds: HealthThresholds;
  /** Busiest first. */
  tools: ToolRow[];
  /** Declared in the latest tools snapshot of a server, but not called in the range; sorted. */
  neverCalled: string[];
}

export interface ToolsOptions {
  thresholds?: HealthThresholdsInput;
  bucketSeconds?: number;
}

interface StatsRow {
  tool: string;
  calls: number;
  errors: number;
  pct: (number | null)[] | null;
  max_us: number | null;
  mean_bytes: number | null;
  max_bytes: number | null;
  last_called: Date | null;
}

const STATS_SQL = `
SELECT target AS tool, count(*)::float8 AS calls, ${ERRORS}::float8 AS errors, ${PERCENTILES} AS pct,
  max(duration_us)::float8 AS max_us, avg(bytes_out)::float8 AS mean_bytes, max(bytes_out)::float8 AS max_bytes, max(ts) AS last_called
FROM call_events WHERE ${IN_SCOPE} AND ${IS_TOOL_CALL} AND target IS NOT NULL AND ($4::text IS NULL OR target = $4)
GROUP BY target ORDER BY calls DESC, tool`;

const SPARKLINE_SQL = `
SELECT target AS tool, ${bucketSql(4)} AS bucket, count(*)::float8 AS calls
FROM call_events WHERE ${IN_SCOPE} AND ${IS_TOOL_CALL} AND target IS NOT NULL
GROUP BY 1, 2`;

export function toToolStats(r: StatsRow, thresholds: HealthThresholds): ToolStats {
  const calls = num(r.calls);
  const errors = num(r.errors);
  const p = toPercentiles(r.pct);
  const errorRate = rate(errors, calls);
  return {
    tool: r.tool,
    calls,
    errors,
    errorRate,
    ...p,
    maxMs: usToMs(r.max_us),
    meanResponseBytes: r.mean_bytes === null ? null : num(r.mean_bytes),
    maxResponseBytes: r.max_bytes === null ? null : num(r.max_bytes),
    lastCalled: r.last_called,
    health: toolHealth({ errorRate, p95Ms: p.p95Ms }, thresholds),
  };
}

export async function listTools(pool: pg.Pool, scope: ProjectScope, range: TimeRange, options: ToolsOptions = {}): Promise<ToolsResult> {
  assertRange(range);
  const thresholds = resolveThresholds(options.thresholds);
  const bucketSeconds = options.bucketSeconds ?? chooseBucketSeconds(range);
  const starts = bucketStarts(range, bucketSeconds);
  const base = [scope.projectId, range.from, range.to];
  const [stats, spark, declared] = await Promise.all([
    pool.query<StatsRow>(STATS_SQL, [...base, null]),
    pool.query<{ tool: string; bucket: Date; calls: number }>(SPARKLINE_SQL, [...base, bucketSeconds]),
    currentToolNames(pool, scope),
  ]);
  const index = new Map(starts.map((s, i) => [s, i]));
  const lines = new Map<string, number[]>();
  for (const r of spark.rows) {
    let line = lines.get(r.tool);
    if (!line) lines.set(r.tool, (line = starts.map(() => 0)));
    const i = index.get(bucketKey(r.bucket));
    if (i !== undefined) line[i] = num(r.calls);
  }
  const tools = stats.rows.map((r) => ({ ...toToolStats(r, thresholds), sparkline: lines.get(r.tool) ?? starts.map(() => 0) }));
  const called = new Set(tools.map((t) => t.tool));
  return {
    bucketSeconds,
    bucketStarts: starts.map((s) => new Date(s * 1000)),
    thresholds,
    tools,
    neverCalled: declared.filter((name) => !called.has(name)),
  };
}

/** Log-scaled latency buckets (ms): [0,1) [1,2) [2,5) [5,10) … [30000,60000) [60000,∞). */
export const HISTOGRAM_BOUNDS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000] as const;

export interface HistogramBucket {
  fromMs: number;
  /** Exclusive; null for the last, open-ended bucket. */
  toMs: number | null;
  count: number;
}

export interface ToolClientUsage extends Percentiles {
  clientName: string;
  calls: number;
  errors: number;
  errorRate: number;
}

export interface ToolDetail {
  tool: string;
  thresholds: HealthThresholds;
  /** Null when the tool was not called in the range. */
  stats: ToolStats | null;
  histogram: HistogramBucket[];
  statuses: { status: CallStatus; count: number }[];
  slowest: CallSummary[];
  errorGroups: ErrorGroup[];
  clients: ToolClientUsage[];
  /** Snapshot versions in which this tool's definition appeared, changed or was removed (all time). */
  schemaHistory: ItemVersion[];
}

export interface ToolDetailOptions extends ToolsOptions {
  tool: string;
  /** How many slowest calls (default 10). */
  slowest?: number;
}

const TOOL_WHERE = `${IN_SCOPE} AND ${IS_TOOL_CALL} AND target = $4`;

export async function getToolDetail(pool: pg.Pool, scope: ProjectScope, range: TimeRange, options: ToolDetailOptions): Promise<ToolDetail> {
  assertRange(range);
  const thresholds = resolveThresholds(options.thresholds);
  const base = [scope.projectId, range.from, range.to, options.tool];
  const [stats, histogram, statuses, clients, slowest, errors, schemaHistory] = await Promise.all([
    pool.query<StatsRow>(STATS_SQL, base),
    pool.query<{ bucket: number; count: number }>(
      `SELECT width_bucket(duration_us, $5::int8[]) AS bucket, count(*)::float8 AS count
       FROM call_events WHERE ${TOOL_WHERE} GROUP BY 1`,
      [...base, HISTOGRAM_BOUNDS_MS.map((ms) => ms * 1000)],
    ),
    pool.query<{ status: CallStatus; count: number }>(
      `SELECT status, count(*)::float8 AS count FROM call_events WHERE ${TOOL_WHERE} GROUP BY 1 ORDER BY count DESC, status`,
      base,
    ),
    pool.query<{ client_name: string; calls: number; errors: number; pct: (number | null)[] | null }>(
      `SELECT coalesce(client_name, 'unknown') AS client_name, count(*)::float8 AS calls, ${ERRORS}::float8 AS errors, ${PERCENTILES} AS pct
       FROM call_events WHERE ${TOOL_WHERE} GROUP BY 1 ORDER BY calls DESC, client_name`,
      base,
    ),
    listSlowCalls(pool, scope, range, { thresholdMs: 0, sort: "duration", limit: options.slowest ?? 10, tool: options.tool }),
    listErrorGroups(pool, scope, range, { tool: options.tool, bucketSeconds: options.bucketSeconds }),
    toolSchemaHistory(pool, scope, options.tool),
  ]);
  const counts = new Map(histogram.rows.map((r) => [Number(r.bucket), num(r.count)]));
  const statsRow = stats.rows[0];
  return {
    tool: options.tool,
    thresholds,
    stats: statsRow ? toToolStats(statsRow, thresholds) : null,
    histogram: [0, ...HISTOGRAM_BOUNDS_MS].map((fromMs, i) => ({ fromMs, toMs: HISTOGRAM_BOUNDS_MS[i] ?? null, count: counts.get(i) ?? 0 })),
    statuses: statuses.rows.map((r) => ({ status: r.status, count: num(r.count) })),
    slowest: slowest.calls,
    errorGroups: errors.groups,
    clients: clients.rows.map((r) => {
      const calls = num(r.calls);
      const errs = num(r.errors);
      return { clientName: r.client_name, calls, errors: errs, errorRate: rate(errs, calls), ...toPercentiles(r.pct) };
    }),
    schemaHistory,
  };
}
