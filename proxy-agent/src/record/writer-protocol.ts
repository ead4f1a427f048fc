import type { CallRecord, SchemaSnapshot } from "../wire";

/** Messages between `SqliteRecordSink` (the proxy's thread) and the writer worker that owns the database. */

export interface WriterWorkerData {
  dbPath: string;
  capturePayloads: boolean;
  /** `RegExp` does not cross threads; its source and flags do. */
  redactKeysSource: string;
  redactKeysFlags: string;
}

export type ToWriter =
  | { type: "batch"; batch: number; records: CallRecord[]; snapshots: SchemaSnapshot[] }
  | { type: "prune"; cutoffMs: number }
  | { type: "flush"; id: number }
  | { type: "close"; id: number };

export type FromWriter =
  | { type: "written"; batch: number; records: number }
  | { type: "failed"; batch: number; records: number; code: string; message: string }
  | { type: "pruned"; removed: number }
  | { type: "prune_failed"; code: string; message: string }
  | { type: "flushed"; id: number }
  | { type: "closed"; id: number };

/** The SQLite error code (`SQLITE_FULL`, `SQLITE_READONLY`, …) or the errno code, for counting and logging by kind. */
export function errorCode(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "UNKNOWN";
}
