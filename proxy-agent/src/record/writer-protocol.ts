import type { CallRecord, SchemaSnapshot } from "../wire";

/** Messages between `SqliteRecordSink` (the proxy's thread) and the writer worker that owns the database. */

export interface WriterWorkerData {
  dbPath: string;
  capturePayloads: boolean;
  /** `RegExp` does not cross threads; its source and flags do. */
  redactKeysSource: string;
  redactKeysFlags: string;
}

/**
 * A batch of records crosses threads packed: the scalar fields of every record in one flat array
 * (`PACKED_FIELDS` per record, in `packRecord`'s order), sent as one JSON string. Copying one string
 * is far cheaper on the forwarding thread than structured-cloning an object with 21 properties per
 * record, and the worker binds the values straight from the array. Payloads (only with
 * `--capture-payloads`) stay objects, one per record, or the whole array is null when none has one.
 */
export interface PackedRecords {
  count: number;
  /** JSON of the flat array of scalar fields. */
  rows: string;
  payloads: CallRecord["payload"][] | null;
}

export type ToWriter =
  | ({ type: "batch"; batch: number; snapshots: SchemaSnapshot[] } & PackedRecords)
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

/** Scalar fields per record in a packed batch (every `CallRecord` field but `payload`), in the `calls` column order. */
export const PACKED_FIELDS = 20;

/** Appends a record's scalar fields to a packed batch, in the order of the `calls` columns. */
export function packRecord(out: unknown[], r: CallRecord): void {
  out.push(
    r.id, r.ts, r.durationUs, r.serverId, r.transport, r.kind, r.direction, r.sessionId, r.clientName, r.clientVersion,
    r.method, r.target, r.rpcId, r.status, r.errorCode, r.errorMessage, r.bytesIn, r.bytesOut, r.seq, r.httpStatus,
  );
}

/** Packs records the way `SqliteRecordSink` does (tests, seeding, `StoreWriter.write`). */
export function packRecords(records: readonly CallRecord[]): PackedRecords {
  const values: unknown[] = [];
  let payloads: CallRecord["payload"][] | null = null;
  records.forEach((r, i) => {
    packRecord(values, r);
    if (r.payload !== null && r.payload !== undefined) (payloads ??= new Array<CallRecord["payload"]>(records.length).fill(null))[i] = r.payload;
  });
  return { count: records.length, rows: JSON.stringify(values), payloads };
}
