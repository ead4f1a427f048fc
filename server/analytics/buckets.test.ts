import { test } from "node:test";
import assert from "node:assert/strict";
import { bucketStarts, chooseBucketSeconds, zeroFill } from "./buckets";
import { DEFAULT_HEALTH_THRESHOLDS, resolveThresholds, toolHealth } from "./health";
import { AnalyticsInputError, previousPeriod } from "./scope";

const H = 3_600_000;
const at = (ms: number) => ({ from: new Date(Date.UTC(2026, 10, 20, 10)), to: new Date(Date.UTC(2026, 10, 20, 10) + ms) });

test("bucket width: 1 h → 1 min, 6 h → 5 min, then whole hours from rollups: 24 h → 1 h, 7 d → 1 h, 30 d → 6 h, 90 d → 1 d", () => {
  assert.deepEqual([H, 6 * H, 24 * H, 7 * 24 * H, 30 * 24 * H, 90 * 24 * H].map((ms) => chooseBucketSeconds(at(ms))), [60, 300, 3600, 3600, 21_600, 86_400]);
});

test("bucket starts are aligned to the width and cover the range, the first one possibly partial", () => {
  const r = { from: new Date(Date.UTC(2026, 0, 1, 0, 2, 30)), to: new Date(Date.UTC(2026, 0, 1, 0, 5)) };
  assert.deepEqual(bucketStarts(r, 60).map((s) => new Date(s * 1000).toISOString().slice(11, 19)), ["00:02:00", "00:03:00", "00:04:00"]);
  assert.throws(() => bucketStarts(at(30 * 24 * H), 60), AnalyticsInputError);
});

test("zeroFill puts an empty value in every bucket without a row", () => {
  assert.deepEqual(zeroFill([0, 60, 120], new Map([[60, 5]]), () => 0), [0, 5, 0]);
});

test("health: the worst level reached by error rate or p95 wins; thresholds are inclusive", () => {
  const t = DEFAULT_HEALTH_THRESHOLDS;
  assert.equal(toolHealth({ errorRate: 0.049, p95Ms: 999 }, t), "healthy");
  assert.equal(toolHealth({ errorRate: 0.05, p95Ms: 10 }, t), "degraded");
  assert.equal(toolHealth({ errorRate: 0, p95Ms: 1000 }, t), "degraded");
  assert.equal(toolHealth({ errorRate: 0.25, p95Ms: 10 }, t), "failing");
  assert.equal(toolHealth({ errorRate: 0.01, p95Ms: 5000 }, t), "failing");
  assert.equal(toolHealth({ errorRate: 0, p95Ms: null }, t), "healthy");
  assert.deepEqual(resolveThresholds({ failing: { p95Ms: 2000 } }), { degraded: t.degraded, failing: { errorRate: 0.25, p95Ms: 2000 } });
});

test("the previous period has the same length and ends where the range starts", () => {
  const r = at(24 * H);
  assert.deepEqual(previousPeriod(r), { from: new Date(r.from.getTime() - 24 * H), to: r.from });
});
