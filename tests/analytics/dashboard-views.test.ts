import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { A, A_DURATIONS_MS, B, MIN, R, T0, TOOLS_V1, TOOLS_V2, expectedPercentile, seedAnalyticsFixture, type AnalyticsFixture } from "./fixture";
import { getOverview } from "../../server/analytics/overview";
import { getToolDetail, listTools } from "../../server/analytics/tools";
import { listErrorGroups, listErrorOccurrences } from "../../server/analytics/errors";
import { getCall, listSlowCalls } from "../../server/analytics/slow-calls";
import { getSession, listSessions } from "../../server/analytics/sessions";
import { listClients } from "../../server/analytics/clients";
import { getCurrentSchema, getSchemaChanges } from "../../server/analytics/schema";
import { getOrganizationSummary } from "../../server/analytics/organization";
import { AnalyticsInputError } from "../../server/analytics/scope";

let f: AnalyticsFixture;
const scopeA = { projectId: A };

before(async () => {
  f = await seedAnalyticsFixture();
});
after(async () => {
  await f.close();
});

describe("overview", () => {
  test("totals count client→server requests only, with exact percentiles and active sessions", async () => {
    const o = await getOverview(f.pool, scopeA, R);
    assert.equal(o.totals.calls, 114);
    assert.equal(o.totals.errors, 7);
    assert.equal(o.totals.errorRate, 7 / 114);
    assert.equal(o.totals.activeSessions, 3);
    assert.equal(o.totals.p50Ms, expectedPercentile(A_DURATIONS_MS, 0.5));
    assert.equal(o.totals.p95Ms, expectedPercentile(A_DURATIONS_MS, 0.95));
    assert.equal(o.totals.p99Ms, expectedPercentile(A_DURATIONS_MS, 0.99));
  });

  test("a 1 h range gets 60 one-minute buckets, zero-filled, that add up to the total", async () => {
    const o = await getOverview(f.pool, scopeA, R);
    assert.equal(o.bucketSeconds, 60);
    assert.equal(o.series.length, 60);
    assert.equal(o.series[0]!.start.getTime(), T0);
    assert.equal(o.series[59]!.start.getTime(), T0 + 59 * MIN);
    const calls = o.series.map((p) => p.calls);
    assert.deepEqual([calls[0], calls[1], calls[10], calls[20]], [59, 41, 10, 4]);
    assert.equal(calls.filter((c) => c === 0).length, 56);
    assert.equal(calls.reduce((x, y) => x + y, 0), 114);
    assert.deepEqual(o.series[10]!.errors, 6);
    assert.equal(o.series[5]!.p95Ms, null, "an empty bucket has no latency");
    assert.equal(o.series[5]!.errorRate, 0);
    // minute 1 holds alpha's 60..100 ms calls: p50 = 80 ms exactly.
    assert.equal(o.series[1]!.p50Ms, 80);
  });

  test("compares with the previous period of equal length", async () => {
    const o = await getOverview(f.pool, scopeA, R);
    assert.deepEqual(o.previousRange, { from: new Date(T0 - 60 * MIN), to: new Date(T0) });
    assert.equal(o.previous.calls, 20);
    assert.equal(o.previous.errors, 2);
    assert.equal(o.previous.activeSessions, 1);
    assert.deepEqual(o.deltas.calls, { current: 114, previous: 20, absolute: 94, relative: 94 / 20 });
    assert.equal(o.deltas.errorRate.absolute, 7 / 114 - 0.1);
    assert.equal(o.deltas.p50Ms.previous, 1);
  });

  test("ranks top tools and clients by calls", async () => {
    const o = await getOverview(f.pool, scopeA, R, { top: 2 });
    assert.deepEqual(o.topTools.map((t) => [t.name, t.calls, t.errors]), [["alpha", 100, 0], ["beta", 10, 6]]);
    assert.deepEqual(o.topClients.map((t) => [t.name, t.calls]), [["Claude", 100], ["Cursor", 10]]);
  });

  test("bucket width follows the range: 6 h → 5 min, 24 h → 1 h, 7 d → 1 h, 30 d → 6 h (UTC-aligned, first bucket partial)", async () => {
    for (const [hours, width, points] of [[6, 300, 72], [24, 3600, 24], [24 * 7, 3600, 168], [24 * 30, 6 * 3600, 121]] as const) {
      const o = await getOverview(f.pool, scopeA, { from: new Date(T0), to: new Date(T0 + hours * 60 * MIN) });
      assert.equal(o.bucketSeconds, width);
      assert.equal(o.series.length, points);
      assert.equal(o.series[0]!.start.getTime() % (width * 1000), 0);
      assert.equal(o.series.reduce((s, p) => s + p.calls, 0), 114);
    }
  });

  test("rejects an empty or inverted range", async () => {
    await assert.rejects(getOverview(f.pool, scopeA, { from: R.to, to: R.from }), AnalyticsInputError);
  });
});

describe("tools", () => {
  test("one row per tool with exact linear-interpolation percentiles (1..100 ms → p50 50.5, p95 95.05, p99 99.01)", async () => {
    const { tools } = await listTools(f.pool, scopeA, R);
    assert.deepEqual(tools.map((t) => t.tool), ["alpha", "beta", "gamma"]);
    const alpha = tools[0]!;
    assert.equal(alpha.calls, 100);
    assert.equal(alpha.errors, 0);
    assert.equal(alpha.p50Ms, 50.5);
    assert.equal(alpha.p95Ms, 95.05);
    assert.equal(alpha.p99Ms, 99.01);
    assert.equal(alpha.maxMs, 100);
    assert.equal(alpha.meanResponseBytes, 505);
    assert.equal(alpha.maxResponseBytes, 1000);
    assert.equal(alpha.lastCalled?.getTime(), T0 + 100_000);
    assert.deepEqual(alpha.sparkline.slice(0, 3), [59, 41, 0]);
    assert.equal(alpha.sparkline.length, 60);
    const gamma = tools[2]!;
    assert.equal(gamma.p95Ms, 295, "200 and 300 ms → 200 + 0.95 × 100");
  });

  test("health badges from the default thresholds and from overrides", async () => {
    const health = async (thresholds?: Parameters<typeof listTools>[3]) =>
      Object.fromEntries((await listTools(f.pool, scopeA, R, thresholds)).tools.map((t) => [t.tool, t.health]));
    assert.deepEqual(await health(), { alpha: "healthy", beta: "failing", gamma: "failing" });
    assert.deepEqual(await health({ thresholds: { failing: { errorRate: 0.7 }, degraded: { p95Ms: 90 } } }), {
      alpha: "degraded",
      beta: "degraded",
      gamma: "degraded",
    });
  });

  test("lists the tools of the latest snapshot never called in the range", async () => {
    const r = await listTools(f.pool, scopeA, R);
    assert.deepEqual(r.neverCalled, ["delta"]);
  });

  test("tool detail: log-scaled histogram, statuses, slowest calls, clients, schema history", async () => {
    const d = await getToolDetail(f.pool, scopeA, R, { tool: "alpha", slowest: 3 });
    const hist = Object.fromEntries(d.histogram.filter((b) => b.count > 0).map((b) => [`${b.fromMs}-${b.toMs}`, b.count]));
    assert.deepEqual(hist, { "1-2": 1, "2-5": 3, "5-10": 5, "10-20": 10, "20-50": 30, "50-100": 50, "100-200": 1 });
    assert.equal(d.histogram.at(-1)!.toMs, null);
    assert.deepEqual(d.statuses, [{ status: "ok", count: 100 }]);
    assert.deepEqual(d.slowest.map((c) => c.durationMs), [100, 99, 98]);
    assert.deepEqual(d.clients.map((c) => [c.clientName, c.calls, c.p50Ms]), [["Claude", 100, 50.5]]);
    assert.deepEqual(d.errorGroups, []);
    assert.deepEqual(
      d.schemaHistory.map((v) => [v.change, v.fields, v.firstSeen.getTime()]),
      [["added", [], T0 - 86_400_000], ["changed", ["description", "inputSchema"], T0 + 30 * MIN]],
    );
    const gamma = await getToolDetail(f.pool, scopeA, R, { tool: "gamma" });
    assert.deepEqual(gamma.schemaHistory.map((v) => v.change), ["added", "removed"]);
    assert.deepEqual(gamma.statuses.map((s) => [s.status, s.count]), [["ok", 1], ["tool_error", 1]]);
    const unknown = await getToolDetail(f.pool, scopeA, R, { tool: "nope" });
    assert.equal(unknown.stats, null);
  });
});

describe("errors", () => {
  test("messages differing only in numbers, paths or quoted values collapse into one group", async () => {
    const r = await listErrorGroups(f.pool, scopeA, R);
    assert.equal(r.totalErrors, 7);
    assert.deepEqual(
      r.groups.map((g) => [g.target, g.status, g.errorCode, g.errorGroup, g.count, g.sessions, g.clients]),
      [
        ["beta", "tool_error", null, "timeout after <n> ms on <path>", 4, 1, 1],
        ["beta", "rpc_error", -32602, "Unknown city <str>", 2, 1, 1],
        ["gamma", "tool_error", null, "boom", 1, 1, 1],
      ],
    );
    const g = r.groups[0]!;
    assert.equal(g.sampleMessage, "timeout after 7 ms on /var/q/r", "the sample is the newest occurrence");
    assert.equal(r.groups[1]!.sampleMessage, "Unknown city 'Berlin'");
    assert.equal(g.firstSeen.getTime(), T0 + 10 * MIN);
    assert.equal(g.lastSeen.getTime(), T0 + 10 * MIN + 3000);
    assert.equal(g.trend.length, 60);
    assert.equal(g.trend[10], 4);
    assert.equal(g.trend.reduce((a, b) => a + b, 0), 4);
  });

  test("a group's occurrences, newest first, paginated without gaps or repeats", async () => {
    const { groups } = await listErrorGroups(f.pool, scopeA, R, { tool: "beta" });
    const key = groups[0]!.key;
    const p1 = await listErrorOccurrences(f.pool, scopeA, R, { key, limit: 3 });
    assert.equal(p1.occurrences.length, 3);
    assert.ok(p1.nextCursor);
    const p2 = await listErrorOccurrences(f.pool, scopeA, R, { key, limit: 3, cursor: p1.nextCursor });
    assert.equal(p2.nextCursor, null);
    const messages = [...p1.occurrences, ...p2.occurrences].map((c) => c.errorMessage);
    assert.deepEqual(messages, [...(await import("./fixture")).BETA_TOOL_ERRORS].reverse());
  });
});

describe("slow calls", () => {
  async function all(sort: "duration" | "time", limit: number) {
    const out = [];
    let cursor: string | null = null;
    do {
      const page = await listSlowCalls(f.pool, scopeA, R, { thresholdMs: 90, sort, limit, cursor });
      out.push(...page.calls);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  test("calls over the threshold, slowest first, across pages", async () => {
    const calls = await all("duration", 5);
    assert.deepEqual(calls.map((c) => c.durationMs), [300, 200, 100, 99, 98, 97, 96, 95, 94, 93, 92, 91, 90]);
  });

  test("newest first; calls with the same timestamp are neither lost nor repeated between pages", async () => {
    const calls = await all("time", 1);
    assert.equal(calls.length, 13);
    assert.equal(new Set(calls.map((c) => c.id)).size, 13);
    assert.deepEqual(calls.slice(0, 2).map((c) => c.target), ["gamma", "gamma"]);
    assert.deepEqual(calls.slice(2).map((c) => c.durationMs), [100, 99, 98, 97, 96, 95, 94, 93, 92, 91, 90]);
  });

  test("call detail by id with its payload and session offset; another project's id is not found", async () => {
    const { calls } = await listSlowCalls(f.pool, scopeA, R, { thresholdMs: 50, sort: "duration", limit: 100 });
    const c50 = calls.find((c) => c.durationMs === 50)!;
    const d = await getCall(f.pool, scopeA, R, { id: c50.id });
    assert.ok(d);
    assert.equal(d.sessionId, "s-1");
    assert.equal(d.seq, 50);
    assert.equal(d.sessionOffsetMs, 49_000);
    assert.equal(d.bytesOut, 500);
    assert.deepEqual(d.payload, { request: { name: "alpha", arguments: { q: "x" } }, response: { content: [] } });
    assert.equal(await getCall(f.pool, { projectId: B }, R, { id: c50.id }), null);
    assert.equal(await getCall(f.pool, scopeA, R, { id: "not-a-uuid" }), null);
  });

  test("a tampered cursor is refused with an input error", async () => {
    await assert.rejects(listSlowCalls(f.pool, scopeA, R, { thresholdMs: 1, cursor: "bm9wZQ" }), AnalyticsInputError);
  });
});

describe("sessions", () => {
  test("sessions active in the range, most recent first, paginated", async () => {
    const p1 = await listSessions(f.pool, scopeA, R, { limit: 2 });
    const p2 = await listSessions(f.pool, scopeA, R, { limit: 2, cursor: p1.nextCursor });
    const all = [...p1.sessions, ...p2.sessions];
    assert.equal(p2.nextCursor, null);
    assert.deepEqual(all.map((s) => [s.sessionId, s.clientName, s.calls, s.errors]), [
      ["s-order", "ChatGPT", 4, 1],
      ["s-2", "Cursor", 10, 6],
      ["s-1", "Claude", 100, 0],
    ]);
    assert.equal(all[2]!.durationMs, 99_000);
    assert.equal(all[2]!.startedAt.getTime(), T0 + 1000);
  });

  test("the timeline is ordered by seq then ts, with offsets from the session start, durations and errors in place", async () => {
    const d = await getSession(f.pool, scopeA, R, { sessionId: "s-order" });
    assert.ok(d);
    assert.deepEqual(
      d.timeline.map((t) => [t.seq, t.method, t.target, t.offsetMs, t.durationMs, t.status]),
      [
        [0, "notifications/progress", null, 10, 0, "ok"],
        [1, "initialize", null, 0, 5, "ok"],
        [2, "tools/call", "gamma", 100, 200, "ok"],
        [3, "tools/call", "gamma", 100, 300, "tool_error"],
        [4, "resources/read", "file:///readme", 50, 1, "ok"],
      ],
    );
    assert.equal(d.timeline[3]!.errorMessage, "boom");
    assert.deepEqual(d.toolSequence, ["gamma", "gamma"]);
    assert.equal(d.truncated, false);
    assert.equal(await getSession(f.pool, scopeA, { from: new Date(T0 + 30 * MIN), to: R.to }, { sessionId: "s-1" }), null);
  });
});

describe("clients", () => {
  test("per client name and version: calls, error rate, p50/p95, tools used", async () => {
    const rows = await listClients(f.pool, scopeA, R);
    assert.deepEqual(rows.map((c) => [c.clientName, c.calls, c.errors, c.toolsUsed]), [
      ["Claude", 100, 0, 1],
      ["Cursor", 10, 6, 1],
      ["ChatGPT", 4, 1, 1],
    ]);
    const claude = rows[0]!;
    assert.equal(claude.p50Ms, 50.5);
    assert.equal(claude.p95Ms, 95.05);
    assert.deepEqual(claude.topTools, [{ tool: "alpha", calls: 100 }]);
    assert.deepEqual(claude.versions.map((v) => [v.clientVersion, v.calls]), [["1.0.0", 100]]);
    assert.equal(rows[2]!.topTools[0]!.calls, 2);
  });
});

describe("schema", () => {
  test("the current schema is the latest snapshot per kind", async () => {
    const current = await getCurrentSchema(f.pool, scopeA);
    assert.equal(current.length, 1);
    assert.deepEqual(current[0]!.items, TOOLS_V2);
  });

  test("each version is a diff against the one before it, dated by when it was first seen", async () => {
    const inRange = await getSchemaChanges(f.pool, scopeA, R);
    assert.equal(inRange.length, 1);
    const v2 = inRange[0]!;
    assert.equal(v2.firstSeen.getTime(), T0 + 30 * MIN);
    assert.ok(v2.previousHash);
    assert.deepEqual(v2.diff.added.map((x) => x.key), ["delta"]);
    assert.deepEqual(v2.diff.removed.map((x) => x.key), ["gamma"]);
    assert.deepEqual(v2.diff.changed.map((x) => [x.key, x.fields]), [["alpha", ["description", "inputSchema"]]]);
    const all = await getSchemaChanges(f.pool, scopeA, { from: new Date(T0 - 2 * 86_400_000), to: R.to });
    assert.equal(all.length, 2);
    assert.equal(all[0]!.previousHash, null);
    assert.deepEqual(all[0]!.diff.added.map((x) => x.key), TOOLS_V1.map((t) => t.name));
  });
});

describe("organization summary", () => {
  test("per project: calls, error rate, p95, failing tools, last event", async () => {
    const s = await getOrganizationSummary(f.pool, { projectIds: [A, B, "project-empty"] }, R);
    assert.deepEqual(
      s.projects.map((p) => [p.projectId, p.calls, p.errors, p.failingTools, p.lastEventAt?.getTime() ?? null]),
      [
        [A, 114, 7, 2, T0 + 20 * MIN + 100],
        [B, 5, 1, 1, T0 + 5 * MIN + 4000],
        ["project-empty", 0, 0, 0, null],
      ],
    );
    assert.equal(s.projects[0]!.p95Ms, expectedPercentile(A_DURATIONS_MS, 0.95));
    assert.equal(s.projects[1]!.p95Ms, 7000);
  });
});
