import type { CallRecord, SchemaSnapshot } from "../wire";

/**
 * Where the proxy's tap hands what it observed. The contract between the forwarding
 * path (transport/, mcp/) and everything that persists or ships (record/, ship/).
 *
 * `record` and `snapshot` are called on the hot path: they must return at once,
 * never throw, and never wait for I/O. Implementations queue and write in batches.
 */
export interface RecordSink {
  record(record: CallRecord): void;
  /** A merged `*​/list` result; the sink stores it only when its hash differs from the last one of that kind. */
  snapshot(snapshot: SchemaSnapshot): void;
  /** Writes everything queued so far (graceful shutdown, tests). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** Counters the proxy keeps about itself; shown by `tapline status` and logged on shutdown. */
export interface TapCounters {
  /** Messages the tap could not parse (they were forwarded untouched). */
  tapErrors: number;
  /** Records the sink could not store (disk full, locked database); traffic continued. */
  recordErrors: number;
  /** Records dropped because the in-memory queue was full. */
  recordsDropped: number;
}
