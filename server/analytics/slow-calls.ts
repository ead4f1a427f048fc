/**
 * Slow calls: calls at or over a duration threshold, sorted by duration or by time (newest
 * first), keyset-paginated; and one call's detail by id.
 */
import type pg from "pg";
import type { CallRecord, RecordKind, Direction, Transport } from "tapline/wire";
import { CALL_COLUMNS, callColumns, decodeTimeCursor, encodeTimeCursor, isUuid, toCallSummary, type CallRow, type CallSummary } from "./calls";
import { AnalyticsInputError, assertRange, clampLimit, type ProjectScope, type TimeRange } from "./scope";
import { IN_SCOPE, IS_CALL, decodeCursor, encodeCursor, num } from "./sql";

export type SlowCallSort = "duration" | "time";

export interface SlowCallsOptions {
  /** Calls with duration ≥ this many ms. */
  thresholdMs: number;
  /** "duration": slowest first (default); "time": newest first. */
  sort?: SlowCallSort;
  /** Default 50, at most 500. */
  limit?: number;
  cursor?: string | null;
  /** Only calls of this tool (tools/call target). */
  tool?: string;
}

export interface SlowCalls {
  calls: CallSummary[];
  nextCursor: string | null;
}

interface DurationCursor {
  durationUs: number;
  id: string;
}

function decodeDurationCursor(cursor: string): DurationCursor {
  const v = decodeCursor(cursor);
  if (!v || typeof v.d !== "number" || !Number.isInteger(v.d) || typeof v.id !== "string" || !isUuid(v.id)) {
    throw new AnalyticsInputError("invalid_cursor", "The page cursor is not valid for this list; start again from the first page.");
  }
  return { durationUs: v.d, id: v.id };
}

const SLOW_WHERE = `${IN_SCOPE} AND ${IS_CALL} AND duration_us >= $4 AND ($5::text IS NULL OR (method = 'tools/call' AND target = $5))`;

/**
 * `call_events_slow_idx` holds only calls of at least this many µs (100 ms, the smallest threshold
 * the dashboard offers): indexing every call by duration cost ingestion a third of its throughput
 * (random insert positions). Queries repeat the bound as a literal so that the planner can prove
 * the partial index applies whatever the plan (prisma/migrations/20261123201500_slow_calls_partial_index).
 */
export const SLOW_INDEX_MIN_US = 100_000;
const IN_SLOW_INDEX = `duration_us >= ${SLOW_INDEX_MIN_US}`;
const UNDER_SLOW_INDEX = `duration_us < ${SLOW_INDEX_MIN_US}`;

export async function listSlowCalls(pool: pg.Pool, scope: ProjectScope, range: TimeRange, options: SlowCallsOptions): Promise<SlowCalls> {
  assertRange(range);
  if (!Number.isFinite(options.thresholdMs) || options.thresholdMs < 0) {
    throw new AnalyticsInputError("invalid_option", "thresholdMs must be a non-negative number.");
  }
  const limit = clampLimit(options.limit, 50, 500);
  const sort = options.sort ?? "duration";
  const thresholdUs = Math.ceil(options.thresholdMs * 1000);
  const base = [scope.projectId, range.from, range.to, thresholdUs, options.tool ?? null];
  let rows: CallRow[];
  if (sort === "duration") {
    const after = options.cursor ? decodeDurationCursor(options.cursor) : null;
    // Slowest first along the partial index; calls under its bound (only asked for with a threshold
    // under 100 ms, e.g. a tool's slowest calls) follow, read by range, once the indexed ones run out.
    const page = (band: string, max: number) =>
      pool.query<CallRow>(
        `SELECT ${CALL_COLUMNS} FROM call_events WHERE ${SLOW_WHERE} AND ${band}
           AND ($6::int8 IS NULL OR (duration_us, id) < ($6::int8, $7::uuid))
         ORDER BY call_events.duration_us DESC, call_events.id DESC LIMIT $8`, // the column, not its float8 alias: index order
        [...base, after?.durationUs ?? null, after?.id ?? null, max],
      );
    rows = [];
    if (!after || after.durationUs >= SLOW_INDEX_MIN_US) rows = (await page(IN_SLOW_INDEX, limit + 1)).rows;
    if (rows.length <= limit && thresholdUs < SLOW_INDEX_MIN_US) rows = rows.concat((await page(UNDER_SLOW_INDEX, limit + 1 - rows.length)).rows);
  } else {
    const after = options.cursor ? decodeTimeCursor(options.cursor) : null;
    ({ rows } = await pool.query<CallRow>(
      `SELECT ${CALL_COLUMNS} FROM call_events WHERE ${SLOW_WHERE} ${thresholdUs >= SLOW_INDEX_MIN_US ? `AND ${IN_SLOW_INDEX}` : ""}
         AND ($6::timestamptz IS NULL OR (ts, id) < ($6::timestamptz, $7::uuid))
       ORDER BY ts DESC, id DESC LIMIT $8`,
      [...base, after?.tsIso ?? null, after?.id ?? null, limit + 1],
    ));
  }
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  let nextCursor: string | null = null;
  if (rows.length > limit && last) {
    nextCursor = sort === "duration" ? encodeCursor({ d: num(last.duration_us), id: last.id }) : encodeTimeCursor({ tsIso: last.ts_iso, id: last.id });
  }
  return { calls: page.map(toCallSummary), nextCursor };
}

export interface CallDetail extends CallSummary {
  transport: Transport;
  kind: RecordKind;
  direction: Direction;
  rpcId: string | null;
  seq: number;
  httpStatus: number | null;
  errorGroup: string | null;
  /** When the cloud stored it (ingestion lag = receivedAt - ts - duration). */
  receivedAt: Date;
  /** Redacted request params and response, only when the agent captures payloads. */
  payload: CallRecord["payload"];
  /** Start of the call relative to its session's first call, when the session is known. */
  sessionOffsetMs: number | null;
}

interface DetailRow extends CallRow {
  transport: Transport;
  kind: RecordKind;
  direction: Direction;
  rpc_id: string | null;
  seq: number;
  http_status: number | null;
  error_group: string | null;
  received_at: Date;
  payload: CallRecord["payload"];
  session_offset_us: number | null;
}

const DETAIL_SQL = `
SELECT ${callColumns("e")},
  e.transport, e.kind, e.direction, e.rpc_id, e.seq, e.http_status, e.error_group, e.received_at, e.payload,
  (extract(epoch FROM e.ts - s.first_ts) * 1000000)::float8 AS session_offset_us
FROM call_events e
LEFT JOIN call_sessions s ON s.project_id = e.project_id AND s.session_id = e.session_id
WHERE e.project_id = $1 AND e.ts >= $2 AND e.ts < $3 AND e.id = $4
LIMIT 1`;

/** Milliseconds since the epoch encoded in a UUIDv7, or null for other UUIDs. */
export function uuidv7Ms(id: string): number | null {
  if (!isUuid(id) || id[14] !== "7") return null;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/**
 * One call by id within the range. Agent ids are UUIDv7 stamped at the call's start, so the
 * lookup first tries ±1 day around that stamp (a few partitions) and only then the whole range.
 */
export async function getCall(pool: pg.Pool, scope: ProjectScope, range: TimeRange, options: { id: string }): Promise<CallDetail | null> {
  assertRange(range);
  if (!isUuid(options.id)) return null;
  const hint = uuidv7Ms(options.id);
  const windows: TimeRange[] = [];
  if (hint !== null) {
    const from = new Date(Math.max(range.from.getTime(), hint - 86_400_000));
    const to = new Date(Math.min(range.to.getTime(), hint + 86_400_000));
    if (from < to) windows.push({ from, to });
  }
  windows.push(range);
  for (const w of windows) {
    const { rows } = await pool.query<DetailRow>(DETAIL_SQL, [scope.projectId, w.from, w.to, options.id]);
    const r = rows[0];
    if (r) return toCallDetail(r);
  }
  return null;
}

function toCallDetail(r: DetailRow): CallDetail {
  return {
    ...toCallSummary(r),
    transport: r.transport,
    kind: r.kind,
    direction: r.direction,
    rpcId: r.rpc_id,
    seq: r.seq,
    httpStatus: r.http_status,
    errorGroup: r.error_group,
    receivedAt: r.received_at,
    payload: r.payload,
    sessionOffsetMs: r.session_offset_us === null ? null : Math.round(r.session_offset_us) / 1000,
  };
}
