import type { CallRecord } from "../../wire";
import { openStoreForWriting } from "../store-database";
import { StoreWriter } from "../store-writer";
import { makeCallRecord, makeToolsSnapshot } from "./call-record-fixture";

export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

/** The seeded store every query test reads: two sessions on `srv`, one call on `other`. */
function seedRecords(): CallRecord[] {
  const call = (o: Partial<CallRecord>) => makeCallRecord({ sessionId: "s1-aaaa", clientName: "Claude", ...o });
  return [
    call({ ts: T0, method: "initialize", target: null, durationUs: 2_000, seq: 1, bytesIn: 50, bytesOut: 150 }),
    call({ ts: T0 + 100, target: "search", durationUs: 10_000, seq: 2, bytesIn: 100, bytesOut: 1000 }),
    call({ ts: T0 + 200, target: "search", durationUs: 40_000, seq: 3, bytesIn: 400, bytesOut: 4000, status: "tool_error", errorMessage: "User 42 not found" }),
    call({ ts: T0 + 300, target: "search", durationUs: 20_000, seq: 4, bytesIn: 200, bytesOut: 2000 }),
    call({ ts: T0 + 400, target: "search", durationUs: 30_000, seq: 5, bytesIn: 300, bytesOut: 3000, status: "tool_error", errorMessage: "User 7 not found" }),
    call({ ts: T0 + 450, kind: "notification", method: "notifications/progress", target: null, durationUs: 0, seq: 0, rpcId: null }),
    call({ ts: T0 + 1000, sessionId: "s2-bbbb", clientName: "Cursor", target: "fetch", durationUs: 600_000, seq: 1, status: "rpc_error", errorCode: -32602, errorMessage: "Invalid params: \"url\" is required" }),
    call({ ts: T0 + 2000, sessionId: "s2-bbbb", clientName: "Cursor", target: "fetch", durationUs: 900_000, seq: 2, status: "timeout" }),
    call({ ts: T0 + 3000, sessionId: "s2-bbbb", clientName: "Cursor", target: "fetch", durationUs: 5_000, seq: 3, status: "cancelled" }),
    call({ ts: T0 + 500, serverId: "other", sessionId: "s3-cccc", clientName: null, target: "search", durationUs: 1_000, seq: 1 }),
  ];
}

/** Writes the seeded records and two versions of `srv`'s tool list to a new store at `path`. */
export function seedStore(path: string): void {
  const db = openStoreForWriting(path);
  try {
    new StoreWriter(db, { capture: false, redactKeys: /x/ }).write(seedRecords(), [
      makeToolsSnapshot([{ name: "search", description: "Find" }, { name: "fetch" }], T0 - 1000),
      makeToolsSnapshot([{ name: "search", description: "Find things" }, { name: "fetch" }, { name: "unused" }], T0 - 500),
    ]);
  } finally {
    db.close();
  }
}
