import { test } from "node:test";
import assert from "node:assert/strict";
import { normalizeErrorMessage } from "./normalize-error-message";

test("occurrences of one failure that differ in numbers, ids, paths and quoted values share a group", () => {
  const a = normalizeErrorMessage('timeout after 5003 ms reading /tmp/cache/a1.json for "Paris" (request 0b9f7c1e-1d2a-4c55-9f00-1234567890ab)');
  const b = normalizeErrorMessage('timeout after 12 ms reading /var/data/x.json for "Lyon" (request 6f1d2c3b-0000-4000-8000-abcdefabcdef)');
  assert.equal(a, b);
  assert.equal(a, "timeout after <n> ms reading <path> for <str> (request <uuid>)");
});

test("different failures stay apart, and empty messages group as empty", () => {
  assert.notEqual(normalizeErrorMessage("city not found: 42"), normalizeErrorMessage("rate limited: 42"));
  assert.equal(normalizeErrorMessage(null), "");
  assert.equal(normalizeErrorMessage("  spaced\n\tout  "), "spaced out");
  assert.equal(normalizeErrorMessage("see https://api.example.com/v1/x?id=9 at 2026-11-23T10:00:00Z"), "see <url> at <time>");
});
