/**
 * Pure diff of two versions of a server's tools / resources / resource templates / prompts list.
 * Items are matched by their key (tool and prompt `name`, resource `uri`, template `uriTemplate`);
 * a matched item whose JSON differs is "changed", with the top-level fields that differ
 * (`description`, `inputSchema`, `annotations`, …).
 */
import type { SchemaKind } from "tapline/wire";

export type SchemaItem = Record<string, unknown>;

export interface KeyedItem {
  key: string;
  item: SchemaItem;
}

export interface ChangedItem {
  key: string;
  /** Top-level fields that were added, removed or modified, sorted. */
  fields: string[];
  before: SchemaItem;
  after: SchemaItem;
}

export interface SchemaDiff {
  added: KeyedItem[];
  removed: KeyedItem[];
  changed: ChangedItem[];
}

const KEY_FIELD: Record<SchemaKind, string> = {
  tools: "name",
  prompts: "name",
  resources: "uri",
  resource_templates: "uriTemplate",
};

export function itemKey(kind: SchemaKind, item: SchemaItem): string | null {
  const v = item[KEY_FIELD[kind]];
  return typeof v === "string" ? v : null;
}

/** Items of a snapshot's canonical JSON (an array of items); anything else yields no items. */
export function parseSnapshotItems(canonical: string): SchemaItem[] {
  let v: unknown;
  try {
    v = JSON.parse(canonical);
  } catch {
    return [];
  }
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is SchemaItem => x !== null && typeof x === "object" && !Array.isArray(x));
}

/** JSON with object keys sorted, so that key order never counts as a change. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

function byKey(kind: SchemaKind, items: SchemaItem[]): Map<string, SchemaItem> {
  const m = new Map<string, SchemaItem>();
  for (const item of items) {
    const key = itemKey(kind, item);
    if (key !== null && !m.has(key)) m.set(key, item);
  }
  return m;
}

export function changedFields(before: SchemaItem, after: SchemaItem): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => stableJson(before[k]) !== stableJson(after[k])).sort();
}

/** What changed from `before` (null: the first version, every item is added) to `after`. */
export function diffSchemaItems(kind: SchemaKind, before: SchemaItem[] | null, after: SchemaItem[]): SchemaDiff {
  const prev = byKey(kind, before ?? []);
  const next = byKey(kind, after);
  const diff: SchemaDiff = { added: [], removed: [], changed: [] };
  for (const [key, item] of next) {
    const old = prev.get(key);
    if (old === undefined) diff.added.push({ key, item });
    else {
      const fields = changedFields(old, item);
      if (fields.length) diff.changed.push({ key, fields, before: old, after: item });
    }
  }
  for (const [key, item] of prev) if (!next.has(key)) diff.removed.push({ key, item });
  const order = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  diff.added.sort(order);
  diff.removed.sort(order);
  diff.changed.sort(order);
  return diff;
}

export function isEmptyDiff(d: SchemaDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}

export interface SnapshotVersion {
  serverId: string;
  hash: string;
  firstSeen: Date;
  lastSeen: Date;
  items: SchemaItem[];
}

export interface ItemVersion {
  serverId: string;
  hash: string;
  firstSeen: Date;
  lastSeen: Date;
  change: "added" | "changed" | "removed";
  /** For "changed": the top-level fields that differ from the previous version. */
  fields: string[];
  /** The item's definition in this version; null when removed. */
  definition: SchemaItem | null;
}

/**
 * The versions (consecutive snapshots, per server, in first-seen order) in which one item — a
 * tool, prompt, resource or template — appeared, changed or disappeared.
 */
export function itemHistory(kind: SchemaKind, versions: SnapshotVersion[], key: string): ItemVersion[] {
  const out: ItemVersion[] = [];
  const last = new Map<string, SchemaItem | null>();
  const sorted = [...versions].sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime());
  for (const v of sorted) {
    const item = v.items.find((x) => itemKey(kind, x) === key) ?? null;
    const prev = last.has(v.serverId) ? last.get(v.serverId)! : null;
    last.set(v.serverId, item);
    const base = { serverId: v.serverId, hash: v.hash, firstSeen: v.firstSeen, lastSeen: v.lastSeen };
    if (item && !prev) out.push({ ...base, change: "added", fields: [], definition: item });
    else if (!item && prev) out.push({ ...base, change: "removed", fields: [], definition: null });
    else if (item && prev) {
      const fields = changedFields(prev, item);
      if (fields.length) out.push({ ...base, change: "changed", fields, definition: item });
    }
  }
  return out;
}
