import { makeCallRecord } from "../../proxy-agent/src/record/testing/call-record-fixture";
import type { CallRecord, IngestBatch } from "../../proxy-agent/src/wire";

/** A plausible `tools/call` record of the "weather" server; override any field. */
export function makeRecord(overrides: Partial<CallRecord> = {}): CallRecord {
  return makeCallRecord({ serverId: "weather", target: "get_forecast", durationUs: 12_345, bytesIn: 120, bytesOut: 2048, ...overrides });
}

export function makeBatch(records: CallRecord[], overrides: Partial<IngestBatch> = {}): IngestBatch {
  return { agent: { name: "tapline", version: "0.1.0", serverId: "weather" }, records, snapshots: [], dropped: 0, ...overrides };
}
