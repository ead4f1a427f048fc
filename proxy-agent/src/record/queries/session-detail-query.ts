import type { StoreDb } from "../store-database";
import { SUMMARY_COLUMNS, toSummary, type SessionSummary } from "./sessions-query";
import { usToMs } from "./query-filter";

export interface SessionCall {
  seq: number;
  ts: number;
  /** Since the session's first call. */
  offsetMs: number;
  kind: string;
  direction: string;
  method: string;
  target: string | null;
  durationMs: number;
  status: string;
  errorCode: number | null;
  errorMessage: string | null;
}

export interface SessionDetail extends SessionSummary {
  calls: number;
  sequence: SessionCall[];
}

export type SessionLookup =
  | { found: "one"; session: SessionDetail }
  | { found: "none" }
  | { found: "many"; sessionIds: string[] };

// Upper bound for a prefix range scan: sorts after any text that starts with the prefix (BINARY collation).
const MAX_CHAR = "\u{10FFFF}";

/** The session whose id starts with `prefix` (unique), with its calls in order. */
export function querySession(db: StoreDb, prefix: string, serverId: string | undefined): SessionLookup {
  const serverClause = serverId === undefined ? "" : "AND server_id = ?";
  const serverParams = serverId === undefined ? [] : [serverId];
  const ids = db
    .prepare(`SELECT DISTINCT session_id AS id FROM calls WHERE session_id >= ? AND session_id < ? ${serverClause} LIMIT 6`)
    .all(prefix, prefix + MAX_CHAR, ...serverParams)
    .map((r) => (r as { id: string }).id);
  if (ids.length === 0) return { found: "none" };
  // An exact id wins even when it is also the prefix of a longer one.
  const id = ids.includes(prefix) ? prefix : ids.length === 1 ? ids[0]! : undefined;
  if (id === undefined) return { found: "many", sessionIds: ids.slice(0, 5) };
  const summary = toSummary(db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM calls WHERE session_id = ? GROUP BY session_id`).get(id));
  const sequence = db
    .prepare(
      `SELECT seq, ts, kind, direction, method, target, duration_us, status, error_code AS errorCode, error_message AS errorMessage
       FROM calls WHERE session_id = ? ORDER BY ts, seq`,
    )
    .all(id)
    .map((row) => {
      const { duration_us, _metadata, ...rest } = row as Omit<SessionCall, "durationMs" | "offsetMs"> & { duration_us: number; _metadata?: unknown };
      return { ...rest, offsetMs: rest.ts - summary.startedAt, durationMs: usToMs(duration_us) };
    });
  return { found: "one", session: { ...summary, sequence } };
}
