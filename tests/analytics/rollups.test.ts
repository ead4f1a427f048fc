/**
 * Rollups against real PostgreSQL, fed through the real ingestion path (storeBatch): long ranges
 * answered from call_rollups + raw edges must agree with the events — counts, sums and maxima
 * exactly, percentiles within the sketch's ±2 % — before the job runs (every hour dirty, read
 * raw), after it, and after late and duplicate events.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { makeBatch, makeRecord } from "../support/records";
import { createPool } from "../../server/db/pool";
import { PartitionManager } from "../../server/ingest/partitions";
import { storeBatch } from "../../server/ingest/store-batch";
import { getOrganizationSummary, getOverview, getToolDetail, listClients, listErrorGroups, listTools } from "../../server/analytics";
import { RELATIVE_ACCURACY, refreshRollups, type RollupFailure } from "../../server/analytics/rollups";
import type { CallRecord } from "../../proxy-agent/src/wire";

const H = 3_600_000;
const D = 24 * H;
const D0 = Date.UTC(2026, 10, 10);
const P = "project-r";
const Q = "project-q";
// Partial first hour, whole hours, two whole days, whole hours, partial last hour.
const RANGE = { from: new Date(D0 + 2.5 * H), to: new Date(D0 + 3 * D + 1.25 * H) };
const TOOLS = ["search", "fetch", "render", "slow_report"];
const CLIENTS: [string | null, string | null][] = [["Claude", "1.2"], ["ChatGPT", "5.0"], ["Cursor", null], [null, null]];

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function records(): CallRecord[] {
  const r = rng(7);
  const out: CallRecord[] = [];
  for (let t = D0; t < D0 + 4 * D; t += 97_000) {
    const tool = TOOLS[Math.floor(r() * r() * TOOLS.length)]!;
    const [clientName, clientVersion] = CLIENTS[Math.floor(r() * CLIENTS.length)]!;
    const scale = tool === "slow_report" ? 800_000 : 4_000 * (1 + TOOLS.indexOf(tool));
    const failing = r() < (tool === "render" ? 0.2 : 0.03);
    out.push(
      makeRecord({
        ts: t,
        durationUs: Math.max(1, Math.round(scale * -Math.log(1 - r()))),
        target: tool,
        clientName,
        clientVersion,
        sessionId: `s-${Math.floor(t / H)}`,
        bytesOut: Math.floor(r() * 50_000),
        ...(failing ? { status: r() < 0.5 ? ("tool_error" as const) : ("timeout" as const), errorMessage: "failed" } : {}),
      }),
    );
    if (r() < 0.05) out.push(makeRecord({ ts: t + 1, method: "resources/read", target: "file:///a", durationUs: 900, clientName, clientVersion }));
  }
  return out;
}

const inRange = (x: CallRecord, range = RANGE) => x.ts >= range.from.getTime() && x.ts < range.to.getTime();

/** A sketch answer must lie within ±α of percentile_cont's. */
function assertNearPercentile(actualMs: number | null, durationsUs: number[], q: number, what: string): void {
  const s = [...durationsUs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = s[Math.floor(pos)]!;
  const exact = (lo + (s[Math.ceil(pos)]! - lo) * (pos - Math.floor(pos))) / 1000;
  assert.ok(actualMs !== null, `${what}: no percentile`);
  assert.ok(Math.abs(actualMs - exact) <= exact * RELATIVE_ACCURACY + 0.001, `${what}: ${actualMs} ms not within ±2 % of ${exact} ms`);
}

describe("rollups", () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let partitions: PartitionManager;
  const all = records();

  before(async () => {
    db = await createTestDatabase();
    pool = createPool(db.url, 4);
    await pool.query(`INSERT INTO "Organization" (id, name, slug, "updatedAt") VALUES ('org', 'Org', 'org', now())`);
    for (const p of [P, Q]) await pool.query(`INSERT INTO "Project" (id, "orgId", name, slug, "updatedAt") VALUES ($1, 'org', $1, $1, now())`, [p]);
    partitions = new PartitionManager(pool, 2, 3650);
    for (let i = 0; i < all.length; i += 500) await storeBatch(pool, partitions, P, makeBatch(all.slice(i, i + 500)));
    // Another project's calls in the same hours must never leak into P's rollups.
    await storeBatch(pool, partitions, Q, makeBatch([makeRecord({ ts: D0 + D + 5 * H, target: "search", durationUs: 99_000_000 })]));
  });
  after(async () => {
    await pool?.end();
    await db?.drop();
  });

  const expectTools = async (label: string, expected = all) => {
    const res = await listTools(pool, { projectId: P }, RANGE);
    assert.equal(res.approximate, true);
    const calls = expected.filter((x) => inRange(x) && x.method === "tools/call");
    for (const tool of TOOLS) {
      const mine = calls.filter((x) => x.target === tool);
      const row = res.tools.find((t) => t.tool === tool);
      assert.ok(row, `${label}: ${tool} listed`);
      assert.equal(row.calls, mine.length, `${label}: ${tool} calls`);
      assert.equal(row.errors, mine.filter((x) => x.status !== "ok").length, `${label}: ${tool} errors`);
      assert.equal(row.maxMs, Math.max(...mine.map((x) => x.durationUs)) / 1000, `${label}: ${tool} max`);
      assert.equal(row.maxResponseBytes, Math.max(...mine.map((x) => x.bytesOut)));
      assert.ok(Math.abs(row.meanResponseBytes! - mine.reduce((a, x) => a + x.bytesOut, 0) / mine.length) < 1e-6);
      assert.equal(row.lastCalled?.getTime(), Math.max(...mine.map((x) => x.ts)));
      assert.equal(row.sparkline.reduce((a, b) => a + b, 0), mine.length, `${label}: ${tool} sparkline adds up`);
      for (const [q, v] of [[0.5, row.p50Ms], [0.95, row.p95Ms], [0.99, row.p99Ms]] as const) {
        assertNearPercentile(v, mine.map((x) => x.durationUs), q, `${label}: ${tool} p${q * 100}`);
      }
    }
    return res;
  };

  test("every hour an event landed in is marked dirty by ingestion, and a long range is right before any rollup", async () => {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM rollup_dirty WHERE project_id = $1`, [P]);
    assert.equal(rows[0]!.n, 4 * 24);
    await expectTools("unrolled");
  });

  test("the job rolls up closed hours only, clears their marks, and the views agree with the events", async () => {
    const now = new Date(D0 + 3 * D + 30 * 60_000); // hour D0+3d is still open
    const res = await refreshRollups(pool, { now });
    assert.equal(res.hours, 3 * 24 + 1, "P's 72 closed hours and Q's one");
    const { rows } = await pool.query<{ hour: Date }>(`SELECT hour FROM rollup_dirty WHERE project_id = $1 ORDER BY hour`, [P]);
    assert.equal(rows[0]!.hour.getTime(), D0 + 3 * D, "the open hour and later stay dirty");
    await refreshRollups(pool, { now: new Date(D0 + 30 * D) });
    assert.equal((await pool.query(`SELECT 1 FROM rollup_dirty`)).rowCount, 0);
    const tools = await expectTools("rolled up");
    // Q's 99 s call shares an hour with P's calls and must not raise P's maximum.
    assert.ok(tools.tools.every((t) => t.maxMs! < 99_000));
  });

  test("overview: totals, series and top lists from rollups match the events", async () => {
    const o = await getOverview(pool, { projectId: P }, RANGE);
    const calls = all.filter((x) => inRange(x));
    assert.equal(o.approximate, true);
    assert.equal(o.bucketSeconds, 3600);
    assert.equal(o.totals.calls, calls.length);
    assert.equal(o.totals.errors, calls.filter((x) => x.status !== "ok").length);
    assert.equal(o.series.reduce((a, p) => a + p.calls, 0), calls.length);
    assertNearPercentile(o.totals.p95Ms, calls.map((x) => x.durationUs), 0.95, "overview p95");
    const hour = o.series.find((p) => p.start.getTime() === D0 + D + 5 * H)!;
    const inHour = calls.filter((x) => x.ts >= D0 + D + 5 * H && x.ts < D0 + D + 6 * H);
    assert.equal(hour.calls, inHour.length);
    assertNearPercentile(hour.p50Ms, inHour.map((x) => x.durationUs), 0.5, "one hour's p50");
    assert.deepEqual(o.topTools.map((t) => t.name), [...new Set(TOOLS)].sort((a, b) => calls.filter((x) => x.target === b).length - calls.filter((x) => x.target === a).length));
    const unknown = o.topClients.find((c) => c.name === "unknown");
    assert.equal(unknown?.calls, calls.filter((x) => x.clientName === null).length);
    assert.equal(o.previous.calls, all.filter((x) => inRange(x, o.previousRange)).length);
  });

  test("tool detail and clients from rollups", async () => {
    const d = await getToolDetail(pool, { projectId: P }, RANGE, { tool: "render" });
    const mine = all.filter((x) => inRange(x) && x.target === "render");
    assert.equal(d.approximate, true);
    assert.equal(d.histogram.reduce((a, b) => a + b.count, 0), mine.length);
    assert.deepEqual(
      Object.fromEntries(d.statuses.map((s) => [s.status, s.count])),
      Object.fromEntries(["ok", "tool_error", "timeout"].map((s) => [s, mine.filter((x) => x.status === s).length]).filter(([, n]) => n)),
    );
    const slowest = [...mine].sort((a, b) => b.durationUs - a.durationUs || (a.id < b.id ? 1 : -1)).slice(0, 10);
    assert.deepEqual(d.slowest.map((c) => [c.id, c.durationMs]), slowest.map((x) => [x.id, x.durationUs / 1000]), "the exact 10 slowest, from rollups");
    const more = await getToolDetail(pool, { projectId: P }, RANGE, { tool: "render", slowest: 25 });
    assert.equal(more.slowest.length, 25, "more than the rollups keep falls back to the events");
    assert.deepEqual(more.slowest.slice(0, 10).map((c) => c.id), slowest.map((x) => x.id));
    const claude = d.clients.find((c) => c.clientName === "Claude")!;
    const claudeCalls = mine.filter((x) => x.clientName === "Claude");
    assert.equal(claude.calls, claudeCalls.length);
    assertNearPercentile(claude.p95Ms, claudeCalls.map((x) => x.durationUs), 0.95, "render × Claude p95");

    const clients = await listClients(pool, { projectId: P }, RANGE);
    const cursor = clients.find((c) => c.clientName === "Cursor")!;
    const cursorCalls = all.filter((x) => inRange(x) && x.clientName === "Cursor");
    assert.equal(cursor.calls, cursorCalls.length);
    assert.equal(cursor.toolsUsed, new Set(cursorCalls.filter((x) => x.method === "tools/call").map((x) => x.target)).size);
    assert.deepEqual(cursor.versions.map((v) => [v.clientVersion, v.calls]), [[null, cursorCalls.length]]);
    assertNearPercentile(cursor.p50Ms, cursorCalls.map((x) => x.durationUs), 0.5, "Cursor p50");
  });

  test("a late event in a rolled-up hour counts at once (its hour is read raw) and once after the next run", async () => {
    const late = makeRecord({ ts: D0 + D + 7 * H + 1234, target: "search", durationUs: 5_000_000 });
    await storeBatch(pool, partitions, P, makeBatch([late]));
    const withLate = [...all, late];
    await expectTools("late, dirty", withLate);
    await refreshRollups(pool, { now: new Date(D0 + 30 * D) });
    await expectTools("late, rolled up", withLate);
    // The same batch again: a duplicate, nothing marked or counted twice.
    const again = await storeBatch(pool, partitions, P, makeBatch([late]));
    assert.equal(again.duplicates, 1);
    assert.equal((await pool.query(`SELECT 1 FROM rollup_dirty`)).rowCount, 0);
    await expectTools("after a duplicate", withLate);
    all.push(late);
  });

  test("error groups over a long range: counts, first/last seen, clients exact; sessions estimated closely", async () => {
    const check = async (label: string) => {
      const res = await listErrorGroups(pool, { projectId: P }, RANGE);
      const failed = all.filter((x) => inRange(x) && x.status !== "ok");
      assert.equal(res.approximate, true);
      assert.equal(res.totalErrors, failed.length, `${label}: total`);
      for (const g of res.groups) {
        const mine = failed.filter((x) => x.target === g.target && x.status === g.status);
        assert.equal(g.count, mine.length, `${label}: ${g.target} ${g.status} count`);
        assert.equal(g.firstSeen.getTime(), Math.min(...mine.map((x) => x.ts)));
        assert.equal(g.lastSeen.getTime(), Math.max(...mine.map((x) => x.ts)));
        assert.equal(g.clients, new Set(mine.map((x) => x.clientName).filter((c) => c !== null)).size, `${label}: clients`);
        const sessions = new Set(mine.map((x) => x.sessionId)).size;
        assert.ok(Math.abs(g.sessions - sessions) <= Math.max(2, sessions * 0.15), `${label}: ${g.sessions} sessions estimated for ${sessions}`);
        assert.equal(g.trend.reduce((a, b) => a + b, 0), mine.length, `${label}: trend adds up`);
        assert.equal(g.sampleMessage, "failed");
      }
      assert.equal(res.groups.length, new Set(failed.map((x) => `${x.target} ${x.status}`)).size);
      const render = await listErrorGroups(pool, { projectId: P }, RANGE, { tool: "render" });
      assert.deepEqual(new Set(render.groups.map((g) => g.target)), new Set(["render"]));
    };
    await check("rolled up");
    // With a dirty hour in the middle of a rolled-up day, that hour comes from events again.
    await pool.query(`INSERT INTO rollup_dirty (project_id, hour) VALUES ($1, $2)`, [P, new Date(D0 + D + 3 * H)]);
    await check("one hour dirty");
    await refreshRollups(pool, { now: new Date(D0 + 30 * D) });
  });

  test("few calls: percentiles interpolate between ranks like percentile_cont (1.2 … 4.2 s → p95 ≈ 4.0 s)", async () => {
    const few = [1200, 1900, 2500, 3200, 4200].map((ms, i) => makeRecord({ ts: D0 + 2 * D + 9 * H + i * 1000, target: "five", durationUs: ms * 1000 }));
    await storeBatch(pool, partitions, P, makeBatch(few));
    await refreshRollups(pool, { now: new Date(D0 + 30 * D) });
    const t = (await listTools(pool, { projectId: P }, RANGE)).tools.find((x) => x.tool === "five")!;
    for (const [q, v] of [[0.5, t.p50Ms], [0.95, t.p95Ms], [0.99, t.p99Ms]] as const) assertNearPercentile(v, few.map((x) => x.durationUs), q, `five p${q * 100}`);
    await pool.query(`DELETE FROM call_events WHERE project_id = $1 AND target = 'five'`, [P]);
    await pool.query(`INSERT INTO rollup_dirty (project_id, hour) VALUES ($1, $2)`, [P, new Date(D0 + 2 * D + 9 * H)]);
    await refreshRollups(pool, { now: new Date(D0 + 30 * D) });
  });

  test("an hour whose rewrite keeps failing is retried after a back-off and does not hold back the hours after it", async () => {
    const [early, broken, later] = [D0 + D + 1 * H, D0 + D + 2 * H, D0 + 2 * D + 4 * H];
    const fresh = [early, broken, later].map((ts) => makeRecord({ ts: ts + 60_000, target: "fetch", durationUs: 7_000 }));
    await storeBatch(pool, partitions, P, makeBatch(fresh));
    const withFresh = [...all, ...fresh];
    // A real failure inside the rewrite of one hour: PostgreSQL refuses its rollup rows.
    await pool.query(`CREATE FUNCTION refuse_hour() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.grain = 3600 AND NEW.bucket = '${new Date(broken).toISOString()}' THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END $$`);
    await pool.query(`CREATE TRIGGER refuse_hour BEFORE INSERT ON call_rollups FOR EACH ROW EXECUTE FUNCTION refuse_hour()`);
    const now = new Date(D0 + 30 * D);
    const failures: RollupFailure[] = [];
    try {
      const res = await refreshRollups(pool, { now, onFailure: (f) => failures.push(f) });
      assert.deepEqual([res.hours, res.failed], [2, 1], "the two healthy hours rolled up, the broken one failed alone");
      assert.equal(failures.length, 1);
      assert.deepEqual([failures[0]!.hour.getTime(), failures[0]!.failures, failures[0]!.retryAt.getTime()], [broken, 1, now.getTime() + 60_000]);
      assert.match(failures[0]!.error.message, /disk on fire/);
      const dirty = await pool.query<{ hour: Date }>(`SELECT hour FROM rollup_dirty`);
      assert.deepEqual(dirty.rows.map((r) => r.hour.getTime()), [broken], "only the broken hour is left dirty");
      await expectTools("one hour failing", withFresh);
      // Before its retry time the hour is left alone; a second failure doubles the wait.
      assert.deepEqual(await refreshRollups(pool, { now: new Date(now.getTime() + 30_000) }), { hours: 0, days: 0, failed: 0 });
      const second = await refreshRollups(pool, { now: new Date(now.getTime() + 60_000), onFailure: (f) => failures.push(f) });
      assert.equal(second.failed, 1);
      assert.deepEqual([failures[1]!.failures, failures[1]!.retryAt.getTime()], [2, now.getTime() + 60_000 + 120_000]);
    } finally {
      await pool.query(`DROP TRIGGER refuse_hour ON call_rollups`);
      await pool.query(`DROP FUNCTION refuse_hour()`);
    }
    const healed = await refreshRollups(pool, { now: new Date(now.getTime() + 180_000) });
    assert.deepEqual([healed.hours, healed.failed], [1, 0]);
    assert.equal((await pool.query(`SELECT 1 FROM rollup_dirty`)).rowCount, 0);
    await expectTools("healed", withFresh);
    all.push(...fresh);
  });

  test("ingestion is not held up by a rewrite in progress, and what it stores meanwhile is rolled up by the next run", async () => {
    const hour = D0 + 2 * D + 6 * H;
    const first = makeRecord({ ts: hour + 60_000, target: "fetch", durationUs: 9_000 });
    const second = makeRecord({ ts: hour + 120_000, target: "fetch", durationUs: 11_000 });
    await storeBatch(pool, partitions, P, makeBatch([first]));
    // The hour's rewrite waits inside PostgreSQL on an advisory lock the test holds: a rewrite as long as the test wants.
    const gate = await pool.connect();
    await gate.query("SELECT pg_advisory_lock(424242)");
    await pool.query(`CREATE FUNCTION hold_hour() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.grain = 3600 AND NEW.bucket = '${new Date(hour).toISOString()}' THEN
        PERFORM pg_advisory_lock_shared(424242); PERFORM pg_advisory_unlock_shared(424242); END IF; RETURN NEW; END $$`);
    await pool.query(`CREATE TRIGGER hold_hour BEFORE INSERT ON call_rollups FOR EACH ROW EXECUTE FUNCTION hold_hour()`);
    let jobDone = false;
    const job = refreshRollups(pool, { now: new Date(D0 + 30 * D) }).finally(() => (jobDone = true));
    try {
      for (let i = 0; ; i++) {
        const waiting = await pool.query(`SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = 424242 AND NOT granted`);
        if (waiting.rowCount) break;
        assert.ok(i < 500, "the rewrite reached the gate");
        await new Promise((r) => setTimeout(r, 20));
      }
      await storeBatch(pool, partitions, P, makeBatch([second]));
      assert.equal(jobDone, false, "the batch was stored while the hour's rewrite was still open");
      const dirty = await pool.query(`SELECT 1 FROM rollup_dirty WHERE project_id = $1 AND hour = $2`, [P, new Date(hour)]);
      assert.equal(dirty.rowCount, 1, "the batch marked the hour being rewritten dirty again");
      await expectTools("during a rewrite", [...all, first, second]);
    } finally {
      await gate.query("SELECT pg_advisory_unlock(424242)");
      gate.release();
      await job;
      await pool.query(`DROP TRIGGER hold_hour ON call_rollups`);
      await pool.query(`DROP FUNCTION hold_hour()`);
    }
    assert.equal((await pool.query(`SELECT 1 FROM rollup_claims`)).rowCount, 0);
    await expectTools("after the rewrite, the hour still dirty", [...all, first, second]);
    await refreshRollups(pool, { now: new Date(D0 + 30 * D) });
    assert.equal((await pool.query(`SELECT 1 FROM rollup_dirty`)).rowCount, 0);
    await expectTools("rolled up again", [...all, first, second]);
    all.push(first, second);
  });

  test("organization summary over a long range from rollups", async () => {
    const s = await getOrganizationSummary(pool, { projectIds: [P, Q] }, RANGE);
    const p = s.projects.find((x) => x.projectId === P)!;
    const calls = all.filter((x) => inRange(x));
    assert.equal(p.calls, calls.length);
    assertNearPercentile(p.p95Ms, calls.map((x) => x.durationUs), 0.95, "org p95");
    assert.equal(s.projects.find((x) => x.projectId === Q)!.calls, 1);
    assert.equal(p.failingTools + p.degradedTools >= 1, true, "render fails 20 % and slow_report is slow");
  });
});
