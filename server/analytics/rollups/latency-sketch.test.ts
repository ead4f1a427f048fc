import { test } from "node:test";
import assert from "node:assert/strict";
import { bucketOf, bucketValue, RELATIVE_ACCURACY } from "./latency-sketch";

test("every duration is within the relative accuracy of its bucket's value", () => {
  for (let d = 2; d < 1e10; d = Math.ceil(d * 1.013) + 1) {
    const v = bucketValue(bucketOf(d));
    assert.ok(Math.abs(v - d) / d <= RELATIVE_ACCURACY + 1e-9, `${d} µs → bucket ${bucketOf(d)} = ${v}`);
  }
});

test("buckets grow with the duration and sub-microsecond durations share bucket 0", () => {
  assert.equal(bucketOf(0), 0);
  assert.equal(bucketOf(1), 0);
  assert.ok(bucketOf(1000) < bucketOf(1100));
  assert.ok(bucketOf(3_600_000_000) < 2 ** 31, "an hour fits the 32-bit bucket half of an element");
});
