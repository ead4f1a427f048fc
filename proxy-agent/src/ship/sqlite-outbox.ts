/**
 * The local SQLite store read as the cloud's outbox. Runs in the shipping worker on its own
 * connection (WAL: it never blocks the writer for long, and never the forwarding thread).
 */
import type { StoreDb } from "../record/store-database";
import { pragmaValue } from "../record/sqlite-pragma";
import { addDroppedUnsent, droppedUnsent } from "../record/dropped-unsent";
import type { CallRecord, SchemaSnapshot } from "../wire";
import type { Outbox, OutboxBatch, OutboxCursor, OutboxStats } from "./outbox";

interface CallRow {
  row_seq: number;
  id: string;
  ts: number;
  duration_us: number;
  server_id: string;
  transport: CallRecord["transport"];
  kind: CallRecord["kind"];
  direction: CallRecord["direction"];
  session_id: string | null;
  client_name: string | null;
  client_version: string | null;
  method: string;
  target: string | null;
  rpc_id: string | null;
  status: CallRecord["status"];
  error_code: number | null;
  error_message: string | null;
  bytes_in: number;
  bytes_out: number;
  seq: number;
  http_status: number | null;
  payload: string | null;
}

interface SnapshotRow {
  row_seq: number;
  id: string;
  server_id: string;
  kind: SchemaSnapshot["kind"];
  hash: string;
  canonical: string;
  first_seen: number;
}

const MAX_SNAPSHOTS_PER_BATCH = 20;

export function callRecordFromRow(r: CallRow): CallRecord {
  return {
    id: r.id,
    ts: r.ts,
    durationUs: r.duration_us,
    serverId: r.server_id,
    transport: r.transport,
    kind: r.kind,
    direction: r.direction,
    sessionId: r.session_id,
    clientName: r.client_name,
    clientVersion: r.client_version,
    method: r.method,
    target: r.target,
    rpcId: r.rpc_id,
    status: r.status,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    bytesIn: r.bytes_in,
    bytesOut: r.bytes_out,
    seq: r.seq,
    httpStatus: r.http_status,
    payload: r.payload ? (JSON.parse(r.payload) as CallRecord["payload"]) : null,
  };
}

export class SqliteOutbox implements Outbox {
  private readonly selectCalls;
  private readonly selectSnapshots;
  private readonly selectCursor;
  private readonly upsertCursor;

  constructor(
    private readonly db: StoreDb,
    /** The cloud this cursor belongs to (its origin): a store can ship to a second cloud from the start. */
    private readonly destination: string,
  ) {
    this.selectCalls = db.prepare("SELECT * FROM calls WHERE row_seq > ? ORDER BY row_seq LIMIT ?");
    this.selectSnapshots = db.prepare(
      "SELECT row_seq, id, server_id, kind, hash, canonical, first_seen FROM schema_snapshots WHERE row_seq > ? ORDER BY row_seq LIMIT ?",
    );
    this.selectCursor = db.prepare("SELECT calls_seq, snapshots_seq FROM outbox_cursor WHERE destination = ?");
    this.upsertCursor = db.prepare(
      `INSERT INTO outbox_cursor (destination, calls_seq, snapshots_seq, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (destination) DO UPDATE SET calls_seq = excluded.calls_seq, snapshots_seq = excluded.snapshots_seq, updated_at = excluded.updated_at`,
    );
  }

  cursor(): OutboxCursor {
    const row = this.selectCursor.get(this.destination) as { calls_seq: number; snapshots_seq: number } | undefined;
    if (!row) {
      // A destination seen for the first time starts from the beginning of the store.
      this.upsertCursor.run(this.destination, 0, 0, Date.now());
      return { calls: 0, snapshots: 0 };
    }
    return { calls: row.calls_seq, snapshots: row.snapshots_seq };
  }

  next(maxRecords: number): OutboxBatch | null {
    const from = this.cursor();
    const calls = this.selectCalls.all(from.calls, maxRecords) as CallRow[];
    const snaps = this.selectSnapshots.all(from.snapshots, MAX_SNAPSHOTS_PER_BATCH) as SnapshotRow[];
    if (!calls.length && !snaps.length) return null;
    return {
      records: calls.map(callRecordFromRow),
      snapshots: snaps.map((s) => ({ id: s.id, serverId: s.server_id, kind: s.kind, hash: s.hash, canonical: s.canonical, capturedAt: s.first_seen })),
      cursor: { calls: calls.at(-1)?.row_seq ?? from.calls, snapshots: snaps.at(-1)?.row_seq ?? from.snapshots },
    };
  }

  ack(cursor: OutboxCursor): void {
    this.upsertCursor.run(this.destination, cursor.calls, cursor.snapshots, Date.now());
  }

  stats(): OutboxStats {
    const { calls } = this.cursor();
    const backlog = (this.db.prepare("SELECT count(*) AS n FROM calls WHERE row_seq > ?").get(calls) as { n: number }).n;
    return { backlog, dropped: droppedUnsent(this.db) };
  }

  enforceCap(maxBytes: number): number {
    const used = (Number(pragmaValue(this.db, "page_count")) - Number(pragmaValue(this.db, "freelist_count"))) * Number(pragmaValue(this.db, "page_size"));
    if (used <= maxBytes) return 0;
    const { calls } = this.cursor();
    const total = (this.db.prepare("SELECT count(*) AS n FROM calls").get() as { n: number }).n;
    const unsent = (this.db.prepare("SELECT count(*) AS n FROM calls WHERE row_seq > ?").get(calls) as { n: number }).n;
    if (!total || !unsent) return 0;
    const perRow = used / total;
    const excess = Math.min(unsent, Math.ceil((unsent * perRow - maxBytes) / perRow));
    if (excess <= 0) return 0;
    let removed = 0;
    this.db.exec("BEGIN IMMEDIATE");
    try {
      removed = this.db
        .prepare("DELETE FROM calls WHERE row_seq IN (SELECT row_seq FROM calls WHERE row_seq > ? ORDER BY row_seq LIMIT ?)")
        .run(calls, excess).changes;
      addDroppedUnsent(this.db, removed);
      this.db.exec("COMMIT");
    } catch (e) {
      if (this.db.inTransaction) this.db.exec("ROLLBACK");
      throw e;
    }
    return removed;
  }
}
