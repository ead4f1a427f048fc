import type { CallRecord, SchemaSnapshot } from "../../wire";
import { uuidv7 } from "../../util/uuidv7";
import { canonicalJson, sha256Hex } from "../../util/canonical-json";

/** A valid `tools/call` record at `ts`; tests override what they assert on. */
export function makeCallRecord(overrides: Partial<CallRecord> = {}): CallRecord {
  const ts = overrides.ts ?? Date.now();
  return {
    id: uuidv7(ts),
    ts,
    durationUs: 1000,
    serverId: "srv",
    transport: "http",
    kind: "request",
    direction: "c2s",
    sessionId: "session-1",
    clientName: "Claude",
    clientVersion: "1.0.0",
    method: "tools/call",
    target: "echo",
    rpcId: "1",
    status: "ok",
    errorCode: null,
    errorMessage: null,
    bytesIn: 100,
    bytesOut: 200,
    seq: 1,
    httpStatus: 200,
    payload: null,
    ...overrides,
  };
}

/** A `tools` snapshot of the given tool list (canonical JSON of the array, as the tap builds it). */
export function makeToolsSnapshot(tools: unknown[], capturedAt: number, serverId = "srv"): SchemaSnapshot {
  const canonical = canonicalJson(tools);
  return { id: uuidv7(capturedAt), serverId, kind: "tools", hash: sha256Hex(canonical), canonical, capturedAt };
}

export const silentLogger = { info() {}, warn() {}, error() {}, debug() {} };

/** A logger that keeps what it was told, for asserting "logged once". */
export function capturingLogger(): { lines: string[]; info(m: string): void; warn(m: string): void; error(m: string): void; debug(m: string): void } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => void lines.push(`${level}: ${m}`);
  return { lines, info: push("info"), warn: push("warn"), error: push("error"), debug: push("debug") };
}
