import { uuidv7 } from "../../proxy-agent/src/util/uuidv7";
import type { CallRecord, IngestBatch } from "../../proxy-agent/src/wire";

/** A plausible `tools/call` record; override any field. */
export function makeRecord(overrides: Partial<CallRecord> = {}): CallRecord {
  const ts = overrides.ts ?? Date.now();
  return {
    id: uuidv7(ts),
    ts,
    durationUs: 12_345,
    serverId: "weather",
    transport: "http",
    kind: "request",
    direction: "c2s",
    sessionId: "session-1",
    clientName: "Claude",
    clientVersion: "1.0.0",
    method: "tools/call",
    target: "get_forecast",
    rpcId: "1",
    status: "ok",
    errorCode: null,
    errorMessage: null,
    bytesIn: 120,
    bytesOut: 2048,
    seq: 1,
    httpStatus: 200,
    payload: null,
    ...overrides,
  };
}

export function makeBatch(records: CallRecord[], overrides: Partial<IngestBatch> = {}): IngestBatch {
  return { agent: { name: "tapline", version: "0.1.0", serverId: "weather" }, records, snapshots: [], dropped: 0, ...overrides };
}
