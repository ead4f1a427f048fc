import { test } from "node:test";
import assert from "node:assert/strict";
import { SchemaSnapshotCollector, type PagesInProgress } from "./schema-snapshot-collector";
import { SchemaSnapshotSchema, type SchemaSnapshot } from "../wire";
import { canonicalJson, sha256Hex } from "../util/canonical-json";

function collector() {
  const out: SchemaSnapshot[] = [];
  return { out, c: new SchemaSnapshotCollector("srv", (s) => out.push(SchemaSnapshotSchema.parse(s))) };
}

test("pages chained by nextCursor are merged into one snapshot when the chain ends", () => {
  const { out, c } = collector();
  const pages: PagesInProgress = new Map();
  c.page(pages, "tools/list", undefined, { tools: [{ name: "a" }], nextCursor: "p2" });
  assert.equal(out.length, 0);
  c.page(pages, "tools/list", "p2", { tools: [{ name: "b" }], nextCursor: "p3" });
  c.page(pages, "tools/list", "p3", { tools: [{ name: "c" }] });
  assert.equal(out.length, 1);
  const expected = canonicalJson([{ name: "a" }, { name: "b" }, { name: "c" }]);
  assert.equal(out[0]!.canonical, expected);
  assert.equal(out[0]!.hash, sha256Hex(expected));
  assert.equal(out[0]!.kind, "tools");
});

test("the hash ignores key order and an unchanged list is not emitted twice", () => {
  const { out, c } = collector();
  c.page(new Map(), "prompts/list", undefined, { prompts: [{ name: "p", description: "d" }] });
  c.page(new Map(), "prompts/list", undefined, { prompts: [{ description: "d", name: "p" }] });
  assert.equal(out.length, 1);
  c.page(new Map(), "prompts/list", undefined, { prompts: [{ description: "changed", name: "p" }] });
  assert.equal(out.length, 2);
});

test("a page whose cursor was never issued in this session is ignored", () => {
  const { out, c } = collector();
  c.page(new Map(), "resources/list", "unknown-cursor", { resources: [{ uri: "x" }] });
  assert.equal(out.length, 0);
});

test("each list method maps to its kind", () => {
  const { out, c } = collector();
  c.page(new Map(), "resources/list", undefined, { resources: [] });
  c.page(new Map(), "resources/templates/list", undefined, { resourceTemplates: [] });
  c.page(new Map(), "tools/call", undefined, { tools: [] });
  assert.deepEqual(out.map((s) => s.kind), ["resources", "resource_templates"]);
});
