import { test } from "node:test";
import assert from "node:assert/strict";
import { LineSplitter } from "./line-splitter";

function split(chunks: string[], max = 1 << 20): Array<string | null> {
  const lines: Array<string | null> = [];
  const splitter = new LineSplitter((line) => lines.push(line.text()), max);
  for (const c of chunks) splitter.push(Buffer.from(c));
  return lines;
}

test("lines split across chunks are joined and several lines in a chunk are separated", () => {
  assert.deepEqual(split(['{"a":', '1}\n{"b":2}\n{"c"', ":3}\n"]), ['{"a":1}', '{"b":2}', '{"c":3}']);
});

test("empty lines are skipped and an unterminated tail waits for its newline", () => {
  assert.deepEqual(split(["\n\n{}\n", "{"]), ["{}"]);
});

test("a line over the limit is delivered without text", () => {
  assert.deepEqual(split(["x".repeat(50), "y".repeat(50), "\nok\n"], 64), [null, "ok"]);
});
