/**
 * The agent's outbox shipping into the real ingestion API and PostgreSQL, through faults: every
 * record must end up stored exactly once.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "./support/db";
import { makeRecord } from "./support/records";
import { startIngestServer, type Faults, type IngestServer } from "./support/ingest-server";
import { createPrismaClient, type Db } from "../server/db/client";
import { createPool } from "../server/db/pool";
import { generateApiKey } from "../server/keys";
import { openStoreForWriting, type StoreDb } from "../proxy-agent/src/record/store-database";
import { StoreWriter } from "../proxy-agent/src/record/store-writer";
import { SqliteOutbox } from "../proxy-agent/src/ship/sqlite-outbox";
import { IngestClient } from "../proxy-agent/src/ship/ingest-client";
import { OutboxShipper } from "../proxy-agent/src/ship/outbox-shipper";
import type { CallRecord } from "../proxy-agent/src/wire";

let tdb: TestDatabase;
let prisma: Db;
let pool: pg.Pool;
let tmp: string;
let serial = 0;

before(async () => {
  tdb = await createTestDatabase();
  prisma = createPrismaClient(tdb.url, { max: 4 });
  pool = createPool(tdb.url, 6);
  tmp = mkdtempSync(join(tmpdir(), "tapline-ship-"));
});

after(async () => {
  await pool.end();
  await prisma.$disconnect();
  await tdb.drop();
  rmSync(tmp, { recursive: true, force: true });
});

/** A project with its own key, a local store, and the real ingest server (with faults). */
async function setup(faults: Faults = {}) {
  const slug = `p${++serial}`;
  const org = await prisma.organization.create({ data: { name: slug, slug } });
  const project = await prisma.project.create({ data: { orgId: org.id, name: slug, slug } });
  const key = generateApiKey();
  await prisma.apiKey.create({ data: { projectId: project.id, name: "agent", prefix: key.prefix, hash: key.hash } });
  const dbPath = join(tmp, `${slug}.db`);
  const store = openStoreForWriting(dbPath);
  const writer = new StoreWriter(store, { capture: false, redactKeys: /password/i });
  const server = await startIngestServer(pool, prisma, faults, serial);
  return { projectId: project.id, key: key.key, dbPath, store, writer, server };
}

function shipperFor(store: StoreDb, server: IngestServer, apiKey: string) {
  const outbox = new SqliteOutbox(store, new URL(server.url).origin);
  const client = new IngestClient({ cloudUrl: server.url, apiKey, userAgent: "tapline-test" });
  const logs: string[] = [];
  const shipper = new OutboxShipper(outbox, client, {
    serverId: "weather",
    agentVersion: "test",
    cloudUrl: server.url,
    batchSize: 40,
    intervalMs: 20,
    backoff: { baseMs: 5, maxMs: 50 },
    log: (level, m) => logs.push(`${level}: ${m}`),
  });
  return { outbox, client, shipper, logs };
}

function records(n: number, session: string): CallRecord[] {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => makeRecord({ ts: now - n + i, sessionId: session, seq: i + 1, target: `tool_${i % 5}` }));
}

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function storedIds(projectId: string): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id::text FROM call_events WHERE project_id = $1`, [projectId]);
  return rows.map((r) => r.id);
}

async function assertExactlyOnce(projectId: string, sent: CallRecord[]) {
  const ids = await storedIds(projectId);
  assert.equal(ids.length, sent.length, "stored count equals calls made");
  assert.deepEqual(new Set(ids), new Set(sent.map((r) => r.id)), "every record, each once");
  const { rows } = await pool.query(`SELECT sum(calls)::int AS calls FROM call_sessions WHERE project_id = $1`, [projectId]);
  assert.equal(rows[0].calls, sent.length, "session counters match");
}

test("cloud down for the first half of the run, then started: every record arrives once", async () => {
  const s = await setup();
  await s.server.stop();
  const { shipper, outbox, client, logs } = shipperFor(s.store, s.server, s.key);
  shipper.start();
  const first = records(300, "down-1");
  s.writer.write(first, []);
  await until("the shipper notices the outage", () => shipper.status.state === "retrying");
  assert.equal(outbox.stats().backlog, 300, "nothing acknowledged, nothing lost");
  await s.server.start();
  const second = records(200, "down-2");
  s.writer.write(second, []);
  await until("backlog drained", () => outbox.stats().backlog === 0);
  await shipper.close();
  await client.close();
  await assertExactlyOnce(s.projectId, [...first, ...second]);
  assert.equal(logs.filter((l) => l.includes("cannot reach")).length, 1, "the outage is reported once, not per retry");
  assert.ok(logs.some((l) => l.includes("resumed")));
  await s.server.stop();
});

test("the cloud answering 500 and 429 at random: every record arrives once", async () => {
  const s = await setup({ errorRate: 0.4 });
  const { shipper, outbox, client } = shipperFor(s.store, s.server, s.key);
  shipper.start();
  const sent = records(600, "flaky");
  for (let i = 0; i < 600; i += 100) s.writer.write(sent.slice(i, i + 100), []);
  await until("backlog drained", () => outbox.stats().backlog === 0);
  await shipper.close();
  await client.close();
  assert.ok(s.server.counts.injectedError > 3, "faults were injected");
  await assertExactlyOnce(s.projectId, sent);
  await s.server.stop();
});

test("the connection dropped after the cloud stored a batch: the replay stores nothing twice", async () => {
  const s = await setup({ dropAfterStoreRate: 0.5 });
  const { shipper, outbox, client } = shipperFor(s.store, s.server, s.key);
  shipper.start();
  const sent = records(400, "dropped");
  s.writer.write(sent, []);
  await until("backlog drained", () => outbox.stats().backlog === 0);
  await shipper.close();
  await client.close();
  assert.ok(s.server.counts.droppedAfterStore > 0, "answers were lost after storing");
  await assertExactlyOnce(s.projectId, sent);
  await s.server.stop();
});

test("an agent SIGKILLed mid-ship and restarted: every record arrives once", async () => {
  const s = await setup({ delayMs: 30 });
  const sent = records(1000, "killed");
  s.writer.write(sent, []);
  const run = () => spawn(process.execPath, ["--import", "tsx", "tests/support/ship-until-empty.ts", s.dbPath, s.server.url, s.key], { stdio: ["ignore", "ignore", "pipe"] });
  const first = run();
  await until("some batches shipped", () => s.server.counts.ok >= 3);
  first.kill("SIGKILL");
  await new Promise((r) => first.once("exit", r));
  const partial = (await storedIds(s.projectId)).length;
  assert.ok(partial > 0 && partial < sent.length, `killed mid-run (${partial} stored)`);
  const second = run();
  const code = await new Promise((r) => second.once("exit", r));
  assert.equal(code, 0);
  await assertExactlyOnce(s.projectId, sent);
  await s.server.stop();
});

test("a revoked key stops shipping with one clear message and keeps the records", async () => {
  const s = await setup();
  await prisma.apiKey.updateMany({ where: { projectId: s.projectId }, data: { revokedAt: new Date() } });
  const { shipper, outbox, client, logs } = shipperFor(s.store, s.server, s.key);
  s.writer.write(records(10, "revoked"), []);
  shipper.start();
  await until("stopped", () => shipper.status.state === "stopped");
  await new Promise((r) => setTimeout(r, 100));
  await shipper.close();
  await client.close();
  assert.equal(s.server.counts.ok, 1, "not retried in a loop");
  assert.equal(logs.filter((l) => l.startsWith("error:")).length, 1);
  assert.match(logs.find((l) => l.startsWith("error:"))!, /revoked_api_key/);
  assert.equal(outbox.stats().backlog, 10);
  await s.server.stop();
});
