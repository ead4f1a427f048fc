/**
 * Schema view: the current tools / resources / resource templates / prompts of each server (its
 * latest snapshot per kind) and every change as a diff between consecutive snapshots.
 * Snapshots are few (one row per distinct version), so the diffs are computed in TypeScript.
 */
import type pg from "pg";
import type { SchemaKind } from "tapline/wire";
import { assertRange, type ProjectScope, type TimeRange } from "./scope";
import { diffSchemaItems, itemHistory, parseSnapshotItems, type ItemVersion, type SchemaDiff, type SchemaItem, type SnapshotVersion } from "./schema-diff";

export interface CurrentSchema {
  serverId: string;
  kind: SchemaKind;
  hash: string;
  firstSeen: Date;
  lastSeen: Date;
  items: SchemaItem[];
}

export interface SchemaChange {
  serverId: string;
  kind: SchemaKind;
  hash: string;
  /** When this version was first seen: the time of the change. */
  firstSeen: Date;
  lastSeen: Date;
  /** Hash of the version it replaced; null for the first version ever seen. */
  previousHash: string | null;
  itemCount: number;
  diff: SchemaDiff;
}

export interface SchemaFilter {
  serverId?: string;
  kind?: SchemaKind;
}

interface SnapshotRow {
  server_id: string;
  kind: SchemaKind;
  hash: string;
  canonical: string;
  first_seen: Date;
  last_seen: Date;
}

const FILTER = `project_id = $1 AND ($2::text IS NULL OR server_id = $2) AND ($3::text IS NULL OR kind = $3)`;

/** The latest version (most recently seen) of every kind of every server. */
export async function getCurrentSchema(pool: pg.Pool, scope: ProjectScope, filter: SchemaFilter = {}): Promise<CurrentSchema[]> {
  const { rows } = await pool.query<SnapshotRow>(
    `SELECT DISTINCT ON (server_id, kind) server_id, kind, hash, canonical, first_seen, last_seen
     FROM schema_snapshots WHERE ${FILTER}
     ORDER BY server_id, kind, last_seen DESC, first_seen DESC`,
    [scope.projectId, filter.serverId ?? null, filter.kind ?? null],
  );
  return rows.map((r) => ({
    serverId: r.server_id,
    kind: r.kind,
    hash: r.hash,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    items: parseSnapshotItems(r.canonical),
  }));
}

/**
 * Every version first seen in the range, oldest first, each with its diff against the version
 * before it (which may predate the range) of the same server and kind.
 */
export async function getSchemaChanges(pool: pg.Pool, scope: ProjectScope, range: TimeRange, filter: SchemaFilter = {}): Promise<SchemaChange[]> {
  assertRange(range, Infinity);
  const { rows } = await pool.query<SnapshotRow>(
    `SELECT server_id, kind, hash, canonical, first_seen, last_seen FROM schema_snapshots
     WHERE ${FILTER} AND first_seen < $4 ORDER BY server_id, kind, first_seen, hash`,
    [scope.projectId, filter.serverId ?? null, filter.kind ?? null, range.to],
  );
  const out: SchemaChange[] = [];
  let prev: { row: SnapshotRow; items: SchemaItem[] } | null = null;
  for (const row of rows) {
    const items = parseSnapshotItems(row.canonical);
    const same = prev !== null && prev.row.server_id === row.server_id && prev.row.kind === row.kind;
    if (row.first_seen >= range.from) {
      out.push({
        serverId: row.server_id,
        kind: row.kind,
        hash: row.hash,
        firstSeen: row.first_seen,
        lastSeen: row.last_seen,
        previousHash: same ? prev!.row.hash : null,
        itemCount: items.length,
        diff: diffSchemaItems(row.kind, same ? prev!.items : null, items),
      });
    }
    prev = { row, items };
  }
  return out.sort((a, b) => a.firstSeen.getTime() - b.firstSeen.getTime());
}

/** Tool names in the latest `tools` snapshot of every server. */
export async function currentToolNames(pool: pg.Pool, scope: ProjectScope): Promise<string[]> {
  const current = await getCurrentSchema(pool, scope, { kind: "tools" });
  const names = new Set<string>();
  for (const s of current) for (const item of s.items) if (typeof item.name === "string") names.add(item.name);
  return [...names].sort();
}

/** The snapshot versions in which one tool's definition appeared, changed or disappeared. */
export async function toolSchemaHistory(pool: pg.Pool, scope: ProjectScope, tool: string): Promise<ItemVersion[]> {
  const { rows } = await pool.query<SnapshotRow>(
    `SELECT server_id, kind, hash, canonical, first_seen, last_seen FROM schema_snapshots
     WHERE project_id = $1 AND kind = 'tools' ORDER BY first_seen, hash`,
    [scope.projectId],
  );
  const versions: SnapshotVersion[] = rows.map((r) => ({
    serverId: r.server_id,
    hash: r.hash,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    items: parseSnapshotItems(r.canonical),
  }));
  return itemHistory("tools", versions, tool);
}
