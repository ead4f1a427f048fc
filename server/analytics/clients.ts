/**
 * Clients view: calls by client name (normalised: ChatGPT, Claude, Cursor, …; "unknown" when the
 * client never said) and by version within each name — error rate, p50/p95 latency, how many
 * distinct tools it used and which ones most.
 */
import type pg from "pg";
import { aggregateSql, GROUPING_SETS, rollupReader, rollupSource, usesRollups, type GroupingSet } from "./rollups";
import { assertRange, type ProjectScope, type TimeRange } from "./scope";
import { ERRORS, IN_SCOPE, IS_CALL, num, rate, usToMs } from "./sql";

export interface ClientStats {
  calls: number;
  errors: number;
  errorRate: number;
  p50Ms: number | null;
  p95Ms: number | null;
  /** Distinct tools called (tools/call targets). */
  toolsUsed: number;
}

export interface ClientVersionRow extends ClientStats {
  clientVersion: string | null;
}

export interface ClientRow extends ClientStats {
  clientName: string;
  /** Most called tools of this client, busiest first. */
  topTools: { tool: string; calls: number }[];
  /** Busiest version first. */
  versions: ClientVersionRow[];
}

export interface ClientsOptions {
  /** Tools listed per client (default 3). */
  topTools?: number;
}

const CLIENT = `coalesce(client_name, 'unknown')`;

const CLIENTS_SQL = `
SELECT ${CLIENT} AS client_name, client_version, GROUPING(client_version) AS all_versions,
  count(*)::float8 AS calls, ${ERRORS}::float8 AS errors,
  percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY duration_us) AS pct,
  count(DISTINCT target) FILTER (WHERE method = 'tools/call')::float8 AS tools_used
FROM call_events WHERE ${IN_SCOPE} AND ${IS_CALL}
GROUP BY GROUPING SETS ((${CLIENT}), (${CLIENT}, client_version))`;

const CLIENT_TOOLS_SQL = `
SELECT ${CLIENT} AS client_name, target AS tool, count(*)::float8 AS calls
FROM call_events WHERE ${IN_SCOPE} AND ${IS_CALL} AND method = 'tools/call' AND target IS NOT NULL
GROUP BY 1, 2`;

interface Row {
  client_name: string;
  client_version: string | null;
  all_versions: number;
  calls: number;
  errors: number;
  pct: (number | null)[] | null;
  tools_used: number;
}

function toStats(r: Row): ClientStats {
  const calls = num(r.calls);
  const errors = num(r.errors);
  return { calls, errors, errorRate: rate(errors, calls), p50Ms: usToMs(r.pct?.[0]), p95Ms: usToMs(r.pct?.[1]), toolsUsed: num(r.tools_used) };
}

export async function listClients(pool: pg.Pool, scope: ProjectScope, range: TimeRange, options: ClientsOptions = {}): Promise<ClientRow[]> {
  assertRange(range);
  const [clients, tools] = usesRollups(range) ? await fromRollups(pool, scope, range) : await fromEvents(pool, scope, range);
  const top = options.topTools ?? 3;
  const toolsBy = new Map<string, { tool: string; calls: number }[]>();
  for (const r of tools) {
    const list = toolsBy.get(r.client_name) ?? [];
    list.push({ tool: r.tool, calls: num(r.calls) });
    toolsBy.set(r.client_name, list);
  }
  const out = new Map<string, ClientRow>();
  for (const r of clients) {
    if (Number(r.all_versions) === 1) {
      const used = (toolsBy.get(r.client_name) ?? []).sort((a, b) => b.calls - a.calls || (a.tool < b.tool ? -1 : 1));
      out.set(r.client_name, { clientName: r.client_name, ...toStats(r), topTools: used.slice(0, top), versions: out.get(r.client_name)?.versions ?? [] });
    }
  }
  for (const r of clients) {
    if (Number(r.all_versions) === 0) out.get(r.client_name)?.versions.push({ clientVersion: r.client_version, ...toStats(r) });
  }
  const rows = [...out.values()];
  for (const c of rows) c.versions.sort((a, b) => b.calls - a.calls || String(a.clientVersion).localeCompare(String(b.clientVersion)));
  return rows.sort((a, b) => b.calls - a.calls || a.clientName.localeCompare(b.clientName));
}

type ToolUse = { client_name: string; tool: string; calls: number };

async function fromEvents(pool: pg.Pool, scope: ProjectScope, range: TimeRange): Promise<[Row[], ToolUse[]]> {
  const base = [scope.projectId, range.from, range.to];
  const [clients, tools] = await Promise.all([pool.query<Row>(CLIENTS_SQL, base), pool.query<ToolUse>(CLIENT_TOOLS_SQL, base)]);
  return [clients.rows, tools.rows];
}

const NAME = `coalesce(nullif(client_name, ''), 'unknown')`;
const IS_TOOL = `method = 'tools/call' AND target <> ''`;

/** Long ranges: names and versions with sketches, tools per client from the finer sets. */
async function fromRollups(pool: pg.Pool, scope: ProjectScope, range: TimeRange): Promise<[Row[], ToolUse[]]> {
  const reader = await rollupReader(pool, [scope.projectId], range);
  const run = <T extends pg.QueryResultRow>(set: GroupingSet, build: (src: string) => string) =>
    reader.query<T>({ days: true }, (p, plan, projects) => build(rollupSource(p, { set, plan, projects })));
  const stats = (set: GroupingSet, versions: boolean) =>
    run<Row>(set, (src) => {
      const keys = [{ sql: NAME, as: "client_name" }, ...(versions ? [{ sql: "nullif(client_version, '')", as: "client_version" }] : [])];
      return `SELECT client_name, ${versions ? "client_version, 0" : "NULL AS client_version, 1"} AS all_versions, calls::float8 AS calls,
          errors::float8 AS errors, pct, 0::float8 AS tools_used
        FROM (${aggregateSql(src, { keys, quantiles: [0.5, 0.95] })}) a`;
    });
  const [names, versions, tools, versionTools] = await Promise.all([
    stats(GROUPING_SETS.client, false),
    stats(GROUPING_SETS.clientVersion, true),
    run<ToolUse>(GROUPING_SETS.toolClient, (src) => {
      const sql = aggregateSql(src, { keys: [{ sql: NAME, as: "client_name" }, { sql: "target", as: "tool" }], where: IS_TOOL });
      return `SELECT client_name, tool, calls::float8 AS calls FROM (${sql}) a`;
    }),
    run<{ client_name: string; client_version: string | null; tools_used: number }>(GROUPING_SETS.full, (src) => {
      const keys = [{ sql: NAME, as: "client_name" }, { sql: "nullif(client_version, '')", as: "client_version" }, { sql: "target", as: "tool" }];
      return `SELECT client_name, client_version, count(*)::float8 AS tools_used FROM (${aggregateSql(src, { keys, where: IS_TOOL })}) a GROUP BY 1, 2`;
    }),
  ]);
  const toolsUsed = new Map<string, number>();
  for (const t of tools) toolsUsed.set(t.client_name, (toolsUsed.get(t.client_name) ?? 0) + 1);
  const versionUsed = new Map(versionTools.map((v) => [`${v.client_name}\u0000${v.client_version}`, num(v.tools_used)]));
  const rows: Row[] = [
    ...names.map((r) => ({ ...r, tools_used: toolsUsed.get(r.client_name) ?? 0 })),
    ...versions.map((r) => ({ ...r, tools_used: versionUsed.get(`${r.client_name}\u0000${r.client_version}`) ?? 0 })),
  ];
  return [rows, tools];
}
