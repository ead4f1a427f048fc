import type { StoreDb } from "../store-database";
import { callsWhere, FAILED_STATUS_SQL, type QueryFilter } from "./query-filter";

export interface ToolUsage {
  name: string;
  description: string | null;
  /** False for tools that were called but are missing from the last `tools/list` seen. */
  inSchema: boolean;
  calls: number;
  errors: number;
  lastCalledAt: number | null;
}

export interface SchemaChange {
  /** When this version of the list was first seen. */
  at: number;
  hash: string;
  added: string[];
  removed: string[];
  /** Same name, different definition (description, input schema, annotations, …). */
  modified: string[];
}

export interface ServerTools {
  serverId: string;
  /** The last `tools/list` version: first and last seen; null when no list was ever captured. */
  schema: { hash: string; firstSeen: number; lastSeen: number; toolCount: number } | null;
  tools: ToolUsage[];
  neverCalled: string[];
  /** Every version of the list in order; the first one has everything as `added`. */
  changes: SchemaChange[];
}

interface SnapshotRow {
  server_id: string;
  hash: string;
  canonical: string;
  first_seen: number;
  last_seen: number;
}

/** Per server: tools as last listed with their usage in the window, tools never called, and how the list changed. */
export function queryTools(db: StoreDb, filter: QueryFilter): ServerTools[] {
  const snapshotWhere = filter.serverId === undefined ? "" : "AND server_id = ?";
  const serverParams = filter.serverId === undefined ? [] : [filter.serverId];
  const snapshots = db
    .prepare(`SELECT server_id, hash, canonical, first_seen, last_seen FROM schema_snapshots WHERE kind = 'tools' ${snapshotWhere} ORDER BY server_id, first_seen, id`)
    .all(...serverParams) as SnapshotRow[];
  const { where, params } = callsWhere(filter, ["kind = 'request'", "method = 'tools/call'", "target IS NOT NULL"]);
  const usage = db
    .prepare(
      `SELECT server_id AS serverId, target AS name, count(*) AS calls, sum(${FAILED_STATUS_SQL}) AS errors, max(ts) AS lastCalledAt
       FROM calls ${where} GROUP BY server_id, target`,
    )
    .all(...params) as { serverId: string; name: string; calls: number; errors: number; lastCalledAt: number }[];

  const servers = new Set([...snapshots.map((s) => s.server_id), ...usage.map((u) => u.serverId)]);
  return [...servers].sort().map((serverId) => {
    const versions = snapshots.filter((s) => s.server_id === serverId);
    const latest = versions[versions.length - 1];
    const listed = latest ? toolDefinitions(latest.canonical) : new Map<string, Record<string, unknown>>();
    const used = new Map(usage.filter((u) => u.serverId === serverId).map((u) => [u.name, u]));
    const tools: ToolUsage[] = [...new Set([...listed.keys(), ...used.keys()])].map((name) => {
      const u = used.get(name);
      const description = listed.get(name)?.description;
      return {
        name,
        description: typeof description === "string" ? description : null,
        inSchema: listed.has(name),
        calls: u?.calls ?? 0,
        errors: u?.errors ?? 0,
        lastCalledAt: u?.lastCalledAt ?? null,
      };
    });
    tools.sort((a, b) => b.calls - a.calls || a.name.localeCompare(b.name));
    return {
      serverId,
      schema: latest ? { hash: latest.hash, firstSeen: latest.first_seen, lastSeen: latest.last_seen, toolCount: listed.size } : null,
      tools,
      neverCalled: tools.filter((t) => t.inSchema && t.calls === 0).map((t) => t.name),
      changes: schemaChanges(versions),
    };
  });
}

function schemaChanges(versions: readonly SnapshotRow[]): SchemaChange[] {
  let previous = new Map<string, string>();
  return versions.map((v) => {
    const current = new Map([...toolDefinitions(v.canonical)].map(([name, def]) => [name, JSON.stringify(def)]));
    const change: SchemaChange = {
      at: v.first_seen,
      hash: v.hash,
      added: [...current.keys()].filter((n) => !previous.has(n)).sort(),
      removed: [...previous.keys()].filter((n) => !current.has(n)).sort(),
      modified: [...current.keys()].filter((n) => previous.has(n) && previous.get(n) !== current.get(n)).sort(),
    };
    previous = current;
    return change;
  });
}

/** Tool name → definition from a snapshot's canonical JSON (an array of tools, or a `{tools: [...]}` result). */
function toolDefinitions(canonical: string): Map<string, Record<string, unknown>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(canonical);
  } catch {
    return new Map();
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { tools?: unknown } | null)?.tools;
  const tools = new Map<string, Record<string, unknown>>();
  if (!Array.isArray(list)) return tools;
  for (const item of list) {
    const name = (item as { name?: unknown } | null)?.name;
    if (typeof name === "string") tools.set(name, item as Record<string, unknown>);
  }
  return tools;
}
