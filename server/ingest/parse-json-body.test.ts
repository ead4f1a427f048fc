import { test } from "node:test";
import assert from "node:assert/strict";
import { makeBatch, makeRecord } from "../../tests/support/records";
import { parseJsonBody } from "./parse-json-body";

/** The contract: the same value as JSON.parse of the whole text, or the same error. */
function assertLikeJsonParse(text: string, label: string): void {
  let expected: unknown;
  let error: string | undefined;
  try {
    expected = JSON.parse(text);
  } catch (e) {
    error = (e as Error).message;
  }
  let actual: unknown;
  try {
    actual = parseJsonBody(Buffer.from(text), "records");
  } catch (e) {
    assert.equal((e as Error).message, error, `${label}: threw ${(e as Error).message}`);
    return;
  }
  assert.equal(error, undefined, `${label}: parsed a body JSON.parse rejects (${error})`);
  assert.deepEqual(actual, expected, label);
}

/** Records whose strings hold everything the scan must step over: quotes, escapes, brackets, commas, non-ASCII. */
function trickyBatch(n: number) {
  const messages = ['say "hi"', "back\\slash\\", 'x},{"id":"y', "[[[", "]]]}", ",,,", "emoji 😀 é ü 漢字", "tab\tnew\nline", '\\"', "{"];
  return makeBatch(
    Array.from({ length: n }, (_, i) =>
      makeRecord({
        status: i % 3 ? "ok" : "tool_error",
        errorMessage: i % 3 ? null : messages[i % messages.length]!,
        target: messages[(i + 3) % messages.length]!,
        payload: i % 5 ? null : { request: { items: [{ id: "a" }, { id: "b", nested: [[1, 2], { "records": [3] }] }] }, response: messages[i % messages.length] },
      }),
    ),
  );
}

test("large batches parse to exactly what JSON.parse returns", () => {
  for (const n of [0, 1, 300, 1000, 3000]) {
    const batch = trickyBatch(n);
    assertLikeJsonParse(JSON.stringify(batch), `${n} records`);
    assertLikeJsonParse(JSON.stringify(batch, null, 2), `${n} records, pretty-printed`);
  }
});

test("a record larger than a slice, and records in any member order", () => {
  const big = makeRecord({ payload: { request: "x".repeat(200_000) } });
  assertLikeJsonParse(JSON.stringify(makeBatch([makeRecord(), big, makeRecord()])), "one huge record");
  const { records, ...rest } = trickyBatch(1000);
  assertLikeJsonParse(JSON.stringify({ records, ...rest }), "records first");
  assertLikeJsonParse(JSON.stringify({ ...rest, records }), "records last");
});

test("duplicate and disguised member names resolve as JSON.parse resolves them", () => {
  const batch = trickyBatch(1000);
  const text = JSON.stringify(batch);
  const withMember = (member: string) => `${text.slice(0, -1)},${member}}`;
  assertLikeJsonParse(withMember('"records":5'), "a later non-array records");
  assertLikeJsonParse(withMember('"records":[]'), "a later empty records");
  assertLikeJsonParse(withMember('"records":[1,2]'), "a later small records");
  assertLikeJsonParse(withMember('"rec\\u006frds":null'), "a later escaped records");
  assertLikeJsonParse(text.replace('"records":', '"rec\\u006frds":'), "only an escaped records");
  assertLikeJsonParse(text.replace('"records":', '"other":'), "no records member");
  assertLikeJsonParse(`[${text}]`, "top-level array");
  assertLikeJsonParse(` ${text}`, "leading whitespace");
});

test("damaged bodies are rejected with JSON.parse's own error, never parsed into something else", () => {
  const text = JSON.stringify(trickyBatch(1000));
  // Deterministic pseudo-random damage at structural and string positions.
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const pieces = ['"', "\\", "[", "]", "{", "}", ",", ":", " ", "", "x"];
  for (let k = 0; k < 400; k++) {
    const at = Math.floor(random() * text.length);
    const cut = Math.floor(random() * 3);
    const insert = pieces[Math.floor(random() * pieces.length)]!;
    assertLikeJsonParse(text.slice(0, at) + insert + text.slice(at + cut), `damage ${k} at ${at}`);
  }
  assertLikeJsonParse(text.slice(0, -1), "truncated");
  assertLikeJsonParse(text.replace("[", "[,"), "leading comma");
  assertLikeJsonParse(text.replace(/\}\]/, "},]"), "trailing comma");
  assertLikeJsonParse(text.replace("},{", "},,{"), "double comma");
});
