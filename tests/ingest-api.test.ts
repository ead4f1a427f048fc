import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "./support/db";
import { makeBatch, makeRecord } from "./support/records";
import { createPrismaClient, type Db } from "../server/db/client";
import { createPool } from "../server/db/pool";
import { generateApiKey, ApiKeyVerifier } from "../server/keys";
import { MemoryRateLimiter } from "../server/ratelimit";
import { handleIngest, type IngestDeps } from "../server/ingest/handle-ingest";
import { ConcurrencyLimit } from "../server/ingest/concurrency-limit";
import { ingestRateLimiter, INGEST_LIMITS } from "../server/ingest";
import { PartitionManager, PARTITION_PREFIX, dayKey } from "../server/ingest/partitions";
import { markProjectsLive } from "../server/ingest/mark-live";
import { IngestResponseSchema, ApiErrorSchema } from "../proxy-agent/src/wire";

let tdb: TestDatabase;
let prisma: Db;
let pool: pg.Pool;
let deps: IngestDeps;
let key: string;
let projectId: string;
let otherOrgKey: string;

async function createKey(orgSlug: string): Promise<{ key: string; projectId: string; keyId: string }> {
  const org = await prisma.organization.create({ data: { name: orgSlug, slug: orgSlug } });
  const project = await prisma.project.create({ data: { orgId: org.id, name: "Weather", slug: "weather" } });
  const k = generateApiKey();
  const row = await prisma.apiKey.create({ data: { projectId: project.id, name: "agent", prefix: k.prefix, hash: k.hash } });
  return { key: k.key, projectId: project.id, keyId: row.id };
}

function post(body: unknown, init: { key?: string | null; headers?: Record<string, string>; raw?: BodyInit } = {}): Request {
  const headers: Record<string, string> = { "content-type": "application/json", ...init.headers };
  const k = init.key === undefined ? key : init.key;
  if (k !== null) headers.authorization = `Bearer ${k}`;
  return new Request("http://localhost/api/v1/ingest", { method: "POST", headers, body: init.raw ?? JSON.stringify(body) });
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(sql, params);
  return rows[0]!.n;
}

before(async () => {
  tdb = await createTestDatabase();
  prisma = createPrismaClient(tdb.url, { max: 4 });
  pool = createPool(tdb.url, 4);
  const a = await createKey("acme");
  key = a.key;
  projectId = a.projectId;
  otherOrgKey = (await createKey("globex")).key;
  deps = {
    pool,
    partitions: new PartitionManager(pool, 2, 90),
    verifyKey: (h) => new ApiKeyVerifier(() => prisma).verify(h),
    limiter: ingestRateLimiter(new MemoryRateLimiter(), 1_000_000),
    limits: INGEST_LIMITS,
    onFirstEvents: markProjectsLive(pool),
  };
});

after(async () => {
  await pool.end();
  await prisma.$disconnect();
  await tdb.drop();
});

describe("POST /api/v1/ingest", () => {
  test("stores every record of a batch with its project, tool, status and duration, and marks the project live", async () => {
    const t0 = Date.now() - 60_000;
    const records = [
      makeRecord({ ts: t0, seq: 1, sessionId: "s-a", target: "get_forecast", durationUs: 1500 }),
      makeRecord({ ts: t0 + 10, seq: 2, sessionId: "s-a", target: "get_alerts", status: "tool_error", errorMessage: "no such city" }),
      makeRecord({ ts: t0 + 20, seq: 3, sessionId: "s-a", method: "resources/read", target: "file:///a", status: "rpc_error", errorCode: -32002 }),
    ];
    const res = await handleIngest(post(makeBatch(records)), deps);
    assert.equal(res.status, 200);
    assert.deepEqual(IngestResponseSchema.parse(await res.json()), { accepted: 3, duplicates: 0, snapshots: 0 });
    const { rows } = await pool.query(
      `SELECT project_id, target, status, duration_us::int AS d, error_code, extract(epoch from ts) * 1000 AS ms FROM call_events WHERE session_id = 's-a' ORDER BY seq`,
    );
    assert.deepEqual(
      rows.map((r) => [r.project_id, r.target, r.status, r.d, r.error_code]),
      [
        [projectId, "get_forecast", "ok", 1500, null],
        [projectId, "get_alerts", "tool_error", 12345, null],
        [projectId, "file:///a", "rpc_error", 12345, -32002],
      ],
    );
    assert.ok(Math.abs(Number(rows[0].ms) - t0) < 1, "timestamp kept to the millisecond");
    const session = await pool.query(`SELECT calls, errors, client_name FROM call_sessions WHERE project_id = $1 AND session_id = 's-a'`, [projectId]);
    assert.deepEqual(session.rows[0], { calls: 3, errors: 2, client_name: "Claude" });
    const project = await prisma.project.findUniqueOrThrow({ where: { id: projectId } });
    assert.ok(project.firstEventAt, "firstEventAt set");
  });

  test("a batch sent twice is stored once and the answer counts the duplicates; session counters do not move", async () => {
    const records = Array.from({ length: 50 }, (_, i) => makeRecord({ sessionId: "s-dup", seq: i + 1 }));
    const first = await (await handleIngest(post(makeBatch(records)), deps)).json();
    assert.deepEqual(first, { accepted: 50, duplicates: 0, snapshots: 0 });
    const mixed = [...records.slice(0, 10), makeRecord({ sessionId: "s-dup", seq: 51 })];
    const second = await (await handleIngest(post(makeBatch(mixed)), deps)).json();
    assert.deepEqual(second, { accepted: 1, duplicates: 10, snapshots: 0 });
    assert.equal(await count(`SELECT count(*)::int AS n FROM call_events WHERE session_id = 's-dup'`), 51);
    assert.equal(await count(`SELECT calls AS n FROM call_sessions WHERE session_id = 's-dup'`), 51);
  });

  test("every field is stored as sent, whether the batch's records share its value or not", async () => {
    const t0 = Date.now() - 120_000;
    const varied = [
      makeRecord({ ts: t0 + 0.25, sessionId: "s-fields", seq: 1, payload: { request: { q: 'a "b"' } }, status: "rpc_error", errorCode: -32601, errorMessage: "no such method 7" }),
      makeRecord({ ts: t0 + 1, sessionId: null, clientName: null, clientVersion: null, target: null, rpcId: null, httpStatus: null, transport: "stdio", kind: "notification", direction: "s2c", method: "notifications/progress", serverId: "other", durationUs: 0, bytesIn: 1, bytesOut: 2, seq: 0 }),
    ];
    const alike = [makeRecord({ ts: t0 + 2, sessionId: "s-fields-2", seq: 1 }), makeRecord({ ts: t0 + 3, sessionId: "s-fields-2", seq: 2 })];
    const columns = `id, (extract(epoch from ts) * 1000)::float8 AS ts, duration_us::float8 AS "durationUs", server_id AS "serverId", transport, kind, direction,
      session_id AS "sessionId", client_name AS "clientName", client_version AS "clientVersion", method, target, rpc_id AS "rpcId", status,
      error_code AS "errorCode", error_message AS "errorMessage", bytes_in AS "bytesIn", bytes_out AS "bytesOut", seq, http_status AS "httpStatus", payload`;
    for (const records of [varied, alike]) {
      assert.equal((await (await handleIngest(post(makeBatch(records)), deps)).json()).accepted, records.length);
      const { rows } = await pool.query(`SELECT ${columns} FROM call_events WHERE id = ANY($1::uuid[]) ORDER BY ts`, [records.map((r) => r.id)]);
      assert.deepEqual(
        rows.map((r) => ({ ...r, ts: Math.round(r.ts * 1000) / 1000 })),
        records.map((r) => ({ ...r })),
      );
    }
    const { rows } = await pool.query(`SELECT error_group FROM call_events WHERE id = $1`, [varied[0]!.id]);
    assert.equal(rows[0].error_group, "no such method <n>");
  });

  test("the same batch sent twice at once is stored once: one answer accepts it, the other counts duplicates", async () => {
    const records = Array.from({ length: 200 }, (_, i) => makeRecord({ sessionId: "s-race", seq: i + 1 }));
    const answers = await Promise.all([0, 1].map(async () => (await handleIngest(post(makeBatch(records)), deps)).json()));
    assert.deepEqual(
      answers.sort((a, b) => b.accepted - a.accepted),
      [
        { accepted: 200, duplicates: 0, snapshots: 0 },
        { accepted: 0, duplicates: 200, snapshots: 0 },
      ],
    );
    assert.equal(await count(`SELECT calls AS n FROM call_sessions WHERE session_id = 's-race'`), 200);
  });

  test("a record repeated within one batch is stored once and counted as a duplicate", async () => {
    const r = makeRecord({ sessionId: "s-repeat" });
    const res = await (await handleIngest(post(makeBatch([r, makeRecord({ sessionId: "s-repeat", seq: 2 }), r])), deps)).json();
    assert.deepEqual(res, { accepted: 2, duplicates: 1, snapshots: 0 });
    assert.equal(await count(`SELECT calls AS n FROM call_sessions WHERE session_id = 's-repeat'`), 2);
  });

  test("a batch of the largest size, gzip, is stored whole", async () => {
    const records = Array.from({ length: 5000 }, (_, i) => makeRecord({ sessionId: `s-large-${i % 50}`, seq: i + 1, errorMessage: i % 7 ? null : 'quote " and, comma ]}' }));
    const res = await handleIngest(post(null, { headers: { "content-encoding": "gzip" }, raw: gzipSync(JSON.stringify(makeBatch(records))) }), deps);
    assert.deepEqual(await res.json(), { accepted: 5000, duplicates: 0, snapshots: 0 });
    assert.equal(await count(`SELECT count(*)::int AS n FROM call_events WHERE session_id LIKE 's-large-%'`), 5000);
  });

  test("accepts gzip bodies", async () => {
    const batch = makeBatch([makeRecord({ sessionId: "s-gzip" })]);
    const res = await handleIngest(post(null, { headers: { "content-encoding": "gzip" }, raw: gzipSync(JSON.stringify(batch)) }), deps);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).accepted, 1);
  });

  test("schema snapshots are stored once per version and reported drops are kept as the highest count", async () => {
    const snap = { id: makeRecord().id, serverId: "weather", kind: "tools" as const, hash: "a".repeat(64), canonical: '[{"name":"get_forecast"}]', capturedAt: Date.now() };
    for (let i = 0; i < 2; i++) {
      const res = await handleIngest(post(makeBatch([], { snapshots: [snap], dropped: 7 })), deps);
      assert.equal(res.status, 200);
    }
    assert.equal(await count(`SELECT count(*)::int AS n FROM schema_snapshots WHERE project_id = $1`, [projectId]), 1);
    assert.equal(await count(`SELECT dropped::int AS n FROM ingest_drops WHERE project_id = $1`, [projectId]), 7);
  });

  test("keys: missing, malformed, unknown, revoked → 401 with a clear message; nothing stored", async () => {
    const before = await count(`SELECT count(*)::int AS n FROM call_events`);
    const batch = makeBatch([makeRecord({ sessionId: "s-auth" })]);
    const revoked = await createKey("initech");
    await prisma.apiKey.update({ where: { id: revoked.keyId }, data: { revokedAt: new Date() } });
    const cases: [string | null, string][] = [
      [null, "missing_api_key"],
      ["not-a-key", "malformed_api_key"],
      [`tpl_${"x".repeat(43)}`, "invalid_api_key"],
      [revoked.key, "revoked_api_key"],
    ];
    for (const [k, code] of cases) {
      const res = await handleIngest(post(batch, { key: k }), deps);
      assert.equal(res.status, 401, `status for ${code}`);
      const body = ApiErrorSchema.parse(await res.json());
      assert.equal(body.error.code, code);
      assert.ok(body.error.message.length > 20);
    }
    assert.equal(await count(`SELECT count(*)::int AS n FROM call_events`), before);
  });

  test("a key of another organization's project stores into that project only", async () => {
    const res = await handleIngest(post(makeBatch([makeRecord({ sessionId: "s-globex" })]), { key: otherOrgKey }), deps);
    assert.equal(res.status, 200);
    assert.equal(await count(`SELECT count(*)::int AS n FROM call_events WHERE session_id = 's-globex' AND project_id = $1`, [projectId]), 0);
    assert.equal(await count(`SELECT count(*)::int AS n FROM call_events WHERE session_id = 's-globex'`), 1);
  });

  test("bad bodies: wrong content type 415, garbage 400, invalid records 400 with field paths and nothing stored, oversize 413", async () => {
    const before = await count(`SELECT count(*)::int AS n FROM call_events`);
    const r415 = await handleIngest(post(null, { headers: { "content-type": "text/plain" }, raw: "{}" }), deps);
    assert.equal(r415.status, 415);
    const r400 = await handleIngest(post(null, { raw: "{not json" }), deps);
    assert.equal(r400.status, 400);
    assert.equal(ApiErrorSchema.parse(await r400.json()).error.code, "invalid_json");

    const bad = Array.from({ length: 10_000 }, (_, i) => ({ ...makeRecord({ sessionId: "s-bad" }), durationUs: i % 2 ? -1 : 5, status: "weird" }));
    const rBad = await handleIngest(post(makeBatch([makeRecord({ sessionId: "s-bad" })].concat(bad as never).slice(0, 5000))), deps);
    assert.equal(rBad.status, 400);
    const body = ApiErrorSchema.parse(await rBad.json());
    assert.equal(body.error.code, "invalid_batch");
    assert.ok(body.error.issues && body.error.issues.length === 20);
    assert.match(body.error.issues[0]!.path, /^records\.\d+\.(durationUs|status)$/);
    const tooMany = await handleIngest(post(makeBatch(bad.slice(0, 10_000) as never)), deps);
    assert.equal(tooMany.status, 400);

    const huge = "x".repeat(50 * 1024 * 1024);
    const r413 = await handleIngest(post(null, { raw: huge, headers: { "content-length": String(huge.length) } }), deps);
    assert.equal(r413.status, 413);
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 32));
    const rBomb = await handleIngest(post(null, { headers: { "content-encoding": "gzip" }, raw: bomb }), deps);
    assert.equal(rBomb.status, 413);
    assert.equal(await count(`SELECT count(*)::int AS n FROM call_events`), before);
  });

  test("over the per-project rate limit → 429 with Retry-After", async () => {
    const limited: IngestDeps = { ...deps, limiter: ingestRateLimiter(new MemoryRateLimiter(), 5) };
    const ok = await handleIngest(post(makeBatch([makeRecord({ sessionId: "s-rate" })])), limited);
    assert.equal(ok.status, 200);
    const res = await handleIngest(post(makeBatch(Array.from({ length: 10 }, () => makeRecord({ sessionId: "s-rate" })))), limited);
    assert.equal(res.status, 429);
    assert.ok(Number(res.headers.get("retry-after")) >= 1);
  });

  test("more batches than the database queue holds → 503 overloaded with Retry-After, nothing stored; the queued ones are stored", async () => {
    // One database slot, one waiting place, and a PostgreSQL lock that holds the first insert.
    const busy: IngestDeps = { ...deps, storeLimit: new ConcurrencyLimit(1, 1) };
    const blocker = await deps.pool.connect();
    await blocker.query(`BEGIN; LOCK TABLE call_sessions IN EXCLUSIVE MODE`);
    const batch = (s: string) => post(makeBatch([makeRecord({ sessionId: s })]));
    const first = handleIngest(batch("s-q1"), busy);
    const second = handleIngest(batch("s-q2"), busy);
    while (!busy.storeLimit!.full) await new Promise((r) => setTimeout(r, 10));
    const third = await handleIngest(batch("s-q3"), busy);
    assert.equal(third.status, 503);
    assert.equal(third.headers.get("retry-after"), "1");
    assert.equal(((await third.json()) as { error: { code: string } }).error.code, "overloaded");
    await blocker.query("COMMIT");
    blocker.release();
    assert.deepEqual([(await first).status, (await second).status], [200, 200]);
    const stored = await count(`SELECT count(*)::int AS n FROM call_events WHERE session_id IN ('s-q1', 's-q2', 's-q3') AND project_id = $1`, [projectId]);
    assert.equal(stored, 2);
  });
});

describe("call_events partitions", () => {
  test("each day gets its partition, rows that arrived early move into it, and retention drops whole old partitions", async () => {
    const day = 86_400_000;
    const now = Date.now();
    // A record 95 days old is outside retention: it lands in the default partition, then is trimmed.
    const old = makeRecord({ ts: now - 95 * day, sessionId: "s-old" });
    const recent = makeRecord({ ts: now - 10 * day, sessionId: "s-recent" });
    const res = await handleIngest(post(makeBatch([old, recent])), deps);
    assert.deepEqual(await res.json(), { accepted: 2, duplicates: 0, snapshots: 0 });
    const parts = async () =>
      (await pool.query<{ name: string }>(`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'call_events'::regclass`)).rows.map((r) => r.name);
    const names = await parts();
    assert.ok(names.includes(`${PARTITION_PREFIX}${dayKey(recent.ts)}`), `partitions: ${names.join(", ")}`);
    assert.equal(await count(`SELECT count(*)::int AS n FROM call_events_default WHERE session_id = 's-old'`), 1);

    // 25 days later (simulated), the recent day is past a 30-day retention and is dropped whole.
    const later = new PartitionManager(pool, 2, 30);
    const dropped = await later.dropExpired(now + 25 * day);
    assert.ok(dropped.includes(`${PARTITION_PREFIX}${dayKey(recent.ts)}`), `dropped: ${dropped.join(", ")}`);
    assert.equal(await count(`SELECT count(*)::int AS n FROM call_events WHERE session_id IN ('s-old', 's-recent')`), 0);
  });

  test("a day whose rows were written to the default partition gets its partition with those rows moved in", async () => {
    const ts = Date.now() + 5 * 86_400_000; // beyond the 2 days ahead: goes to default first
    const rec = makeRecord({ ts, sessionId: "s-future" });
    assert.equal((await handleIngest(post(makeBatch([rec])), deps)).status, 200);
    assert.equal(await count(`SELECT count(*)::int AS n FROM call_events_default WHERE session_id = 's-future'`), 1);
    await new PartitionManager(pool, 10, 90).ensure([dayKey(ts)]);
    assert.equal(await count(`SELECT count(*)::int AS n FROM call_events_default WHERE session_id = 's-future'`), 0);
    assert.equal(await count(`SELECT count(*)::int AS n FROM ${PARTITION_PREFIX}${dayKey(ts)} WHERE session_id = 's-future'`), 1);
  });
});
