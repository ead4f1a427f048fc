/**
 * One call as lists show it (slow calls, error occurrences, tool detail), its converter, and the
 * keyset cursor over (ts, id) shared by the time-ordered lists.
 */
import type { CallStatus } from "tapline/wire";
import { AnalyticsInputError } from "./scope";
import { decodeCursor, encodeCursor, isoMicros, usToMs } from "./sql";

export interface CallSummary {
  id: string;
  ts: Date;
  /** ts with microseconds, ISO 8601 UTC (Date keeps only milliseconds). */
  tsIso: string;
  durationMs: number;
  serverId: string;
  method: string;
  target: string | null;
  status: CallStatus;
  errorCode: number | null;
  errorMessage: string | null;
  sessionId: string | null;
  clientName: string | null;
  clientVersion: string | null;
  bytesIn: number;
  bytesOut: number;
}

/** Columns of a CallSummary row; `t` is the table alias when the query joins. */
export function callColumns(t = ""): string {
  const c = (name: string) => (t ? `${t}.${name}` : name);
  return `${c("id")} AS id, ${c("ts")} AS ts, ${isoMicros(c("ts"))} AS ts_iso, ${c("duration_us")}::float8 AS duration_us,
  ${["server_id", "method", "target", "status", "error_code", "error_message", "session_id", "client_name", "client_version", "bytes_in", "bytes_out"]
    .map((n) => `${c(n)} AS ${n}`)
    .join(", ")}`;
}

export const CALL_COLUMNS = callColumns();

export interface CallRow {
  id: string;
  ts: Date;
  ts_iso: string;
  duration_us: number;
  server_id: string;
  method: string;
  target: string | null;
  status: CallStatus;
  error_code: number | null;
  error_message: string | null;
  session_id: string | null;
  client_name: string | null;
  client_version: string | null;
  bytes_in: number;
  bytes_out: number;
}

export function toCallSummary(r: CallRow): CallSummary {
  return {
    id: r.id,
    ts: r.ts,
    tsIso: r.ts_iso,
    durationMs: usToMs(r.duration_us) ?? 0,
    serverId: r.server_id,
    method: r.method,
    target: r.target,
    status: r.status,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    sessionId: r.session_id,
    clientName: r.client_name,
    clientVersion: r.client_version,
    bytesIn: r.bytes_in,
    bytesOut: r.bytes_out,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export interface TimeCursor {
  tsIso: string;
  id: string;
}

export function encodeTimeCursor(c: TimeCursor): string {
  return encodeCursor({ t: c.tsIso, id: c.id });
}

export function decodeTimeCursor(cursor: string): TimeCursor {
  const v = decodeCursor(cursor);
  if (!v || typeof v.t !== "string" || !ISO.test(v.t) || typeof v.id !== "string" || !UUID.test(v.id)) {
    throw new AnalyticsInputError("invalid_cursor", "The page cursor is not valid for this list; start again from the first page.");
  }
  return { tsIso: v.t, id: v.id };
}

export function isUuid(s: string): boolean {
  return UUID.test(s);
}
