import type { StoreDb } from "../store-database";
import { callsWhere, FAILED_STATUS_SQL, type QueryFilter } from "./query-filter";
import { normalizeErrorMessage } from "../../util/normalize-error-message";

export interface ErrorGroup {
  /** Tool name, resource URI or prompt name; the method when the call had no target. */
  target: string;
  status: string;
  errorCode: number | null;
  /** The message with numbers, ids, paths and quoted strings replaced by placeholders. */
  message: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** One raw message of the group (the latest), to see what the placeholders stood for. */
  example: string | null;
}

interface Row {
  target: string;
  status: string;
  error_code: number | null;
  error_message: string | null;
  ts: number;
}

/** Failed requests grouped by target + status/code + normalised message, most frequent first. */
export function queryErrorGroups(db: StoreDb, filter: QueryFilter, limit: number): ErrorGroup[] {
  const { where, params } = callsWhere(filter, ["kind = 'request'", FAILED_STATUS_SQL]);
  const rows = db
    .prepare(`SELECT coalesce(target, method) AS target, status, error_code, error_message, ts FROM calls ${where} ORDER BY ts`)
    .iterate(...params) as IterableIterator<Row>;
  const groups = new Map<string, ErrorGroup>();
  for (const row of rows) {
    const message = normalizeErrorMessage(row.error_message);
    const key = JSON.stringify([row.target, row.status, row.error_code, message]);
    const group = groups.get(key);
    if (group) {
      group.count++;
      group.lastSeen = row.ts;
      group.example = row.error_message ?? group.example;
    } else {
      groups.set(key, {
        target: row.target,
        status: row.status,
        errorCode: row.error_code,
        message,
        count: 1,
        firstSeen: row.ts,
        lastSeen: row.ts,
        example: row.error_message,
      });
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || b.lastSeen - a.lastSeen).slice(0, limit);
}
