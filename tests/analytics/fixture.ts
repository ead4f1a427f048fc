/**
 * Two projects seeded through the real ingestion path (storeBatch) with hand-built records, so
 * that every expected number in the analytics tests can be worked out by hand. All times are
 * relative to T0; the range under test is R = [T0, T0 + 1 h), its previous period [T0 - 1 h, T0).
 */
import pg from "pg";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { makeBatch, makeRecord } from "../support/records";
import { createPool } from "../../server/db/pool";
import { PartitionManager } from "../../server/ingest/partitions";
import { storeBatch } from "../../server/ingest/store-batch";
import { canonicalJson, sha256Hex } from "../../proxy-agent/src/util/canonical-json";
import { uuidv7 } from "../../proxy-agent/src/util/uuidv7";
import type { CallRecord, SchemaSnapshot } from "../../proxy-agent/src/wire";

export const T0 = Date.UTC(2026, 10, 20, 10, 0, 0);
export const MIN = 60_000;
export const R = { from: new Date(T0), to: new Date(T0 + 60 * MIN) };
export const A = "project-a";
export const B = "project-b";

export const TOOLS_V1 = [
  { name: "alpha", description: "Alpha v1", inputSchema: { type: "object", properties: { q: { type: "string" } } } },
  { name: "beta", description: "Beta", inputSchema: { type: "object" } },
  { name: "gamma", description: "Gamma", inputSchema: { type: "object" } },
];
export const TOOLS_V2 = [
  { name: "alpha", description: "Alpha v2", inputSchema: { type: "object", properties: { q: { type: "string" }, limit: { type: "integer" } } } },
  { name: "beta", description: "Beta", inputSchema: { type: "object" } },
  { name: "delta", description: "Never called", inputSchema: { type: "object" } },
];

export function snapshot(items: unknown[], capturedAt: number, kind: SchemaSnapshot["kind"] = "tools"): SchemaSnapshot {
  const canonical = canonicalJson(items);
  return { id: uuidv7(capturedAt), serverId: "weather", kind, hash: sha256Hex(canonical), canonical, capturedAt };
}

/** Durations (ms) of every call of project A in R, for expectations computed by the tests. */
export const A_DURATIONS_MS: number[] = [];

export const BETA_TOOL_ERRORS = ["timeout after 5003 ms on /tmp/a1b2", "timeout after 4999 ms on /tmp/c3d4", "timeout after 12 ms on /tmp/x/y", "timeout after 7 ms on /var/q/r"];

function projectARecords(): CallRecord[] {
  const out: CallRecord[] = [];
  // alpha: 100 calls, 1..100 ms, one per second from T0 + 1 s (minute 0: 59 calls, minute 1: 41).
  for (let i = 1; i <= 100; i++) {
    out.push(
      makeRecord({
        ts: T0 + i * 1000, durationUs: i * 1000, target: "alpha", sessionId: "s-1", seq: i, clientName: "Claude", clientVersion: "1.0.0",
        bytesOut: i * 10, payload: i === 50 ? { request: { name: "alpha", arguments: { q: "x" } }, response: { content: [] } } : null,
      }),
    );
  }
  // beta: 10 calls of 10 ms at minute 10; 4 tool errors differing only in numbers/paths, 2 rpc errors, 4 ok.
  for (let k = 0; k < 10; k++) {
    const base = { ts: T0 + 10 * MIN + k * 1000, durationUs: 10_000, target: "beta", sessionId: "s-2", seq: k + 1, clientName: "Cursor", clientVersion: "0.9" };
    if (k < 4) out.push(makeRecord({ ...base, status: "tool_error", errorMessage: BETA_TOOL_ERRORS[k]! }));
    else if (k < 6) out.push(makeRecord({ ...base, status: "rpc_error", errorCode: -32602, errorMessage: k === 4 ? "Unknown city 'Paris'" : "Unknown city 'Berlin'" }));
    else out.push(makeRecord(base));
  }
  // s-order: a session whose events arrive shuffled and whose timestamps disagree with seq.
  const s = { sessionId: "s-order", clientName: "ChatGPT", clientVersion: "2.0" };
  const t = T0 + 20 * MIN;
  const order = [
    makeRecord({ ...s, seq: 4, ts: t + 50, durationUs: 1000, method: "resources/read", target: "file:///readme" }),
    makeRecord({ ...s, seq: 2, ts: t + 100, durationUs: 200_000, target: "gamma" }),
    makeRecord({ ...s, seq: 1, ts: t, durationUs: 5000, method: "initialize", target: null }),
    makeRecord({ ...s, seq: 3, ts: t + 100, durationUs: 300_000, target: "gamma", status: "tool_error", errorMessage: "boom" }),
  ];
  out.push(...order);
  // Not calls: a server→client request and a notification (excluded from every call count).
  out.push(makeRecord({ ...s, seq: 0, ts: t + 10, durationUs: 0, kind: "notification", method: "notifications/progress", target: null }));
  for (const r of out) if (r.kind === "request" && r.direction === "c2s") A_DURATIONS_MS.push(r.durationUs / 1000);
  // Previous period: 20 alpha calls at T0 - 30 min, 2 of them failing.
  for (let j = 0; j < 20; j++) {
    out.push(
      makeRecord({ ts: T0 - 30 * MIN + j * 1000, durationUs: 1000, target: "alpha", sessionId: "s-prev", seq: j + 1, ...(j < 2 ? { status: "tool_error" as const, errorMessage: "x" } : {}) }),
    );
  }
  return out;
}

function projectBRecords(): CallRecord[] {
  return Array.from({ length: 5 }, (_, k) =>
    makeRecord({
      ts: T0 + 5 * MIN + k * 1000, durationUs: 7_000_000, target: "secret_tool", sessionId: "s-b", seq: k + 1, clientName: "B-Client", clientVersion: "9",
      ...(k === 0 ? { status: "tool_error" as const, errorMessage: "B-only failure 42" } : {}),
    }),
  );
}

export interface AnalyticsFixture {
  db: TestDatabase;
  pool: pg.Pool;
  close(): Promise<void>;
}

export async function seedAnalyticsFixture(): Promise<AnalyticsFixture> {
  const db = await createTestDatabase();
  const pool = createPool(db.url, 4);
  await pool.query(`INSERT INTO "Organization" (id, name, slug, "updatedAt") VALUES ('org', 'Org', 'org', now())`);
  for (const p of [A, B]) await pool.query(`INSERT INTO "Project" (id, "orgId", name, slug, "updatedAt") VALUES ($1, 'org', $1, $1, now())`, [p]);
  const partitions = new PartitionManager(pool, 2, 90);
  const a = projectARecords();
  // Two batches, the second re-sending part of the first: duplicates must not count twice.
  await storeBatch(pool, partitions, A, makeBatch(a.slice(0, 60), { snapshots: [snapshot(TOOLS_V1, T0 - 86_400_000)] }));
  await storeBatch(pool, partitions, A, makeBatch(a.slice(40), { snapshots: [snapshot(TOOLS_V2, T0 + 30 * MIN)] }));
  await storeBatch(pool, partitions, B, makeBatch(projectBRecords(), { snapshots: [snapshot([{ name: "secret_tool", description: "B" }], T0 + MIN)] }));
  return {
    db,
    pool,
    close: async () => {
      await pool.end();
      await db.drop();
    },
  };
}

/** Linear-interpolation percentile (what percentile_cont computes), for expectations. */
export function expectedPercentile(values: number[], q: number): number {
  const s = [...values].sort((x, y) => x - y);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return Math.round((s[lo]! + (s[hi]! - s[lo]!) * (pos - lo)) * 1000) / 1000;
}
