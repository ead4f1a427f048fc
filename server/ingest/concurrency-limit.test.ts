import { test } from "node:test";
import assert from "node:assert/strict";
import { ConcurrencyLimit, QueueFullError } from "./concurrency-limit";

test("never runs more than max tasks at once, runs them all in arrival order, and frees the slot on failure", async () => {
  const limit = new ConcurrencyLimit(2);
  let running = 0;
  let peak = 0;
  const started: number[] = [];
  const tasks = Array.from({ length: 7 }, (_, i) =>
    limit.run(async () => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (i === 3) throw new Error("boom");
      return i;
    }),
  );
  const results = await Promise.allSettled(tasks);
  assert.equal(peak, 2);
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(results.filter((r) => r.status === "rejected").length, 1);
  assert.equal(await limit.run(async () => "after"), "after");
});

test("refuses a limit that is not a positive integer", () => {
  for (const bad of [0, -1, 1.5, NaN]) assert.throws(() => new ConcurrencyLimit(bad), RangeError);
});

test("past maxWaiting queued tasks, new ones are refused at once and the queued ones still run", async () => {
  const limit = new ConcurrencyLimit(1, 2);
  let release!: () => void;
  const first = limit.run(() => new Promise<void>((r) => (release = r)));
  const queued = [limit.run(async () => 1), limit.run(async () => 2)];
  assert.equal(limit.full, true);
  await assert.rejects(limit.run(async () => 3), QueueFullError);
  release();
  await first;
  assert.deepEqual(await Promise.all(queued), [1, 2]);
  assert.equal(limit.full, false);
});
