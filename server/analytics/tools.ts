/**
 * Tools view: one row per tool (`tools/call` requests grouped by target) with volume, error rate,
 * latency percentiles, response sizes, a sparkline and a health badge; the tools the server
 * declares (latest `tools` snapshot) that were never called in the range; and one tool's detail.
 */
import type pg from "pg";
import type { CallStatus } from "tapline/wire";
import { bucketKey, bucketSql, bucketStarts, chooseBucketSeconds, seriesFromRollups } from "./buckets";
import { listErrorGroups, type ErrorGroup } from "./errors";
import { resolveThresholds, toolHealth, type Health, type HealthThresholds, type HealthThresholdsInput } from "./health";
import { currentToolNames, toolSchemaHistory } from "./schema";
import type { ItemVersion } from "./schema-diff";
import { assertRange, type ProjectScope, type TimeRange } from "./scope";
import { listSlowCalls } from "./slow-calls";
import { toCallSummary, type CallRow, type CallSummary } from "./calls";
import { ERRORS, IN_SCOPE, IS_TOOL_CALL, PERCENTILES, num, rate, toPercentiles, usToMs, type Percentiles } from "./sql";
import {
  aggregateSql,
  bucketValueSql,
  ELEMENT_BUCKET_SQL,
  ELEMENT_COUNT_SQL,
  GROUPING_SETS,
  rollupReader,
  rollupSource,
  slowestCallsSql,
  SLOWEST_PER_BUCKET,
  SqlParams,
  usesRollups,
  type GroupingSet,
} from "./rollups";

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
  /** Percentiles were read from rollup sketches (within ±2 %), not computed exactly. */
  approximate: boolean;
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
  const q = await toolQueries(pool, scope, range);
  const [stats, spark, declared] = await Promise.all([
    q.stats(null),
    seriesFromRollups(range, bucketSeconds) ? q.sparkline(bucketSeconds) : rawToolQueries(pool, scope, range).sparkline(bucketSeconds),
    currentToolNames(pool, scope),
  ]);
  const index = new Map(starts.map((s, i) => [s, i]));
  const lines = new Map<string, number[]>();
  for (const r of spark) {
    let line = lines.get(r.tool);
    if (!line) lines.set(r.tool, (line = starts.map(() => 0)));
    const i = index.get(bucketKey(r.bucket));
    if (i !== undefined) line[i] = num(r.calls);
  }
  const tools = stats.map((r) => ({ ...toToolStats(r, thresholds), sparkline: lines.get(r.tool) ?? starts.map(() => 0) }));
  const called = new Set(tools.map((t) => t.tool));
  return {
    approximate: q.approximate,
    bucketSeconds,
    bucketStarts: starts.map((s) => new Date(s * 1000)),
    thresholds,
    tools,
    neverCalled: declared.filter((name) => !called.has(name)),
  };
}

interface StatusCounts {
  status: CallStatus;
  count: number;
}

/** The per-tool queries, answered from events (short ranges) or rollups (long ones). */
interface ToolQueries {
  approximate: boolean;
  stats(tool: string | null): Promise<StatsRow[]>;
  sparkline(bucketSeconds: number): Promise<{ tool: string; bucket: Date; calls: number }[]>;
  /** Counts per HISTOGRAM_BOUNDS_MS bucket index (width_bucket numbering). */
  histogram(tool: string): Promise<{ bucket: number; count: number }[]>;
  statuses(tool: string): Promise<StatusCounts[]>;
  clients(tool: string): Promise<{ client_name: string; calls: number; errors: number; pct: (number | null)[] | null }[]>;
  slowest(tool: string, limit: number): Promise<CallSummary[]>;
}

const HISTOGRAM_BOUNDS_US = () => HISTOGRAM_BOUNDS_MS.map((ms) => ms * 1000);

function toolQueries(pool: pg.Pool, scope: ProjectScope, range: TimeRange): Promise<ToolQueries> | ToolQueries {
  return usesRollups(range) ? rollupToolQueries(pool, scope, range) : rawToolQueries(pool, scope, range);
}

function rawToolQueries(pool: pg.Pool, scope: ProjectScope, range: TimeRange): ToolQueries {
  const base = [scope.projectId, range.from, range.to];
  const rows = async <T extends pg.QueryResultRow>(sql: string, params: unknown[]) => (await pool.query<T>(sql, params)).rows;
  return {
    approximate: false,
    stats: (tool) => rows<StatsRow>(STATS_SQL, [...base, tool]),
    sparkline: (bucketSeconds) => rows(SPARKLINE_SQL, [...base, bucketSeconds]),
    histogram: (tool) =>
      rows(`SELECT width_bucket(duration_us, $5::int8[]) AS bucket, count(*)::float8 AS count FROM call_events WHERE ${TOOL_WHERE} GROUP BY 1`, [
        ...base,
        tool,
        HISTOGRAM_BOUNDS_US(),
      ]),
    statuses: (tool) => rows(`SELECT status, count(*)::float8 AS count FROM call_events WHERE ${TOOL_WHERE} GROUP BY 1 ORDER BY count DESC, status`, [...base, tool]),
    slowest: async (tool, limit) => (await listSlowCalls(pool, scope, range, { thresholdMs: 0, sort: "duration", limit, tool })).calls,
    clients: (tool) =>
      rows(
        `SELECT coalesce(client_name, 'unknown') AS client_name, count(*)::float8 AS calls, ${ERRORS}::float8 AS errors, ${PERCENTILES} AS pct
         FROM call_events WHERE ${TOOL_WHERE} GROUP BY 1 ORDER BY calls DESC, client_name`,
        [...base, tool],
      ),
  };
}

const QUANTILES = [0.5, 0.95, 0.99] as const;
const TOOL_FILTER = (p: SqlParams, tool: string | null) => `method = 'tools/call' AND target <> ''${tool === null ? "" : ` AND target = ${p.add(tool)}`}`;

type RollupStatsRow = StatsRow & { tool_errors: number; rpc_errors: number; transport_errors: number; timeouts: number; cancelled: number };

async function rollupToolQueries(pool: pg.Pool, scope: ProjectScope, range: TimeRange): Promise<ToolQueries> {
  const reader = await rollupReader(pool, [scope.projectId], range);
  const query = <T extends pg.QueryResultRow>(days: boolean, set: GroupingSet, build: (p: SqlParams, source: string) => string) =>
    reader.query<T>({ days }, (p, plan, projects) => build(p, rollupSource(p, { set, plan, projects })));
  // A tool's detail needs its stats and its status counts: one query answers both.
  const statsByTool = new Map<string | null, Promise<RollupStatsRow[]>>();
  const toolStats = (tool: string | null) => {
    let rows = statsByTool.get(tool);
    if (!rows) {
      rows = query<RollupStatsRow>(true, GROUPING_SETS.tool, (p, source) => {
        const sql = aggregateSql(source, { keys: [{ sql: "target", as: "tool" }], where: TOOL_FILTER(p, tool), quantiles: QUANTILES });
        return `SELECT tool, calls::float8 AS calls, errors::float8 AS errors, pct, duration_max_us::float8 AS max_us,
            (bytes_out_sum::float8 / nullif(calls, 0)) AS mean_bytes, bytes_out_max::float8 AS max_bytes, last_ts AS last_called,
            tool_errors::float8 AS tool_errors, rpc_errors::float8 AS rpc_errors, transport_errors::float8 AS transport_errors,
            timeouts::float8 AS timeouts, cancelled::float8 AS cancelled
          FROM (${sql}) a ORDER BY calls DESC, tool`;
      });
      statsByTool.set(tool, rows);
    }
    return rows;
  };
  return {
    approximate: true,
    stats: toolStats,
    slowest: async (tool, limit) => {
      if (limit > SLOWEST_PER_BUCKET) return (await listSlowCalls(pool, scope, range, { thresholdMs: 0, sort: "duration", limit, tool })).calls;
      return (await reader.query<CallRow>({ days: true }, (p, plan) => slowestCallsSql(p, plan, tool, limit))).map(toCallSummary);
    },
    sparkline: (bucketSeconds) =>
      query(false, GROUPING_SETS.tool, (p, source) => {
        const bucket = `date_bin(${p.add(bucketSeconds)}::int * interval '1 second', bucket, timestamptz '1970-01-01 00:00:00+00')`;
        const sql = aggregateSql(source, { keys: [{ sql: "target", as: "tool" }, { sql: bucket, as: "bucket" }], where: TOOL_FILTER(p, null) });
        return `SELECT tool, bucket, calls::float8 AS calls FROM (${sql}) a`;
      }),
    histogram: (tool) =>
      query(true, GROUPING_SETS.tool, (p, source) => {
        const where = TOOL_FILTER(p, tool);
        return `SELECT width_bucket(${bucketValueSql("b")}, ${p.add(HISTOGRAM_BOUNDS_US())}::float8[]) AS bucket, sum(n)::float8 AS count
          FROM (SELECT ${ELEMENT_BUCKET_SQL("e")} AS b, sum(${ELEMENT_COUNT_SQL("e")}) AS n FROM (${source}) s, unnest(latency) e WHERE ${where} GROUP BY 1) h
          GROUP BY 1`;
      }),
    statuses: async (tool) => {
      const [r] = await toolStats(tool);
      if (!r) return [];
      const counts: StatusCounts[] = [
        { status: "ok", count: num(r.calls) - num(r.errors) },
        { status: "tool_error", count: num(r.tool_errors) },
        { status: "rpc_error", count: num(r.rpc_errors) },
        { status: "transport_error", count: num(r.transport_errors) },
        { status: "timeout", count: num(r.timeouts) },
        { status: "cancelled", count: num(r.cancelled) },
      ];
      return counts.filter((c) => c.count > 0).sort((a, b) => b.count - a.count || (a.status < b.status ? -1 : 1));
    },
    clients: (tool) =>
      query(true, GROUPING_SETS.toolClient, (p, source) => {
        const sql = aggregateSql(source, { keys: [{ sql: "coalesce(nullif(client_name, ''), 'unknown')", as: "client_name" }], where: TOOL_FILTER(p, tool), quantiles: QUANTILES });
        return `SELECT client_name, calls::float8 AS calls, errors::float8 AS errors, pct FROM (${sql}) a ORDER BY calls DESC, client_name`;
      }),
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
  /** Percentiles and the histogram were read from rollup sketches (within ±2 %). */
  approximate: boolean;
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
  const q = await toolQueries(pool, scope, range);
  const [stats, histogram, statuses, clients, slowest, errors, schemaHistory] = await Promise.all([
    q.stats(options.tool),
    q.histogram(options.tool),
    q.statuses(options.tool),
    q.clients(options.tool),
    q.slowest(options.tool, options.slowest ?? 10),
    listErrorGroups(pool, scope, range, { tool: options.tool, bucketSeconds: options.bucketSeconds }),
    toolSchemaHistory(pool, scope, options.tool),
  ]);
  const counts = new Map(histogram.map((r) => [Number(r.bucket), num(r.count)]));
  const statsRow = stats[0];
  return {
    tool: options.tool,
    approximate: q.approximate,
    thresholds,
    stats: statsRow ? toToolStats(statsRow, thresholds) : null,
    histogram: [0, ...HISTOGRAM_BOUNDS_MS].map((fromMs, i) => ({ fromMs, toMs: HISTOGRAM_BOUNDS_MS[i] ?? null, count: counts.get(i) ?? 0 })),
    statuses: statuses.map((r) => ({ status: r.status, count: num(r.count) })),
    slowest,
    errorGroups: errors.groups,
    clients: clients.map((r) => {
      const calls = num(r.calls);
      const errs = num(r.errors);
      return { clientName: r.client_name, calls, errors: errs, errorRate: rate(errs, calls), ...toPercentiles(r.pct) };
    }),
    schemaHistory,
  };
}
