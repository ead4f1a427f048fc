import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStoreForReading, type StoreDb } from "../store-database";
import { seedStore, T0 } from "../testing/seeded-store";
import { percentileCont } from "./percentile";
import { queryStats } from "./stats-query";
import { querySlowCalls } from "./slow-query";
import { queryErrorGroups } from "./error-groups-query";
import { normalizeErrorMessage } from "../../util/normalize-error-message";
import { querySessions } from "./sessions-query";
import { querySession } from "./session-detail-query";
import { queryTools } from "./tools-query";
import { queryStatus } from "./status-query";

function seededDb(t: { after(fn: () => void): void }): { db: StoreDb; path: string } {
  const dir = mkdtempSync(join(tmpdir(), "tapline-queries-"));
  const path = join(dir, "tapline.db");
  seedStore(path);
  const db = openStoreForReading(path);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, path };
}

test("percentiles interpolate linearly between ranks, like PostgreSQL percentile_cont", () => {
  assert.equal(percentileCont([10, 20, 30, 40], 0.5), 25);
  assert.ok(Math.abs(percentileCont([10, 20, 30, 40], 0.95)! - 38.5) < 1e-9);
  assert.ok(Math.abs(percentileCont([10, 20, 30, 40], 0.99)! - 39.7) < 1e-9);
  assert.equal(percentileCont([7], 0.99), 7);
  assert.equal(percentileCont([], 0.5), null);
});

test("stats: per tool calls, error rate, exact percentiles, max and mean bytes", (t) => {
  const { db } = seededDb(t);
  const stats = queryStats(db, { serverId: "srv" });
  const search = stats.tools.find((g) => g.name === "search")!;
  assert.equal(search.calls, 4);
  assert.equal(search.errors, 2);
  assert.equal(search.errorRate, 0.5);
  assert.equal(search.p50Ms, 25);
  assert.ok(Math.abs(search.p95Ms - 38.5) < 1e-9);
  assert.ok(Math.abs(search.p99Ms - 39.7) < 1e-9);
  assert.equal(search.maxMs, 40);
  assert.equal(search.meanBytesIn, 250);
  assert.equal(search.meanBytesOut, 2500);
  const fetch = stats.tools.find((g) => g.name === "fetch")!;
  assert.deepEqual([fetch.calls, fetch.errors, fetch.p50Ms], [3, 2, 600], "cancelled is not an error");
  assert.deepEqual(stats.methods.map((m) => [m.name, m.calls]), [["tools/call", 7], ["initialize", 1]]);
  assert.deepEqual(stats.clients.map((c) => [c.name, c.calls]), [["Claude", 5], ["Cursor", 3]]);
  assert.deepEqual(queryStats(db, {}).clients.map((c) => c.name), ["Claude", "Cursor", "unknown"]);
});

test("stats: --since keeps only calls at or after the cutoff", (t) => {
  const { db } = seededDb(t);
  const stats = queryStats(db, { serverId: "srv", sinceMs: T0 + 1000 });
  assert.deepEqual(stats.tools.map((g) => [g.name, g.calls]), [["fetch", 3]]);
});

test("slow: calls at or over the threshold, slowest first, limited", (t) => {
  const { db } = seededDb(t);
  const slow = querySlowCalls(db, {}, 30, 10);
  assert.deepEqual(slow.map((c) => [c.target, c.durationMs, c.status]), [
    ["fetch", 900, "timeout"],
    ["fetch", 600, "rpc_error"],
    ["search", 40, "tool_error"],
    ["search", 30, "tool_error"],
  ]);
  assert.equal(querySlowCalls(db, {}, 30, 2).length, 2);
  assert.equal(Object.hasOwn(slow[0]!, "_metadata"), false);
});

test("errors: grouped by target, code and normalised message, with counts and first/last seen", (t) => {
  const { db } = seededDb(t);
  const groups = queryErrorGroups(db, { serverId: "srv" }, 10);
  assert.deepEqual(groups, [
    { target: "search", status: "tool_error", errorCode: null, message: "User <n> not found", count: 2, firstSeen: T0 + 200, lastSeen: T0 + 400, example: "User 7 not found" },
    { target: "fetch", status: "timeout", errorCode: null, message: "", count: 1, firstSeen: T0 + 2000, lastSeen: T0 + 2000, example: null },
    { target: "fetch", status: "rpc_error", errorCode: -32602, message: "Invalid params: <str> is required", count: 1, firstSeen: T0 + 1000, lastSeen: T0 + 1000, example: 'Invalid params: "url" is required' },
  ]);
});

test("error messages lose numbers, uuids, ids, paths, urls and quoted strings", () => {
  const cases: [string, string][] = [
    ["User 42 not found", "User <n> not found"],
    ["timeout after 30.5s", "timeout after <n>s"],
    ["session 0190a6b2-1234-7abc-8def-0123456789ab expired", "session <uuid> expired"],
    ["cannot read /var/lib/data/file.json: EACCES", "cannot read <path>: EACCES"],
    ["open 'C:\\\\x.txt' failed", "open <str> failed"],
    ["order ord_8f7Kx92mQp not found", "order <id> not found"],
    ["request deadbeef00112233 failed", "request <id> failed"],
    ["GET https://api.example.com/v1/items?id=4 -> 503", "GET <url> -> <n>"],
    ["utf8 v2 decoder", "utf8 v2 decoder"],
  ];
  for (const [raw, expected] of cases) assert.equal(normalizeErrorMessage(raw), expected, raw);
});

test("sessions: one row per session with client, duration, calls and errors, most recent first", (t) => {
  const { db } = seededDb(t);
  const sessions = querySessions(db, { serverId: "srv" }, 10);
  assert.deepEqual(sessions, [
    { sessionId: "s2-bbbb", serverId: "srv", clientName: "Cursor", clientVersion: "1.0.0", startedAt: T0 + 1000, endedAt: T0 + 3005, durationMs: 2005, calls: 3, errors: 2 },
    { sessionId: "s1-aaaa", serverId: "srv", clientName: "Claude", clientVersion: "1.0.0", startedAt: T0, endedAt: T0 + 450, durationMs: 450, calls: 5, errors: 2 },
  ]);
});

test("session: prefix match returns the ordered sequence of calls; ambiguous and unknown prefixes say so", (t) => {
  const { db } = seededDb(t);
  const one = querySession(db, "s1", undefined);
  assert.equal(one.found, "one");
  if (one.found !== "one") return;
  assert.equal(one.session.sessionId, "s1-aaaa");
  assert.deepEqual(one.session.sequence.map((c) => [c.offsetMs, c.method, c.target, c.durationMs]), [
    [0, "initialize", null, 2],
    [100, "tools/call", "search", 10],
    [200, "tools/call", "search", 40],
    [300, "tools/call", "search", 20],
    [400, "tools/call", "search", 30],
    [450, "notifications/progress", null, 0],
  ]);
  assert.deepEqual(querySession(db, "s", undefined), { found: "many", sessionIds: ["s1-aaaa", "s2-bbbb", "s3-cccc"] });
  assert.deepEqual(querySession(db, "s3", "srv"), { found: "none" });
  assert.deepEqual(querySession(db, "zz", undefined), { found: "none" });
});

test("tools: last listed schema with usage, tools never called, and changes between versions", (t) => {
  const { db } = seededDb(t);
  const [srv] = queryTools(db, { serverId: "srv" });
  assert.ok(srv);
  assert.equal(srv.schema?.toolCount, 3);
  assert.equal(srv.schema?.firstSeen, T0 - 500);
  assert.deepEqual(srv.tools.map((x) => [x.name, x.calls, x.errors, x.inSchema]), [
    ["search", 4, 2, true],
    ["fetch", 3, 2, true],
    ["unused", 0, 0, true],
  ]);
  assert.equal(srv.tools[0]!.description, "Find things");
  assert.deepEqual(srv.neverCalled, ["unused"]);
  assert.deepEqual(srv.changes.map(({ at, added, removed, modified }) => ({ at, added, removed, modified })), [
    { at: T0 - 1000, added: ["fetch", "search"], removed: [], modified: [] },
    { at: T0 - 500, added: ["unused"], removed: [], modified: ["search"] },
  ]);
  const other = queryTools(db, {}).find((s) => s.serverId === "other")!;
  assert.equal(other.schema, null);
  assert.deepEqual(other.tools.map((x) => [x.name, x.inSchema]), [["search", false]]);
});

test("status: record counts, oldest/newest and per-server last call", (t) => {
  const { db, path } = seededDb(t);
  const status = queryStatus(db, path);
  assert.equal(status.records, 10);
  assert.equal(status.oldest, T0);
  assert.equal(status.newest, T0 + 3000);
  assert.deepEqual(status.servers, [
    { serverId: "srv", records: 9, lastCallAt: T0 + 3000 },
    { serverId: "other", records: 1, lastCallAt: T0 + 500 },
  ]);
  assert.ok(status.sizeBytes > 0);
});
