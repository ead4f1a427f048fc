import type { CallRecord, SchemaSnapshot } from "../wire";
import type { StoreDb } from "./store-database";
import { redactSecrets } from "./payload-redaction";
import { addDroppedUnsent, lowestAcknowledgedCall } from "./dropped-unsent";
import { PACKED_FIELDS, packRecords, type PackedRecords } from "./writer-protocol";

const CALL_COLUMNS = `(id, ts, duration_us, server_id, transport, kind, direction, session_id, client_name,
         client_version, method, target, rpc_id, status, error_code, error_message, bytes_in, bytes_out, seq, http_status, payload)`;
const CALL_VALUES = `(${new Array(PACKED_FIELDS + 1).fill("?").join(", ")})`;
/** Rows bound per multi-row INSERT: each statement crosses into SQLite once for this many calls. */
const ROWS_PER_INSERT = 25;

/** What the writer does with payloads: the privacy policy is enforced here, whatever the tap handed over. */
export interface PayloadPolicy {
  capture: boolean;
  redactKeys: RegExp;
}

/**
 * Synchronous batch writes to an open store. Runs inside the writer worker, never on the thread
 * that forwards traffic. Each batch is one transaction: it is stored whole or not at all.
 */
export class StoreWriter {
  private readonly insertCall;
  private readonly insertCalls;
  private readonly latestSnapshot;
  private readonly touchSnapshot;
  private readonly insertSnapshot;

  constructor(
    private readonly db: StoreDb,
    private readonly payloads: PayloadPolicy,
  ) {
    this.insertCall = db.prepare(`INSERT OR IGNORE INTO calls ${CALL_COLUMNS} VALUES ${CALL_VALUES}`);
    this.insertCalls = db.prepare(`INSERT OR IGNORE INTO calls ${CALL_COLUMNS} VALUES ${new Array(ROWS_PER_INSERT).fill(CALL_VALUES).join(", ")}`);
    this.latestSnapshot = db.prepare(
      "SELECT id, hash FROM schema_snapshots WHERE server_id = ? AND kind = ? ORDER BY first_seen DESC, id DESC LIMIT 1",
    );
    this.touchSnapshot = db.prepare("UPDATE schema_snapshots SET last_seen = max(last_seen, ?) WHERE id = ?");
    this.insertSnapshot = db.prepare(
      "INSERT OR IGNORE INTO schema_snapshots (id, server_id, kind, hash, canonical, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
    );
  }

  /** Stores the batch in one transaction; throws the SQLite error (full disk, read-only, locked) for the caller to count. */
  write(records: readonly CallRecord[], snapshots: readonly SchemaSnapshot[]): void {
    this.writePacked(packRecords(records), snapshots);
  }

  /** `write` for a batch as it crossed from the proxy's thread (see `PackedRecords`). */
  writePacked(packed: PackedRecords, snapshots: readonly SchemaSnapshot[]): void {
    const values = JSON.parse(packed.rows) as unknown[];
    if (values.length !== packed.count * PACKED_FIELDS) throw new Error(`packed batch holds ${values.length} values for ${packed.count} records`);
    this.inTransaction(() => {
      let i = 0;
      for (; i + ROWS_PER_INSERT <= packed.count; i += ROWS_PER_INSERT) this.insertCalls.run(this.callRows(values, packed.payloads, i, ROWS_PER_INSERT));
      for (; i < packed.count; i++) this.insertCall.run(this.callRows(values, packed.payloads, i, 1));
      for (const s of snapshots) this.storeSnapshot(s);
    });
  }

  /**
   * BEGIN IMMEDIATE … COMMIT by hand: on SQLITE_FULL, SQLite has already rolled back, and the driver's
   * `transaction()` helper then fails its own ROLLBACK and reports that instead of the real cause.
   */
  private inTransaction(work: () => void): void {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      work();
      this.db.exec("COMMIT");
    } catch (e) {
      if (this.db.inTransaction) {
        try {
          this.db.exec("ROLLBACK");
        } catch {
          // The original error is the one worth reporting.
        }
      }
      throw e;
    }
  }

  /** Deletes calls older than `cutoffMs`, and snapshot versions last seen before it except each (server, kind)'s newest. */
  prune(cutoffMs: number): number {
    let calls = 0;
    this.inTransaction(() => {
      // Retention must not hide a loss: rows the cloud never acknowledged are counted as dropped.
      const acked = lowestAcknowledgedCall(this.db);
      if (acked !== null) {
        const unsent = this.db.prepare("SELECT count(*) AS n FROM calls WHERE ts < ? AND row_seq > ?").get(cutoffMs, acked) as { n: number };
        addDroppedUnsent(this.db, unsent.n);
      }
      calls = this.db.prepare("DELETE FROM calls WHERE ts < ?").run(cutoffMs).changes;
      this.db
      .prepare(
        `DELETE FROM schema_snapshots WHERE last_seen < ? AND id NOT IN (
           SELECT (SELECT id FROM schema_snapshots s2 WHERE s2.server_id = s1.server_id AND s2.kind = s1.kind
                   ORDER BY first_seen DESC, id DESC LIMIT 1)
           FROM schema_snapshots s1 GROUP BY server_id, kind)`,
      )
        .run(cutoffMs);
    });
    return calls;
  }

  private storeSnapshot(s: SchemaSnapshot): void {
    const latest = this.latestSnapshot.get(s.serverId, s.kind) as { id: string; hash: string } | undefined;
    if (latest?.hash === s.hash) this.touchSnapshot.run(s.capturedAt, latest.id);
    else this.insertSnapshot.run(s.id, s.serverId, s.kind, s.hash, s.canonical, s.capturedAt, s.capturedAt);
  }

  /** Bind values of `count` calls from record `first` on: each record's packed fields, then its stored payload. */
  private callRows(values: readonly unknown[], payloads: PackedRecords["payloads"], first: number, count: number): unknown[] {
    const row: unknown[] = [];
    for (let r = first; r < first + count; r++) {
      for (let f = r * PACKED_FIELDS, end = f + PACKED_FIELDS; f < end; f++) row.push(values[f]);
      const payload = payloads?.[r];
      row.push(this.payloads.capture && payload ? JSON.stringify(redactSecrets(payload, this.payloads.redactKeys)) : null);
    }
    return row;
  }
}
