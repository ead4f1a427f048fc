import type { StoreDb } from "../store-database";
import { callsWhere, FAILED_STATUS_SQL, type QueryFilter } from "./query-filter";

export interface SessionSummary {
  sessionId: string;
  serverId: string;
  clientName: string | null;
  clientVersion: string | null;
  startedAt: number;
  endedAt: number;
  durationMs: number;
  /** Requests (notifications and passthrough excluded). */
  calls: number;
  errors: number;
}

// The last end time includes the duration of the last call, so a one-call session lasts as long as its call.
const SUMMARY_COLUMNS = `
  session_id AS sessionId, min(server_id) AS serverId, max(client_name) AS clientName, max(client_version) AS clientVersion,
  min(ts) AS startedAt, max(ts + duration_us / 1000.0) AS endedAt,
  sum(kind = 'request') AS calls, sum(kind = 'request' AND ${FAILED_STATUS_SQL}) AS errors`;

/** Sessions active in the window, most recent first. */
export function querySessions(db: StoreDb, filter: QueryFilter, limit: number): SessionSummary[] {
  const { where, params } = callsWhere(filter, ["session_id IS NOT NULL"]);
  return db
    .prepare(`SELECT ${SUMMARY_COLUMNS} FROM calls ${where} GROUP BY session_id ORDER BY endedAt DESC LIMIT ?`)
    .all(...params, limit)
    .map((row) => toSummary(row));
}

export function toSummary(row: unknown): SessionSummary {
  const { _metadata, ...r } = row as Omit<SessionSummary, "durationMs"> & { _metadata?: unknown };
  return { ...r, durationMs: r.endedAt - r.startedAt };
}

export { SUMMARY_COLUMNS };
