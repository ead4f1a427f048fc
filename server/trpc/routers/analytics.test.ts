import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createPool } from "../../db/pool";
import { PartitionManager } from "../../ingest/partitions";
import { storeBatch } from "../../ingest/store-batch";
import { makeBatch, makeRecord } from "../../../tests/support/records";
import { createTenancyFixture, type TenancyFixture } from "../../../tests/support/tenancy-fixtures";
import { mergeThresholds, resolveRange } from "./analytics";

describe("analytics router", () => {
  let f: TenancyFixture;
  before(async () => {
    f = await createTenancyFixture();
    const pool = createPool(f.database.url, 2);
    try {
      const now = Date.now() - 10 * 60_000;
      const records = [
        makeRecord({ ts: now, seq: 1, target: "get_forecast", durationUs: 20_000 }),
        makeRecord({ ts: now + 1000, seq: 2, target: "get_forecast", durationUs: 40_000 }),
        makeRecord({ ts: now + 2000, seq: 3, target: "book_flight", durationUs: 2_000_000, status: "tool_error", errorMessage: "Airline API timeout after 5003 ms" }),
      ];
      await storeBatch(pool, new PartitionManager(pool, 2, 90), f.a.projectId, makeBatch(records));
    } finally {
      await pool.end();
    }
  });
  after(async () => {
    await f.close();
  });

  test("a preset range ends now and spans its length; an explicit range is kept", () => {
    const now = new Date("2026-11-23T12:00:00Z");
    assert.deepEqual(resolveRange({ preset: "24h" }, now), { from: new Date("2026-11-22T12:00:00Z"), to: now });
    assert.deepEqual(resolveRange({ preset: "1h" }, now).from, new Date("2026-11-23T11:00:00Z"));
    const from = new Date("2026-11-01T00:00:00Z");
    assert.deepEqual(resolveRange({ from, to: now }, now), { from, to: now });
  });

  test("a viewer reads the project's numbers: calls, error rate, tool health, slowest call", async () => {
    const api = f.as(f.a.users.viewer).analytics;
    const overview = await api.overview({ projectId: f.a.projectId, range: { preset: "1h" } });
    assert.equal(overview.totals.calls, 3);
    assert.equal(overview.totals.errors, 1);
    const tools = await api.tools({ projectId: f.a.projectId, range: { preset: "1h" } });
    assert.equal(tools.tools.find((t) => t.tool === "book_flight")?.health, "failing");
    assert.equal(tools.tools.find((t) => t.tool === "get_forecast")?.health, "healthy");
    const slow = await api.slowCalls({ projectId: f.a.projectId, range: { preset: "1h" }, thresholdMs: 1000 });
    assert.deepEqual(
      slow.calls.map((c) => c.durationMs),
      [2000],
    );
  });

  test("thresholds passed by the caller change the health badge", async () => {
    const tools = await f.as(f.a.users.viewer).analytics.tools({ projectId: f.a.projectId, range: { preset: "1h" }, thresholds: { failing: { p95Ms: 30 } } });
    assert.equal(tools.tools.find((t) => t.tool === "get_forecast")?.health, "failing");
  });

  test("an admin saves the project's thresholds: every member's badges and the org summary follow; a viewer may not; null resets", async () => {
    const { projectId, orgId, users } = f.a;
    await assert.rejects(f.as(users.viewer).analytics.setHealthThresholds({ projectId, thresholds: { failing: { p95Ms: 30 } } }), { code: "FORBIDDEN" });
    await assert.rejects(f.as(users.member).analytics.setHealthThresholds({ projectId, thresholds: { failing: { p95Ms: 30 } } }), { code: "FORBIDDEN" });
    await f.as(users.admin).analytics.setHealthThresholds({ projectId, thresholds: { failing: { p95Ms: 30 } } });
    const tools = await f.as(users.viewer).analytics.tools({ projectId, range: { preset: "1h" } });
    assert.equal(tools.tools.find((t) => t.tool === "get_forecast")?.health, "failing");
    assert.deepEqual(tools.savedThresholds, { failing: { p95Ms: 30 } });
    assert.equal(tools.canSaveThresholds, false);
    const org = await f.as(users.viewer).analytics.organization({ orgId, range: { preset: "1h" } });
    assert.equal(org.projects[0]?.health?.failingTools, 2);
    // A per-view override still wins over the saved value.
    const relaxed = await f.as(users.viewer).analytics.tools({ projectId, range: { preset: "1h" }, thresholds: { failing: { p95Ms: 10_000 } } });
    assert.equal(relaxed.tools.find((t) => t.tool === "get_forecast")?.health, "healthy");
    await f.as(users.admin).analytics.setHealthThresholds({ projectId, thresholds: null });
    const reset = await f.as(users.viewer).analytics.tools({ projectId, range: { preset: "1h" } });
    assert.equal(reset.savedThresholds, null);
    assert.equal(reset.tools.find((t) => t.tool === "get_forecast")?.health, "healthy");
  });

  test("overrides merge over saved thresholds field by field", () => {
    assert.equal(mergeThresholds(null, undefined), undefined);
    assert.deepEqual(mergeThresholds({ degraded: { errorRate: 0.1, p95Ms: 500 } }, { degraded: { p95Ms: 800 } }), {
      degraded: { errorRate: 0.1, p95Ms: 800 },
      failing: {},
    });
  });

  test("a range that ends before it starts is a BAD_REQUEST that says so", async () => {
    await assert.rejects(
      f.as(f.a.users.viewer).analytics.overview({ projectId: f.a.projectId, range: { from: new Date("2026-11-23T12:00:00Z"), to: new Date("2026-11-23T11:00:00Z") } }),
      { code: "BAD_REQUEST", message: /must end after it starts/ },
    );
  });

  test("another org's member cannot read it, and the org summary lists only the caller's projects", async () => {
    await assert.rejects(f.as(f.b.users.owner).analytics.overview({ projectId: f.a.projectId, range: { preset: "1h" } }), { code: "NOT_FOUND" });
    const summary = await f.as(f.a.users.viewer).analytics.organization({ orgId: f.a.orgId, range: { preset: "1h" } });
    assert.deepEqual(
      summary.projects.map((p) => [p.id, p.health?.calls, p.health?.failingTools]),
      [[f.a.projectId, 3, 1]],
    );
  });
});
