import { test } from "node:test";
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { IngestBatchSchema } from "tapline/wire";
import { makeBatch, makeRecord } from "../../tests/support/records";
import { makeToolsSnapshot } from "../../proxy-agent/src/record/testing/call-record-fixture";
import { compileFastCheck, UnsupportedSchemaError } from "./fast-check";

const check = compileFastCheck(IngestBatchSchema);

/** The contract: fast says yes exactly when zod accepts the value and returns it unchanged. */
function assertAgreesWithZod(value: unknown, label: string): boolean {
  const parsed = IngestBatchSchema.safeParse(value);
  const zodSameValue = parsed.success && isDeepStrictEqual(parsed.data, value);
  assert.equal(check(value), zodSameValue, `${label}: fast check ${check(value)}, zod ${parsed.success ? (zodSameValue ? "accepts as is" : "accepts but changes it") : "rejects"}`);
  return zodSameValue;
}

function validBatch() {
  return makeBatch(
    [
      makeRecord(),
      makeRecord({ status: "rpc_error", errorCode: -32603, errorMessage: 'bad "thing"', sessionId: null, clientName: null, clientVersion: null, target: null, rpcId: null, httpStatus: null }),
      makeRecord({ kind: "notification", durationUs: 0, seq: 0, payload: { request: { a: [1, "x"] } } }),
      makeRecord({ payload: { request: null, response: { content: [] } }, ts: 1763912345678.125 }),
    ],
    { snapshots: [makeToolsSnapshot([{ name: "echo" }], 1763912345678)], dropped: 3 },
  );
}

const CANDIDATES: unknown[] = [
  undefined, null, true, 0, -0, -1, 1, 1.5, 99, 100, 599, 600, 1e300, 2 ** 53, 2 ** 53 - 1, -(2 ** 53),
  "", "x", "ok", "bogus", "tapline", "request", "http", "tools",
  "x".repeat(64), "x".repeat(65), "x".repeat(200), "x".repeat(201), "x".repeat(512), "x".repeat(513),
  "x".repeat(1024), "x".repeat(1025), "x".repeat(2048), "x".repeat(2049),
  "0190b4d6-3c5e-7abc-8def-0123456789ab", "0190B4D6-3C5E-7ABC-8DEF-0123456789AB", "0190b4d6-3c5e-4abc-8def-0123456789ab", "0190b4d6-3c5e-7abc-cdef-0123456789ab",
  "a".repeat(64), "A".repeat(64), [], [1], {}, { request: 1 }, { response: "r" }, { request: 1, extra: 2 },
];

test("compiles the ingest batch schema", () => {
  assert.equal(typeof check, "function");
});

test("a valid batch passes as is", () => {
  assert.equal(assertAgreesWithZod(validBatch(), "valid batch"), true);
});

test("every field of every part, set to each candidate value, gets the same verdict as zod", () => {
  let accepted = 0;
  let cases = 0;
  const mutate = (label: string, pick: (b: ReturnType<typeof validBatch>) => Record<string, unknown>) => {
    for (const key of Object.keys(pick(validBatch()))) {
      for (const value of CANDIDATES) {
        const b = validBatch();
        const target = pick(b);
        if (value === undefined) delete target[key];
        else target[key] = structuredClone(value);
        cases++;
        if (assertAgreesWithZod(b, `${label}.${key} = ${JSON.stringify(value)?.slice(0, 40)}`)) accepted++;
      }
    }
  };
  mutate("batch", (b) => b as unknown as Record<string, unknown>);
  mutate("agent", (b) => b.agent);
  for (let i = 0; i < 4; i++) mutate(`records[${i}]`, (b) => b.records[i] as unknown as Record<string, unknown>);
  mutate("snapshots[0]", (b) => b.snapshots[0] as unknown as Record<string, unknown>);
  assert.ok(accepted > 100 && accepted < cases, `${accepted} of ${cases} accepted`);
});

test("unknown keys and missing defaults are left to zod (which strips and fills them)", () => {
  const extra = validBatch() as unknown as Record<string, unknown>;
  extra.surprise = 1;
  assert.equal(check(extra), false);
  const extraInRecord = validBatch();
  (extraInRecord.records[0] as unknown as Record<string, unknown>).surprise = 1;
  assert.equal(check(extraInRecord), false);
  const noDefaults = validBatch() as Partial<ReturnType<typeof validBatch>>;
  delete noDefaults.snapshots;
  delete noDefaults.dropped;
  assert.equal(check(noDefaults), false);
  assert.equal(IngestBatchSchema.safeParse(noDefaults).success, true);
});

test("records over the batch limit, non-objects and non-arrays are refused", () => {
  const big = validBatch();
  big.records = Array.from({ length: 5001 }, () => makeRecord());
  assert.equal(check(big), false);
  for (const v of [null, [], "x", 1, { records: {} }]) assert.equal(check(v), false);
});

test("a schema construct it does not know is refused at compile time, not guessed", () => {
  assert.throws(() => compileFastCheck(z.object({ a: z.string().email() })), UnsupportedSchemaError);
  assert.throws(() => compileFastCheck(z.object({ a: z.string() }).refine(() => true)), UnsupportedSchemaError);
  assert.throws(() => compileFastCheck(z.string().transform((s) => s.length)), UnsupportedSchemaError);
  assert.throws(() => compileFastCheck(z.object({ a: z.string() }).catchall(z.number())), UnsupportedSchemaError);
});
