import { appendFileSync, readFileSync } from "node:fs";
import type { RecordSink } from "../../record/sink";
import type { CallRecord, SchemaSnapshot } from "../../wire";

/** A RecordSink for a proxy running in a child process: one JSON line per record, read back by the test. */
export class JsonlFileSink implements RecordSink {
  constructor(private readonly path: string) {}

  record(record: CallRecord): void {
    appendFileSync(this.path, JSON.stringify({ record }) + "\n");
  }
  snapshot(snapshot: SchemaSnapshot): void {
    appendFileSync(this.path, JSON.stringify({ snapshot }) + "\n");
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

export function readJsonlRecords(path: string): { records: CallRecord[]; snapshots: SchemaSnapshot[] } {
  const records: CallRecord[] = [];
  const snapshots: SchemaSnapshot[] = [];
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return { records, snapshots };
  }
  for (const line of text.split("\n")) {
    if (line === "") continue;
    const item = JSON.parse(line) as { record?: CallRecord; snapshot?: SchemaSnapshot };
    if (item.record) records.push(item.record);
    if (item.snapshot) snapshots.push(item.snapshot);
  }
  return { records, snapshots };
}
