import type { RecordSink } from "../../record/sink";
import { CallRecordSchema, SchemaSnapshotSchema, type CallRecord, type SchemaSnapshot } from "../../wire";

/**
 * A RecordSink that keeps everything in memory, validating each item against the wire schema
 * (so a test fails on any record the cloud would reject). Tests wait on it instead of sleeping.
 */
export class MemoryRecordSink implements RecordSink {
  readonly records: CallRecord[] = [];
  readonly snapshots: SchemaSnapshot[] = [];
  private waiters: Array<() => void> = [];

  record(record: CallRecord): void {
    this.records.push(CallRecordSchema.parse(record));
    this.wake();
  }

  snapshot(snapshot: SchemaSnapshot): void {
    this.snapshots.push(SchemaSnapshotSchema.parse(snapshot));
    this.wake();
  }

  async flush(): Promise<void> {}
  async close(): Promise<void> {}

  /** Resolves once `predicate` holds over what was received; rejects after `timeoutMs` with what was seen. */
  async waitFor(predicate: (sink: MemoryRecordSink) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.records.map((r) => `${r.kind} ${r.method} ${r.target ?? ""} ${r.status}`).join("\n  ");
        throw new Error(`records never matched; received:\n  ${seen}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  requests(method?: string): CallRecord[] {
    return this.records.filter((r) => r.kind === "request" && (method === undefined || r.method === method));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
