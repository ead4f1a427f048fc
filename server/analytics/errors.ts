/**
 * Errors view: failed calls grouped by what failed and how — method, target (tool name, resource
 * URI, prompt), status, JSON-RPC error code and error_group (the message with numbers, ids, paths,
 * quoted strings … replaced by placeholders at ingestion) — with counts, first/last seen, affected
 * sessions and clients, and a trend; and a group's occurrences, newest first.
 */
import type pg from "pg";
import type { CallStatus } from "tapline/wire";
import { bucketKey, bucketSql, bucketStarts, chooseBucketSeconds, seriesFromRollups } from "./buckets";
import { CALL_COLUMNS, decodeTimeCursor, encodeTimeCursor, toCallSummary, type CallRow, type CallSummary } from "./calls";
import { AnalyticsInputError, assertRange, clampLimit, type ProjectScope, type TimeRange } from "./scope";
import { IN_SCOPE, IS_CALL, decodeCursor, encodeCursor, num } from "./sql";
import { errorSource, mergeErrorRowsSql, NO_CODE, rollupReader, sessionsEstimateSql, usesRollups, type ReadPlan, type SqlParams } from "./rollups";

export interface ErrorGroupKey {
  method: string;
  target: string | null;
  status: Exclude<CallStatus, "ok">;
  errorCode: number | null;
  /** Normalised message; "" when the failure carried no message (timeouts, cancellations). */
  errorGroup: string;
}

export interface ErrorGroup extends ErrorGroupKey {
  /** Opaque id of the group, for listErrorOccurrences. */
  key: string;
  /** One raw message of the group, for display. */
  sampleMessage: string | null;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  /** Distinct sessions and client names with this failure. */
  sessions: number;
  clients: number;
  /** Occurrences per bucket, zero-filled, aligned with the result's bucketSeconds. */
  trend: number[];
}

export interface ErrorGroupsResult {
  /** Affected sessions were estimated from rollup sketches (ranges over 6 h; ±9 %, closer for small counts). */
  approximate: boolean;
  bucketSeconds: number;
  bucketStarts: Date[];
  /** Total failed calls in the range (all groups, not only the listed ones). */
  totalErrors: number;
  groups: ErrorGroup[];
}

export interface ErrorGroupsOptions {
  /** Only this target (tool name, URI …). */
  tool?: string;
  /** Most frequent first; default 50, at most 500. */
  limit?: number;
  bucketSeconds?: number;
}

interface GroupRow {
  method: string;
  target: string | null;
  status: Exclude<CallStatus, "ok">;
  error_code: number | null;
  error_group: string;
}

const FAILED = `${IN_SCOPE} AND ${IS_CALL} AND status <> 'ok' AND ($4::text IS NULL OR target = $4)`;
const GROUP_COLUMNS = `method, target, status, error_code, coalesce(error_group, '') AS error_group`;

// The aggregate reads only columns of the covering partial index call_events_project_errors_idx
// (index-only scan); each listed group's sample message is then its newest occurrence, found by
// primary key (ts = last_seen).
// Each listed group's sample: its newest occurrence, found by primary key (ts = last_seen).
const withSample = (groups: string) => `
WITH g AS (${groups})
SELECT g.*, (
  SELECT e.error_message FROM call_events e
  WHERE e.project_id = $1 AND e.ts = g.last_seen AND e.status = g.status AND e.method = g.method
    AND e.target IS NOT DISTINCT FROM g.target AND coalesce(e.error_group, '') = g.error_group
  LIMIT 1
) AS sample
FROM g ORDER BY g.count DESC, g.last_seen DESC`;

const GROUPS_SQL = withSample(`
  SELECT ${GROUP_COLUMNS}, count(*)::float8 AS count, min(ts) AS first_seen, max(ts) AS last_seen,
    count(DISTINCT session_id)::float8 AS sessions, count(DISTINCT client_name)::float8 AS clients,
    sum(count(*)) OVER ()::float8 AS total
  FROM call_events WHERE ${FAILED}
  GROUP BY 1, 2, 3, 4, 5 ORDER BY count DESC, last_seen DESC LIMIT $5`);

/** Long ranges: error_rollups for whole hours and days, failed events for the rest. */
function rollupGroupsSql(p: SqlParams, plan: ReadPlan, projects: string, tool: string | null, limit: number): string {
  const src = `SELECT * FROM (${errorSource(p, plan, projects)}) s${tool === null ? "" : ` WHERE target = ${p.add(tool)}`}`;
  return withSample(`
  SELECT method, nullif(target, '') AS target, status, nullif(error_code, ${NO_CODE}) AS error_code, error_group,
    count::float8 AS count, first_ts AS first_seen, last_ts AS last_seen, ${sessionsEstimateSql("m.sessions")} AS sessions,
    cardinality(clients)::float8 AS clients, sum(count) OVER ()::float8 AS total
  FROM (${mergeErrorRowsSql(src)}) m ORDER BY count DESC, last_seen DESC LIMIT ${p.add(limit)}`);
}

function rollupTrendSql(p: SqlParams, plan: ReadPlan, projects: string, tool: string | null, bucketSeconds: number): string {
  const src = errorSource(p, plan, projects);
  return `SELECT method, nullif(target, '') AS target, status, nullif(error_code, ${NO_CODE}) AS error_code, error_group,
    date_bin(${p.add(bucketSeconds)}::int * interval '1 second', bucket, timestamptz '1970-01-01 00:00:00+00') AS bucket, sum(count)::float8 AS count
  FROM (${src}) s${tool === null ? "" : ` WHERE target = ${p.add(tool)}`}
  GROUP BY 1, 2, 3, 4, 5, 6`;
}

const TREND_SQL = `
SELECT ${GROUP_COLUMNS}, ${bucketSql(5)} AS bucket, count(*)::float8 AS count
FROM call_events WHERE ${FAILED}
GROUP BY 1, 2, 3, 4, 5, 6`;

function groupId(r: GroupRow): string {
  return JSON.stringify([r.method, r.target, r.status, r.error_code, r.error_group]);
}

export function encodeErrorGroupKey(k: ErrorGroupKey): string {
  return encodeCursor({ m: k.method, t: k.target ?? "\u0000", s: k.status, c: k.errorCode ?? "", g: k.errorGroup });
}

export function decodeErrorGroupKey(key: string): ErrorGroupKey {
  const v = decodeCursor(key);
  const ok = v && typeof v.m === "string" && typeof v.t === "string" && typeof v.s === "string" && typeof v.g === "string" && (v.c === "" || Number.isInteger(v.c));
  if (!ok) throw new AnalyticsInputError("invalid_option", "Unknown error group.");
  return {
    method: v.m as string,
    target: v.t === "\u0000" ? null : (v.t as string),
    status: v.s as ErrorGroupKey["status"],
    errorCode: v.c === "" ? null : (v.c as number),
    errorGroup: v.g as string,
  };
}

export async function listErrorGroups(pool: pg.Pool, scope: ProjectScope, range: TimeRange, options: ErrorGroupsOptions = {}): Promise<ErrorGroupsResult> {
  assertRange(range);
  const bucketSeconds = options.bucketSeconds ?? chooseBucketSeconds(range);
  const starts = bucketStarts(range, bucketSeconds);
  const limit = clampLimit(options.limit, 50, 500);
  type Group = GroupRow & { count: number; first_seen: Date; last_seen: Date; sessions: number; clients: number; sample: string | null; total: number };
  type Trend = GroupRow & { bucket: Date; count: number };
  const approximate = usesRollups(range);
  let groups: Group[];
  let trend: Trend[];
  if (approximate) {
    const reader = await rollupReader(pool, [scope.projectId], range);
    const tool = options.tool ?? null;
    [groups, trend] = await Promise.all([
      reader.query<Group>({ days: true }, (p, plan, projects) => rollupGroupsSql(p, plan, projects, tool, limit)),
      seriesFromRollups(range, bucketSeconds)
        ? reader.query<Trend>({ days: false }, (p, plan, projects) => rollupTrendSql(p, plan, projects, tool, bucketSeconds))
        : pool.query<Trend>(TREND_SQL, [scope.projectId, range.from, range.to, tool, bucketSeconds]).then((r) => r.rows),
    ]);
  } else {
    const base = [scope.projectId, range.from, range.to, options.tool ?? null];
    [groups, trend] = await Promise.all([
      pool.query<Group>(GROUPS_SQL, [...base, limit]).then((r) => r.rows),
      pool.query<Trend>(TREND_SQL, [...base, bucketSeconds]).then((r) => r.rows),
    ]);
  }
  const index = new Map(starts.map((s, i) => [s, i]));
  const trends = new Map<string, number[]>();
  for (const r of trend) {
    const id = groupId(r);
    let series = trends.get(id);
    if (!series) trends.set(id, (series = starts.map(() => 0)));
    const i = index.get(bucketKey(r.bucket));
    if (i !== undefined) series[i] = num(r.count);
  }
  return {
    approximate,
    bucketSeconds,
    bucketStarts: starts.map((s) => new Date(s * 1000)),
    totalErrors: num(groups[0]?.total),
    groups: groups.map((r) => {
      const k: ErrorGroupKey = { method: r.method, target: r.target, status: r.status, errorCode: r.error_code, errorGroup: r.error_group };
      return {
        ...k,
        key: encodeErrorGroupKey(k),
        sampleMessage: r.sample,
        count: num(r.count),
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
        sessions: num(r.sessions),
        clients: num(r.clients),
        trend: trends.get(groupId(r)) ?? starts.map(() => 0),
      };
    }),
  };
}

export interface ErrorOccurrencesOptions {
  /** ErrorGroup.key */
  key: string;
  /** Default 50, at most 500. */
  limit?: number;
  cursor?: string | null;
}

export interface ErrorOccurrences {
  occurrences: CallSummary[];
  nextCursor: string | null;
}

/** The calls of one error group, newest first, keyset-paginated on (ts, id). */
export async function listErrorOccurrences(pool: pg.Pool, scope: ProjectScope, range: TimeRange, options: ErrorOccurrencesOptions): Promise<ErrorOccurrences> {
  assertRange(range);
  const k = decodeErrorGroupKey(options.key);
  const limit = clampLimit(options.limit, 50, 500);
  const after = options.cursor ? decodeTimeCursor(options.cursor) : null;
  const { rows } = await pool.query<CallRow>(
    `SELECT ${CALL_COLUMNS} FROM call_events
     WHERE ${IN_SCOPE} AND ${IS_CALL} AND status = $4 AND method = $5 AND target IS NOT DISTINCT FROM $6
       AND error_code IS NOT DISTINCT FROM $7::int AND coalesce(error_group, '') = $8
       AND ($9::timestamptz IS NULL OR (ts, id) < ($9::timestamptz, $10::uuid))
     ORDER BY ts DESC, id DESC LIMIT $11`,
    [scope.projectId, range.from, range.to, k.status, k.method, k.target, k.errorCode, k.errorGroup, after?.tsIso ?? null, after?.id ?? null, limit + 1],
  );
  const page = rows.slice(0, limit).map(toCallSummary);
  const last = page[page.length - 1];
  return { occurrences: page, nextCursor: rows.length > limit && last ? encodeTimeCursor(last) : null };
}
