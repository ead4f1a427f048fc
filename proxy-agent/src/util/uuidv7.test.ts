import { test } from "node:test";
import assert from "node:assert/strict";
import { uuidv7, uuidv7Time } from "./uuidv7";
import { CallRecordSchema } from "../wire";

test("uuidv7 ids carry their timestamp, version 7 and the RFC variant", () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0, 123);
  const id = uuidv7(now + 10_000_000);
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(uuidv7Time(id), now + 10_000_000);
  assert.equal(CallRecordSchema.shape.id.safeParse(id).success, true);
});

test("uuidv7 ids made in the same millisecond sort in creation order and never repeat", () => {
  const ids = Array.from({ length: 5000 }, () => uuidv7(Date.now() + 20_000_000));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
});
