import type { CallRecord, SchemaSnapshot } from "../wire";

/** Position in the outbox: everything up to these insertion sequence numbers was acknowledged. */
export interface OutboxCursor {
  calls: number;
  snapshots: number;
}

export interface OutboxBatch {
  records: CallRecord[];
  snapshots: SchemaSnapshot[];
  /** The cursor to acknowledge once the cloud has stored this batch. */
  cursor: OutboxCursor;
}

export interface OutboxStats {
  /** Records stored locally and not yet acknowledged by the cloud. */
  backlog: number;
  /** Records dropped unsent since the store was created (disk cap, retention). Cumulative. */
  dropped: number;
}

/**
 * The local store seen as a queue for the cloud. Nothing is removed on acknowledgement: the
 * cursor only moves, and local analytics keep every record until retention.
 */
export interface Outbox {
  next(maxRecords: number): OutboxBatch | null;
  ack(cursor: OutboxCursor): void;
  stats(): OutboxStats;
  /** Drops the oldest unsent records while the store is larger than `maxBytes`; returns how many. */
  enforceCap(maxBytes: number): number;
}
