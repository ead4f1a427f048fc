/**
 * Dashboard query benchmark (not a test): `npm run bench:dashboard`.
 *
 * Seeds a scratch database on the local PostgreSQL with 10 million call events (20 tools, 50,000
 * sessions, spread over the last 30 days so that ~31 daily partitions exist), runs ANALYZE, then
 * times every analytics view for the ranges 1h / 24h / 7d / 30d and writes the table into
 * docs/BENCHMARKS.md under "## Dashboard queries".
 *
 * Options: --events N (default 10000000), --runs N (default 5), --reseed (drop and seed again),
 * --seed-only, --keep (keep the scratch database; the default too, so re-runs skip seeding),
 * --drop (drop it at the end). Env TEST_DATABASE_ADMIN_URL picks the server.
 */
import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { loadavg } from "node:os";
import pg from "pg";
import { migrate } from "../../server/db/migrate";
import { createPool } from "../../server/db/pool";
import { PartitionManager, dayKey } from "../../server/ingest/partitions";
import { getOverview } from "../../server/analytics/overview";
import { listTools, getToolDetail } from "../../server/analytics/tools";
import { listSlowCalls } from "../../server/analytics/slow-calls";
import { listErrorGroups } from "../../server/analytics/errors";
import { listSessions, getSession } from "../../server/analytics/sessions";
import { listClients } from "../../server/analytics/clients";
import { refreshRollups } from "../../server/analytics/rollups";
import { getSchemaChanges, getCurrentSchema } from "../../server/analytics/schema";
import { getOrganizationSummary } from "../../server/analytics/organization";
import type { TimeRange } from "../../server/analytics/scope";

const DAY_MS = 86_400_000;
const DB_NAME = "tapline_bench_dashboard";
const PROJECT = "bench-project";
const SMALL_PROJECTS = ["bench-project-2", "bench-project-3"];
const TOOLS = 20;
const SESSIONS = 50_000;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const flag = (name: string) => process.argv.includes(`--${name}`);

const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const EVENTS = Number(arg("events") ?? 10_000_000);
const RUNS = Number(arg("runs") ?? 5);

function dbUrl(): string {
  const u = new URL(adminUrl);
  u.pathname = `/${DB_NAME}`;
  return u.toString();
}

async function admin<T extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return (await c.query<T>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

const log = (s: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${s}`);

/**
 * One INSERT … SELECT generate_series per chunk. Event i of n sits at start + i·span/n; sessions
 * are runs of 2,000 consecutive events interleaved 10 at a time (200 calls each, ~10 concurrent);
 * tool popularity is skewed (tool_00 busiest) and tool latency grows with its index (tool_19 ~1 s
 * mean); tool_07 fails ~30% of the time, the others ~2.7%.
 */
const SEED_SQL = `
INSERT INTO call_events (project_id, id, ts, duration_us, server_id, transport, kind, direction, session_id,
  client_name, client_version, method, target, rpc_id, status, error_code, error_message, error_group,
  bytes_in, bytes_out, seq, http_status, payload)
SELECT $1, gen_random_uuid(),
  $2::timestamptz + (i * $3::float8) * interval '1 millisecond',
  greatest(50, (2000 * power(1.4, t) * (0.1 + -ln(1 - r2)))::int8),
  'bench', 'http', 'request', 'c2s', 'bench-s-' || s,
  (ARRAY['Claude','ChatGPT','Cursor','VS Code','Claude Code','Inspector'])[1 + s % 6], '1.' || (s % 3),
  m, CASE m WHEN 'tools/call' THEN 'tool_' || lpad(t::text, 2, '0') WHEN 'resources/read' THEN 'file:///doc/' || (i % 50) END,
  ((i % 2000) / 10 + 1)::text, st,
  CASE st WHEN 'rpc_error' THEN -32603 END,
  CASE st WHEN 'tool_error' THEN 'upstream returned 502 for request ' || (i % 1000)
          WHEN 'rpc_error' THEN 'internal error at step ' || (i % 7)
          WHEN 'timeout' THEN 'no response within 30000 ms' END,
  CASE st WHEN 'ok' THEN NULL WHEN 'tool_error' THEN 'upstream returned <n> for request <n>'
          WHEN 'rpc_error' THEN 'internal error at step <n>' WHEN 'timeout' THEN 'no response within <n> ms' ELSE '' END,
  100 + (i % 400), (500 + r3 * 20000)::int, ((i % 2000) / 10 + 1)::int, 200, NULL
FROM (
  SELECT i, t, s, r2, r3,
    CASE WHEN i % 20 = 0 THEN 'resources/read' WHEN i % 20 = 1 THEN 'tools/list' ELSE 'tools/call' END AS m,
    CASE WHEN r4 < (CASE t WHEN 7 THEN 0.25 ELSE 0.02 END) THEN 'tool_error'
         WHEN r4 < (CASE t WHEN 7 THEN 0.28 ELSE 0.025 END) THEN 'rpc_error'
         WHEN r4 < (CASE t WHEN 7 THEN 0.30 ELSE 0.027 END) THEN 'timeout' ELSE 'ok' END AS st
  FROM (
    SELECT i, floor($4::int * power(r1, 2))::int AS t, ((i / 2000) * 10 + i % 10) % $5::int8 AS s, r2, r3, r4
    FROM (SELECT i, random() r1, random() r2, random() r3, random() r4 FROM generate_series($6::int8, $7::int8) i) a
  ) b
) c`;

const SESSIONS_SQL = `
INSERT INTO call_sessions (project_id, session_id, server_id, client_name, client_version, first_ts, last_ts, calls, errors)
SELECT project_id, session_id, min(server_id), min(client_name), min(client_version), min(ts), max(ts),
  count(*) FILTER (WHERE kind = 'request'), count(*) FILTER (WHERE kind = 'request' AND status <> 'ok')
FROM call_events WHERE project_id = $1 AND session_id IS NOT NULL GROUP BY project_id, session_id`;

function toolsSnapshot(version: number): string {
  const items = Array.from({ length: TOOLS + 2 }, (_, t) => ({
    name: `tool_${String(t).padStart(2, "0")}`,
    description: `Tool ${t}${version > 1 && t === 3 ? " (v2)" : ""}`,
    inputSchema: { type: "object", properties: { q: { type: "string" } } },
  })).filter((x, t) => version > 1 || t < TOOLS);
  return JSON.stringify(items);
}

async function seedProject(pool: pg.Pool, projectId: string, events: number, start: Date, spanMs: number): Promise<void> {
  await pool.query(
    `INSERT INTO "Organization" (id, name, slug, "updatedAt") VALUES ('bench-org', 'Bench', 'bench', now()) ON CONFLICT DO NOTHING`,
  );
  await pool.query(
    `INSERT INTO "Project" (id, "orgId", name, slug, "updatedAt") VALUES ($1, 'bench-org', $1, $1, now()) ON CONFLICT DO NOTHING`,
    [projectId],
  );
  const chunk = 250_000;
  for (let a = 0; a < events; a += chunk) {
    const b = Math.min(events, a + chunk) - 1;
    await pool.query(SEED_SQL, [projectId, start.toISOString(), spanMs / events, TOOLS, SESSIONS, a, b]);
    log(`${projectId}: ${b + 1}/${events} events`);
  }
  await pool.query(SESSIONS_SQL, [projectId]);
  for (const v of [1, 2]) {
    const canonical = toolsSnapshot(v);
    const seen = new Date(start.getTime() + (v === 1 ? 0 : spanMs / 2));
    await pool.query(
      `INSERT INTO schema_snapshots (project_id, server_id, kind, hash, canonical, first_seen, last_seen)
       VALUES ($1, 'bench', 'tools', md5($2) || md5($2), $2, $3, $3) ON CONFLICT DO NOTHING`,
      [projectId, canonical, seen],
    );
  }
}

async function seed(): Promise<void> {
  const exists = await admin(`SELECT 1 FROM pg_database WHERE datname = $1`, [DB_NAME]);
  if (exists.length && flag("reseed")) await admin(`DROP DATABASE "${DB_NAME}" WITH (FORCE)`);
  if (exists.length && !flag("reseed")) {
    const pool = createPool(dbUrl(), 2);
    try {
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::float8 AS n FROM call_sessions WHERE project_id = $1`, [PROJECT]);
      if ((rows[0]?.n ?? 0) > 0) {
        log(`reusing seeded database ${DB_NAME} (--reseed to start over); applying new migrations`);
        const applied = await migrate(dbUrl());
        if (applied.length) {
          log(`applied ${applied.join(", ")}; VACUUM ANALYZE`);
          await pool.query(`VACUUM ANALYZE`);
        }
        return;
      }
    } finally {
      await pool.end();
    }
    await admin(`DROP DATABASE "${DB_NAME}" WITH (FORCE)`);
  }
  await admin(`CREATE DATABASE "${DB_NAME}"`);
  await migrate(dbUrl());
  const pool = createPool(dbUrl(), 2);
  try {
    const end = Date.now();
    const spanMs = 30 * DAY_MS;
    const start = new Date(end - spanMs);
    const days = new Set<string>();
    for (let t = start.getTime(); t <= end + DAY_MS; t += DAY_MS) days.add(dayKey(t));
    await new PartitionManager(pool, 2, 90).ensure(days, end);
    log(`${days.size} daily partitions ready; seeding ${EVENTS} events`);
    const t0 = Date.now();
    await seedProject(pool, PROJECT, EVENTS, start, spanMs);
    for (const p of SMALL_PROJECTS) await seedProject(pool, p, Math.round(EVENTS / 100), start, spanMs);
    // VACUUM as well: autovacuum does it to an insert-only table in steady state, and index-only
    // scans need the visibility map it sets.
    log(`seeded in ${((Date.now() - t0) / 1000).toFixed(0)} s; VACUUM ANALYZE`);
    await pool.query(`VACUUM ANALYZE`);
  } finally {
    await pool.end();
  }
}

// ---------------------------------------------------------------------------------------------

interface Measured {
  view: string;
  range: string;
  p50: number;
  p95: number;
  runs: number;
}

function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Cells whose warm-up takes longer than this get SLOW_RUNS timed runs instead of RUNS (wall-clock budget). */
const SLOW_CELL_MS = 3000;
const SLOW_RUNS = 2;

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number; runs: number }> {
  const w0 = performance.now();
  await fn(); // warm-up: plan cache, buffers
  const runs = performance.now() - w0 > SLOW_CELL_MS ? Math.min(RUNS, SLOW_RUNS) : RUNS;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 0.5), p95: percentile(samples, 0.95), runs };
}

async function measure(): Promise<Measured[]> {
  const pool = createPool(dbUrl(), 4);
  try {
    const { rows } = await pool.query<{ end: Date }>(`SELECT max(ts) AS end FROM call_events WHERE project_id = $1`, [PROJECT]);
    const end = new Date(Math.ceil(rows[0]!.end.getTime() / 60_000) * 60_000);
    const scope = { projectId: PROJECT };
    const sampleSession = await listSessions(pool, scope, { from: new Date(end.getTime() - 3_600_000), to: end }, { limit: 1 });
    const sessionId = sampleSession.sessions[0]?.sessionId ?? "bench-s-0";
    const ranges: [string, number][] = [["1h", 3_600_000], ["24h", DAY_MS], ["7d", 7 * DAY_MS], ["30d", 30 * DAY_MS]];
    const views: [string, (r: TimeRange) => Promise<unknown>][] = [
      ["overview", (r) => getOverview(pool, scope, r)],
      ["tools (list)", (r) => listTools(pool, scope, r)],
      ["tool detail (tool_05)", (r) => getToolDetail(pool, scope, r, { tool: "tool_05" })],
      ["slow calls (≥1 s, by duration)", (r) => listSlowCalls(pool, scope, r, { thresholdMs: 1000, sort: "duration", limit: 50 })],
      ["slow calls (≥1 s, by time)", (r) => listSlowCalls(pool, scope, r, { thresholdMs: 1000, sort: "time", limit: 50 })],
      ["errors (groups)", (r) => listErrorGroups(pool, scope, r)],
      ["sessions (list)", (r) => listSessions(pool, scope, r, { limit: 50 })],
      ["session detail", (r) => getSession(pool, scope, r, { sessionId })],
      ["clients", (r) => listClients(pool, scope, r)],
      ["schema (current + changes)", (r) => Promise.all([getCurrentSchema(pool, scope), getSchemaChanges(pool, scope, r)])],
      ["organization (3 projects)", (r) => getOrganizationSummary(pool, { projectIds: [PROJECT, ...SMALL_PROJECTS] }, r)],
    ];
    const out: Measured[] = [];
    for (const [view, fn] of views) {
      for (const [label, ms] of ranges) {
        const r = { from: new Date(end.getTime() - ms), to: end };
        const m = await time(() => fn(r));
        out.push({ view, range: label, ...m });
        log(`${view} ${label}: p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms`);
      }
    }
    return out;
  } finally {
    await pool.end();
  }
}

function table(results: Measured[], meta: string): string {
  const ranges = ["1h", "24h", "7d", "30d"];
  const views = [...new Set(results.map((r) => r.view))];
  const cell = (v: string, r: string) => {
    const m = results.find((x) => x.view === v && x.range === r);
    if (!m) return "–";
    const mark = m.p95 >= 300 ? " ⚠" : "";
    return `${m.p50.toFixed(0)} / ${m.p95.toFixed(0)}${mark}`;
  };
  return [
    "## Dashboard queries",
    "",
    meta,
    "",
    "p50 / p95 in ms per view and range (⚠ = p95 at or over the 300 ms target).",
    "",
    `| view | ${ranges.join(" | ")} |`,
    `|---|${ranges.map(() => "---:").join("|")}|`,
    ...views.map((v) => `| ${v} | ${ranges.map((r) => cell(v, r)).join(" | ")} |`),
    "",
  ].join("\n");
}

function writeSection(section: string): void {
  const file = join(new URL("../..", import.meta.url).pathname, "docs", "BENCHMARKS.md");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n\n";
  const start = current.indexOf("## Dashboard queries");
  let next: string;
  if (start < 0) next = `${current.trimEnd()}\n\n${section}`;
  else {
    const after = current.indexOf("\n## ", start + 3);
    next = current.slice(0, start) + section + (after < 0 ? "" : `\n${current.slice(after + 1)}`);
  }
  writeFileSync(file, next.endsWith("\n") ? next : `${next}\n`);
}

/**
 * The seed writes call_events directly, not through ingestion, so it marks every hour dirty itself
 * and runs the rollup job as the app would; returns how long the job took.
 */
async function rollUp(): Promise<string> {
  const pool = createPool(dbUrl(), 2);
  try {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::float8 AS n FROM call_rollups`);
    if ((rows[0]?.n ?? 0) > 0 && !flag("rerollup")) return "rollups reused from an earlier run";
    await pool.query(`TRUNCATE call_rollups`);
    await pool.query(
      `INSERT INTO rollup_dirty (project_id, hour)
       SELECT DISTINCT project_id, date_bin(interval '1 hour', ts, timestamptz '1970-01-01 00:00:00+00') FROM call_events
       ON CONFLICT DO NOTHING`,
    );
    const t0 = performance.now();
    const done = await refreshRollups(pool);
    const s = (performance.now() - t0) / 1000;
    const { rows: n } = await pool.query<{ events: number; rows: number }>(
      `SELECT (SELECT count(*) FROM call_events)::float8 AS events, (SELECT count(*) FROM call_rollups)::float8 AS rows`,
    );
    await pool.query(`VACUUM ANALYZE call_rollups`);
    const msg = `the rollup job rolled up ${done.hours.toLocaleString("en")} hours and ${done.days} days (${Math.round(n[0]!.events).toLocaleString("en")} events → ${Math.round(n[0]!.rows).toLocaleString("en")} rollup rows) in ${s.toFixed(0)} s, ${Math.round(n[0]!.events / s).toLocaleString("en")} events/s`;
    log(msg);
    return msg;
  } finally {
    await pool.end();
  }
}

async function main(): Promise<void> {
  await seed();
  if (flag("seed-only")) return;
  const rollupNote = await rollUp();
  const loadBefore = loadavg()[0]!;
  const results = await measure();
  const load = `load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`;
  const meta =
    `Run ${new Date().toISOString().slice(0, 16)}Z by \`npm run bench:dashboard\` (scripts/bench/dashboard.ts): ` +
    `${EVENTS.toLocaleString("en")} events of one project (20 tools, ${SESSIONS.toLocaleString("en")} sessions, 30 days, ` +
    `daily partitions) plus two projects of 1% that size, PostgreSQL ${(await admin<{ v: string }>(`SELECT current_setting('server_version') AS v`))[0]?.v} ` +
    `with default settings (shared_buffers 128 MB, work_mem 4 MB), 2 cores shared with other work; ${RUNS} timed runs after one warm-up per cell ` +
    `(${SLOW_RUNS} when the warm-up took over ${SLOW_CELL_MS / 1000} s); ${load}. Before timing, ${rollupNote}. ` +
    `Ranges end at the newest event; ranges over 6 h read rollups for whole hours and days and events for the partial hours at the edges.`;
  writeSection(table(results, meta));
  log("wrote docs/BENCHMARKS.md");
  if (flag("drop")) await admin(`DROP DATABASE IF EXISTS "${DB_NAME}" WITH (FORCE)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
