import type { StoreDb } from "../store-database";
import { callsWhere, usToMs, type QueryFilter } from "./query-filter";

export interface SlowCall {
  id: string;
  ts: number;
  serverId: string;
  sessionId: string | null;
  clientName: string | null;
  method: string;
  target: string | null;
  durationMs: number;
  status: string;
  errorCode: number | null;
}

/** Requests that took at least `thresholdMs`, slowest first. */
export function querySlowCalls(db: StoreDb, filter: QueryFilter, thresholdMs: number, limit: number): SlowCall[] {
  const { where, params } = callsWhere(filter, ["kind = 'request'", "duration_us >= ?"]);
  return db
    .prepare(
      `SELECT id, ts, server_id AS serverId, session_id AS sessionId, client_name AS clientName, method, target,
              duration_us, status, error_code AS errorCode
       FROM calls ${where} ORDER BY duration_us DESC, ts DESC LIMIT ?`,
    )
    .all(Math.ceil(thresholdMs * 1000), ...params, limit)
    .map((row) => {
      const { duration_us, _metadata, ...rest } = row as SlowCall & { duration_us: number; _metadata?: unknown };
      return { ...rest, durationMs: usToMs(duration_us) };
    });
}
