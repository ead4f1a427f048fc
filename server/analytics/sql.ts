/**
 * SQL fragments and row converters shared by the views. Every query built from these starts with
 * `project_id = $1 AND ts >= $2 AND ts < $3` so that PostgreSQL prunes the daily partitions of
 * `call_events` and never reads another project's rows.
 */

/** Scope and range filter; parameters $1 project, $2 from, $3 to. */
export const IN_SCOPE = `project_id = $1 AND ts >= $2 AND ts < $3`;

/** What the dashboard counts as a call: a JSON-RPC request the client sent to the server. */
export const IS_CALL = `kind = 'request' AND direction = 'c2s'`;

/** A tool call: `tools/call` requests, grouped by `target` (the tool name). */
export const IS_TOOL_CALL = `${IS_CALL} AND method = 'tools/call'`;

/** p50, p95, p99 of duration (µs), linear interpolation between the closest ranks (percentile_cont). */
export const PERCENTILES = `percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_us)`;

/** Error count: every call whose status is not `ok`. */
export const ERRORS = `count(*) FILTER (WHERE status <> 'ok')`;

/** Microseconds → milliseconds, rounded to the microsecond. */
export function usToMs(us: number | string | null | undefined): number | null {
  if (us === null || us === undefined) return null;
  return Math.round(Number(us)) / 1000;
}

/** pg returns int8/numeric as strings; counts here are cast to float8 in SQL but be lenient. */
export function num(v: number | string | null | undefined): number {
  return v === null || v === undefined ? 0 : Number(v);
}

/** errors / calls in 0..1 (0 when there were no calls). */
export function rate(errors: number, calls: number): number {
  return calls > 0 ? errors / calls : 0;
}

export interface Percentiles {
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

/** The float8[] of PERCENTILES (µs) → ms; all null when the group had no rows. */
export function toPercentiles(pct: (number | null)[] | null | undefined): Percentiles {
  return { p50Ms: usToMs(pct?.[0]), p95Ms: usToMs(pct?.[1]), p99Ms: usToMs(pct?.[2]) };
}

/** Relative change (current - previous) / previous; null when there is nothing to compare with. */
export function relativeDelta(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / previous;
}

/** A keyset cursor: opaque to the client, base64url JSON. */
export function encodeCursor(value: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

export function decodeCursor(cursor: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Exact timestamptz as ISO text with microseconds (JS Dates keep only ms; cursors need µs). */
export function isoMicros(column = "ts"): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

