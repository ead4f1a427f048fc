/**
 * Sessions view. The list reads `call_sessions` (one row per session, kept current by ingestion),
 * which is small and indexed on (project_id, last_ts DESC): a session is listed when it was active
 * in the range (first_ts < to and last_ts ≥ from); its calls / errors are the session's totals.
 * The detail is the session's ordered timeline (by seq, then ts) for a waterfall.
 */
import type pg from "pg";
import type { CallStatus, Direction, RecordKind } from "tapline/wire";
import { AnalyticsInputError, assertRange, clampLimit, type ProjectScope, type TimeRange } from "./scope";
import { decodeCursor, encodeCursor, isoMicros, num, rate, usToMs } from "./sql";

export interface SessionSummary {
  sessionId: string;
  serverId: string;
  clientName: string | null;
  clientVersion: string | null;
  /** Start of the first call and of the last call seen. */
  startedAt: Date;
  lastCallAt: Date;
  /** lastCallAt - startedAt. */
  durationMs: number;
  /** Requests (all methods) and the non-ok ones, over the whole session. */
  calls: number;
  errors: number;
  errorRate: number;
}

export interface SessionsResult {
  /** Most recently active first. */
  sessions: SessionSummary[];
  nextCursor: string | null;
}

export interface SessionsOptions {
  /** Default 50, at most 500. */
  limit?: number;
  cursor?: string | null;
  /** Only sessions of this client name. */
  client?: string;
}

interface SessionRow {
  session_id: string;
  server_id: string;
  client_name: string | null;
  client_version: string | null;
  first_ts: Date;
  last_ts: Date;
  first_ts_iso: string;
  last_ts_iso: string;
  duration_us: number;
  calls: number;
  errors: number;
}

const SESSION_COLUMNS = `session_id, server_id, client_name, client_version, first_ts, last_ts, ${isoMicros("first_ts")} AS first_ts_iso, ${isoMicros("last_ts")} AS last_ts_iso,
  (extract(epoch FROM last_ts - first_ts) * 1000000)::float8 AS duration_us, calls, errors`;

function toSessionSummary(r: SessionRow): SessionSummary {
  const calls = num(r.calls);
  const errors = num(r.errors);
  return {
    sessionId: r.session_id,
    serverId: r.server_id,
    clientName: r.client_name,
    clientVersion: r.client_version,
    startedAt: r.first_ts,
    lastCallAt: r.last_ts,
    durationMs: usToMs(r.duration_us) ?? 0,
    calls,
    errors,
    errorRate: rate(errors, calls),
  };
}

export async function listSessions(pool: pg.Pool, scope: ProjectScope, range: TimeRange, options: SessionsOptions = {}): Promise<SessionsResult> {
  assertRange(range);
  const limit = clampLimit(options.limit, 50, 500);
  let after: { t: string; s: string } | null = null;
  if (options.cursor) {
    const v = decodeCursor(options.cursor);
    if (!v || typeof v.t !== "string" || typeof v.s !== "string" || Number.isNaN(Date.parse(v.t))) {
      throw new AnalyticsInputError("invalid_cursor", "The page cursor is not valid for this list; start again from the first page.");
    }
    after = { t: v.t, s: v.s };
  }
  const { rows } = await pool.query<SessionRow>(
    `SELECT ${SESSION_COLUMNS} FROM call_sessions
     WHERE project_id = $1 AND last_ts >= $2 AND first_ts < $3 AND ($4::text IS NULL OR client_name = $4)
       AND ($5::timestamptz IS NULL OR (last_ts, session_id) < ($5::timestamptz, $6::text))
     ORDER BY last_ts DESC, session_id DESC LIMIT $7`,
    [scope.projectId, range.from, range.to, options.client ?? null, after?.t ?? null, after?.s ?? null, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    sessions: page.map(toSessionSummary),
    nextCursor: rows.length > limit && last ? encodeCursor({ t: last.last_ts_iso, s: last.session_id }) : null,
  };
}

export interface TimelineItem {
  id: string;
  seq: number;
  ts: Date;
  /** Start relative to the session's first call, ms (µs precision): the waterfall bar's left edge. */
  offsetMs: number;
  /** The bar's width. */
  durationMs: number;
  kind: RecordKind;
  direction: Direction;
  method: string;
  target: string | null;
  status: CallStatus;
  errorCode: number | null;
  errorMessage: string | null;
  bytesIn: number;
  bytesOut: number;
}

export interface SessionDetail {
  session: SessionSummary;
  /** Ordered by seq, then ts, then id. */
  timeline: TimelineItem[];
  /** True when the session has more events than `limit`; the timeline holds the first ones. */
  truncated: boolean;
  /** Tool names of the `tools/call` requests, in timeline order. */
  toolSequence: string[];
}

export interface SessionDetailOptions {
  sessionId: string;
  /** Most events returned (default 2000, at most 10000). */
  limit?: number;
}

interface TimelineRow {
  id: string;
  seq: number;
  ts: Date;
  offset_us: number;
  duration_us: number;
  kind: RecordKind;
  direction: Direction;
  method: string;
  target: string | null;
  status: CallStatus;
  error_code: number | null;
  error_message: string | null;
  bytes_in: number;
  bytes_out: number;
}

/**
 * One session and its whole timeline. The range only selects: a session that was not active in
 * it is not found (null); the timeline is never cut by the range. Its events are read between the
 * session's own first and last timestamps, so only the partitions of those days are scanned.
 */
export async function getSession(pool: pg.Pool, scope: ProjectScope, range: TimeRange, options: SessionDetailOptions): Promise<SessionDetail | null> {
  assertRange(range);
  const limit = clampLimit(options.limit, 2000, 10_000);
  const s = await pool.query<SessionRow>(
    `SELECT ${SESSION_COLUMNS} FROM call_sessions WHERE project_id = $1 AND session_id = $2 AND last_ts >= $3 AND first_ts < $4`,
    [scope.projectId, options.sessionId, range.from, range.to],
  );
  const row = s.rows[0];
  if (!row) return null;
  const { rows } = await pool.query<TimelineRow>(
    `SELECT id, seq, ts, (extract(epoch FROM ts - $3::timestamptz) * 1000000)::float8 AS offset_us, duration_us::float8 AS duration_us,
       kind, direction, method, target, status, error_code, error_message, bytes_in, bytes_out
     FROM call_events
     WHERE project_id = $1 AND session_id = $2 AND ts >= $3::timestamptz AND ts <= $4::timestamptz
     ORDER BY seq, ts, id LIMIT $5`,
    [scope.projectId, options.sessionId, row.first_ts_iso, row.last_ts_iso, limit + 1],
  );
  const timeline = rows.slice(0, limit).map(toTimelineItem);
  return {
    session: toSessionSummary(row),
    timeline,
    truncated: rows.length > limit,
    toolSequence: timeline.filter((t) => t.kind === "request" && t.method === "tools/call" && t.target !== null).map((t) => t.target!),
  };
}

function toTimelineItem(r: TimelineRow): TimelineItem {
  return {
    id: r.id,
    seq: r.seq,
    ts: r.ts,
    offsetMs: usToMs(r.offset_us) ?? 0,
    durationMs: usToMs(r.duration_us) ?? 0,
    kind: r.kind,
    direction: r.direction,
    method: r.method,
    target: r.target,
    status: r.status,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    bytesIn: r.bytes_in,
    bytesOut: r.bytes_out,
  };
}
