import type { SchemaKind, SchemaSnapshot } from "../wire";
import { canonicalJson, sha256Hex } from "../util/canonical-json";
import { uuidv7 } from "../util/uuidv7";

const LIST_METHODS: ReadonlyMap<string, { kind: SchemaKind; field: string }> = new Map([
  ["tools/list", { kind: "tools", field: "tools" }],
  ["resources/list", { kind: "resources", field: "resources" }],
  ["resources/templates/list", { kind: "resource_templates", field: "resourceTemplates" }],
  ["prompts/list", { kind: "prompts", field: "prompts" }],
]);

export function isListMethod(method: string): boolean {
  return LIST_METHODS.has(method);
}

/** Pages of a paginated list gathered so far in one session, waiting for the page that ends the chain. */
export type PagesInProgress = Map<SchemaKind, { items: unknown[]; nextCursor: string }>;

/**
 * Turns `*​/list` results into `SchemaSnapshot`s: pages chained by `nextCursor` within a session are
 * merged, and a snapshot is emitted once the chain ends, only when its hash differs from the last
 * one of that kind this proxy emitted (the sink de-duplicates across runs).
 */
export class SchemaSnapshotCollector {
  private readonly lastHash = new Map<SchemaKind, string>();

  constructor(
    private readonly serverId: string,
    private readonly emit: (snapshot: SchemaSnapshot) => void,
  ) {}

  /** One list response; `cursor` is the request's `params.cursor`. */
  page(pages: PagesInProgress, method: string, cursor: unknown, result: Record<string, unknown>): void {
    const list = LIST_METHODS.get(method);
    if (list === undefined) return;
    const items = result[list.field];
    if (!Array.isArray(items)) return;
    let merged: unknown[];
    if (cursor === undefined || cursor === null) merged = items;
    else {
      const earlier = pages.get(list.kind);
      // A page whose cursor we did not see issued (proxy started mid-chain) cannot form a complete list.
      if (earlier === undefined || earlier.nextCursor !== cursor) return;
      merged = earlier.items.concat(items);
    }
    if (typeof result.nextCursor === "string" && result.nextCursor !== "") {
      pages.set(list.kind, { items: merged, nextCursor: result.nextCursor });
      return;
    }
    pages.delete(list.kind);
    this.complete(list.kind, merged);
  }

  private complete(kind: SchemaKind, items: unknown[]): void {
    const canonical = canonicalJson(items);
    const hash = sha256Hex(canonical);
    if (this.lastHash.get(kind) === hash) return;
    this.lastHash.set(kind, hash);
    const capturedAt = Date.now();
    this.emit({ id: uuidv7(capturedAt), serverId: this.serverId, kind, hash, canonical, capturedAt });
  }
}
