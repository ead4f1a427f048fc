import { test } from "node:test";
import assert from "node:assert/strict";
import { diffSchemaItems, isEmptyDiff, itemHistory, parseSnapshotItems, stableJson } from "./schema-diff";

const t = (name: string, extra: Record<string, unknown> = {}) => ({ name, description: `${name} tool`, inputSchema: { type: "object" }, ...extra });

test("added, removed and changed tools are keyed by name, with the fields that changed", () => {
  const d = diffSchemaItems(
    "tools",
    [t("a"), t("b"), t("c")],
    [t("a", { description: "new words" }), t("c", { inputSchema: { type: "object", required: ["x"] }, annotations: { readOnlyHint: true } }), t("d")],
  );
  assert.deepEqual(d.added.map((x) => x.key), ["d"]);
  assert.deepEqual(d.removed.map((x) => x.key), ["b"]);
  assert.deepEqual(d.changed.map((x) => [x.key, x.fields]), [["a", ["description"]], ["c", ["annotations", "inputSchema"]]]);
  assert.equal(d.changed[0]!.before.description, "a tool");
  assert.equal(d.changed[0]!.after.description, "new words");
});

test("the first version adds every item; identical versions and reordered keys or items are no change", () => {
  assert.deepEqual(diffSchemaItems("tools", null, [t("b"), t("a")]).added.map((x) => x.key), ["a", "b"]);
  const reordered = { inputSchema: { type: "object" }, description: "a tool", name: "a" };
  assert.ok(isEmptyDiff(diffSchemaItems("tools", [t("a"), t("b")], [t("b"), reordered])));
});

test("resources are keyed by uri, templates by uriTemplate, prompts by name", () => {
  const r = diffSchemaItems("resources", [{ uri: "file:///a", name: "A" }], [{ uri: "file:///a", name: "A2" }, { uri: "file:///b", name: "B" }]);
  assert.deepEqual([r.added.map((x) => x.key), r.changed.map((x) => [x.key, x.fields])], [["file:///b"], [["file:///a", ["name"]]]]);
  const tpl = diffSchemaItems("resource_templates", [{ uriTemplate: "db://{id}", name: "row" }], []);
  assert.deepEqual(tpl.removed.map((x) => x.key), ["db://{id}"]);
  const p = diffSchemaItems("prompts", [{ name: "greet", arguments: [] }], [{ name: "greet", arguments: [{ name: "who" }] }]);
  assert.deepEqual(p.changed.map((x) => x.fields), [["arguments"]]);
});

test("items without a key are ignored; a duplicated key keeps its first item", () => {
  const d = diffSchemaItems("tools", [], [{ description: "nameless" }, t("a"), t("a", { description: "dup" })]);
  assert.deepEqual(d.added.map((x) => [x.key, x.item.description]), [["a", "a tool"]]);
});

test("parseSnapshotItems reads a canonical item list and tolerates anything else", () => {
  assert.deepEqual(parseSnapshotItems('[{"name":"a"},1,null]'), [{ name: "a" }]);
  assert.deepEqual(parseSnapshotItems("{}"), []);
  assert.deepEqual(parseSnapshotItems("not json"), []);
});

test("stableJson sorts keys at every depth", () => {
  assert.equal(stableJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } }), '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}');
});

test("itemHistory lists the versions where one item appeared, changed or disappeared, per server", () => {
  const v = (serverId: string, day: number, items: Record<string, unknown>[]) => ({
    serverId,
    hash: `${serverId}-${day}`,
    firstSeen: new Date(Date.UTC(2026, 0, day)),
    lastSeen: new Date(Date.UTC(2026, 0, day + 1)),
    items,
  });
  const h = itemHistory(
    "tools",
    [v("s1", 3, [t("a", { description: "v2" })]), v("s1", 1, [t("a")]), v("s1", 2, [t("a"), t("b")]), v("s1", 4, [t("b")]), v("s2", 2, [t("a")])],
    "a",
  );
  assert.deepEqual(
    h.map((x) => [x.serverId, x.hash, x.change, x.fields]),
    [
      ["s1", "s1-1", "added", []],
      ["s2", "s2-2", "added", []],
      ["s1", "s1-3", "changed", ["description"]],
      ["s1", "s1-4", "removed", []],
    ],
  );
});
