import { test } from "node:test";
import assert from "node:assert/strict";
import { planRead, usesRollups } from "./read-plan";

const H = 3_600_000;
const D = 24 * H;
const D0 = Date.UTC(2026, 10, 10);
const iso = (d: Date) => d.toISOString().slice(5, 16);
const show = (p: ReturnType<typeof planRead>) => ({
  days: p.days.map(iso),
  hours: p.hours.map(iso),
  raw: p.raw.map((r) => `${iso(r.from)}..${iso(r.to)}`),
});

test("ranges up to 6 h read events only; longer ones read rollups", () => {
  assert.equal(usesRollups({ from: new Date(D0), to: new Date(D0 + 6 * H) }), false);
  assert.equal(usesRollups({ from: new Date(D0), to: new Date(D0 + 6 * H + 1) }), true);
});

test("partial hours at the edges are raw, whole days are days, the hours between are hours", () => {
  const p = planRead({ from: new Date(D0 + 22.5 * H), to: new Date(D0 + 2 * D + 1.25 * H) }, new Set(), { days: true });
  assert.deepEqual(show(p), {
    days: ["11-11T00:00"],
    hours: ["11-10T23:00", "11-12T00:00"],
    raw: ["11-10T22:30..11-10T23:00", "11-12T01:00..11-12T01:15"],
  });
});

test("a dirty hour is read raw, and its day falls back to hours; adjacent raw ranges merge", () => {
  const p = planRead({ from: new Date(D0 + 23 * H), to: new Date(D0 + 2 * D) }, new Set([D0 + D + 5 * H, D0 + D + 6 * H, D0 + 2 * D - H]), { days: true });
  assert.equal(p.days.length, 0);
  assert.equal(p.hours.length, 1 + 24 - 3);
  assert.deepEqual(show(p).raw, ["11-11T05:00..11-11T07:00", "11-11T23:00..11-12T00:00"]);
});

test("without days every whole hour is an hour; a range inside one hour is raw", () => {
  const p = planRead({ from: new Date(D0), to: new Date(D0 + 2 * D) }, new Set(), { days: false });
  assert.equal(p.hours.length, 48);
  assert.equal(p.days.length + p.raw.length, 0);
  assert.deepEqual(show(planRead({ from: new Date(D0 + 10), to: new Date(D0 + 20) }, new Set(), { days: true })).raw, ["11-10T00:00..11-10T00:00"]);
});
