import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteRecordSink, type SqliteSinkOptions } from "./sqlite-record-sink";
import { openStoreForReading, openStoreForWriting } from "./store-database";
import { StoreWriter } from "./store-writer";
import { capturingLogger, makeCallRecord, makeToolsSnapshot, silentLogger } from "./testing/call-record-fixture";
import { mountReadOnlyView, mountTinyDisk } from "./testing/hostile-filesystems";
import { SCHEMA_VERSION, userVersion } from "./store-migrations";
import { pragmaValue } from "./sqlite-pragma";

const DAY = 86_400_000;

function tempDb(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "tapline-store-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "nested", "tapline.db");
}

function sink(dbPath: string, extra: Partial<SqliteSinkOptions> = {}): SqliteRecordSink {
  return new SqliteRecordSink({
    dbPath,
    payloads: { capture: false, redactKeys: /token|password/i },
    log: silentLogger,
    retentionMs: 0,
    ...extra,
  });
}

function count(dbPath: string, sql = "SELECT count(*) AS n FROM calls"): number {
  const db = openStoreForReading(dbPath);
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

test("records reach a real SQLite file in WAL mode, with every field and the record's own id", async (t) => {
  const dbPath = tempDb(t);
  const s = sink(dbPath);
  const r = makeCallRecord({ durationUs: 12_345, status: "rpc_error", errorCode: -32602, errorMessage: "bad", bytesIn: 7, bytesOut: 9 });
  s.record(r);
  await s.close();
  const db = openStoreForReading(dbPath);
  t.after(() => db.close());
  assert.equal(pragmaValue(db, "journal_mode"), "wal");
  assert.equal(userVersion(db), SCHEMA_VERSION);
  const row = db.prepare("SELECT id, duration_us, status, error_code, error_message, bytes_in, bytes_out FROM calls").get() as Record<string, unknown>;
  assert.deepEqual(
    { id: row.id, d: row.duration_us, s: row.status, c: row.error_code, m: row.error_message, i: row.bytes_in, o: row.bytes_out },
    { id: r.id, d: 12_345, s: "rpc_error", c: -32602, m: "bad", i: 7, o: 9 },
  );
});

test("records are batched by size and the rest is written on flush and on close", async (t) => {
  const dbPath = tempDb(t);
  const s = sink(dbPath, { batchSize: 3, batchMs: 60_000 });
  for (let i = 0; i < 7; i++) s.record(makeCallRecord({ seq: i + 1 }));
  await s.flush();
  assert.equal(count(dbPath), 7);
  for (let i = 0; i < 2; i++) s.record(makeCallRecord());
  await s.close();
  assert.equal(count(dbPath), 9);
  assert.deepEqual(s.counters, { tapErrors: 0, recordErrors: 0, recordsDropped: 0 });
});

test("a full queue drops records and counts them instead of growing without bound", async (t) => {
  const dbPath = tempDb(t);
  const log = capturingLogger();
  const s = sink(dbPath, { batchSize: 1_000, batchMs: 60_000, maxQueued: 5, log });
  for (let i = 0; i < 8; i++) s.record(makeCallRecord());
  await s.close();
  assert.equal(count(dbPath), 5);
  assert.equal(s.counters.recordsDropped, 3);
  assert.equal(log.lines.filter((l) => l.includes("queue full")).length, 1);
});

test("payloads are stored only with capture on, and secrets are redacted at any depth", async (t) => {
  const dbPath = tempDb(t);
  const off = sink(dbPath);
  off.record(makeCallRecord({ rpcId: "off", payload: { request: { a: 1 } } }));
  await off.close();
  const on = sink(dbPath, { payloads: { capture: true, redactKeys: /token|password/i } });
  on.record(makeCallRecord({ rpcId: "on", payload: { request: { user: "x", nested: [{ password: "p", Access_Token: "t" }], auth: "Bearer abc" } } }));
  await on.close();
  const db = openStoreForReading(dbPath);
  t.after(() => db.close());
  const rows = db.prepare("SELECT rpc_id, payload FROM calls ORDER BY rpc_id").all() as { rpc_id: string; payload: string | null }[];
  assert.equal(rows.find((r) => r.rpc_id === "off")!.payload, null);
  assert.deepEqual(JSON.parse(rows.find((r) => r.rpc_id === "on")!.payload!), {
    request: { user: "x", nested: [{ password: "[REDACTED]", Access_Token: "[REDACTED]" }], auth: "[REDACTED]" },
  });
});

test("retention prunes old calls at start, keeping recent ones", async (t) => {
  const dbPath = tempDb(t);
  const now = Date.UTC(2026, 10, 23);
  const db = openStoreForWriting(dbPath);
  new StoreWriter(db, { capture: false, redactKeys: /x/ }).write(
    [makeCallRecord({ ts: now - 40 * DAY }), makeCallRecord({ ts: now - 31 * DAY }), makeCallRecord({ ts: now - 29 * DAY })],
    [],
  );
  db.close();
  const s = sink(dbPath, { retentionMs: 30 * DAY, now: () => now });
  await s.close();
  assert.equal(count(dbPath), 1);
});

test("schema snapshots are stored once per version per (server, kind), with first and last seen", async (t) => {
  const dbPath = tempDb(t);
  const s = sink(dbPath);
  const a = [{ name: "echo" }];
  const b = [{ name: "echo" }, { name: "add" }];
  s.snapshot(makeToolsSnapshot(a, 1000));
  s.snapshot(makeToolsSnapshot(a, 2000));
  s.snapshot(makeToolsSnapshot(a, 1500, "other-server"));
  s.snapshot(makeToolsSnapshot(b, 3000));
  s.snapshot(makeToolsSnapshot(a, 4000));
  await s.close();
  const db = openStoreForReading(dbPath);
  t.after(() => db.close());
  const rows = db.prepare("SELECT server_id, first_seen, last_seen FROM schema_snapshots ORDER BY server_id, first_seen").all();
  assert.deepEqual(
    rows.map((r) => ({ ...(r as object) })).map(({ _metadata, ...rest }: Record<string, unknown>) => rest),
    [
      { server_id: "other-server", first_seen: 1500, last_seen: 1500 },
      { server_id: "srv", first_seen: 1000, last_seen: 2000 },
      { server_id: "srv", first_seen: 3000, last_seen: 3000 },
      { server_id: "srv", first_seen: 4000, last_seen: 4000 },
    ],
  );
});

test("a read-only database never throws into the proxy: records are counted as errors and logged once", async (t) => {
  const dbPath = tempDb(t);
  openStoreForWriting(dbPath).close();
  const view = mountReadOnlyView(join(dbPath, ".."));
  if (!view) return t.skip("cannot bind-mount read-only here");
  t.after(() => view.unmount());
  const log = capturingLogger();
  const s = sink(join(view.dir, "tapline.db"), { log, batchSize: 2 });
  for (let i = 0; i < 5; i++) assert.doesNotThrow(() => s.record(makeCallRecord()));
  await s.close();
  assert.equal(s.counters.recordErrors, 5);
  assert.equal(log.lines.length, 1);
  assert.match(log.lines[0]!, /could not store records .*SQLITE_READONLY|could not store records/);
  assert.equal(count(dbPath), 0);
});

test("a full disk never throws into the proxy: failed batches are counted and logged once", async (t) => {
  const disk = mountTinyDisk(512);
  if (!disk) return t.skip("cannot mount a tmpfs here");
  t.after(() => disk.unmount());
  const log = capturingLogger();
  const s = sink(join(disk.dir, "tapline.db"), { log, batchSize: 50 });
  const big = "x".repeat(1000);
  for (let i = 0; i < 1000; i++) s.record(makeCallRecord({ errorMessage: big }));
  await s.close();
  assert.ok(s.counters.recordErrors > 0, "some batches failed " + JSON.stringify(log.lines) + s.counters.recordErrors);
  assert.ok(s.counters.recordErrors < 1000, "the first batches fitted " + JSON.stringify(log.lines));
  assert.equal(s.counters.recordErrors % 50, 0, "a batch is stored whole or not at all");
  assert.equal(log.lines.filter((l) => l.includes("SQLITE_FULL")).length, 1);
});

test("packed batches store every field exactly as recorded, in order, across multi-row inserts and payload mixes", async (t) => {
  const dbPath = tempDb(t);
  const s = sink(dbPath, { batchSize: 57, batchMs: 60_000, payloads: { capture: true, redactKeys: /token/i } });
  const records = Array.from({ length: 130 }, (_, i) =>
    makeCallRecord({
      ts: 1_763_924_000_000.123 + i / 7,
      durationUs: i * 13,
      sessionId: i % 3 === 0 ? null : `s-${i} \u00e9\ud83d\ude00 "q" \\ \n`,
      clientName: i % 4 === 0 ? null : "Claude Code",
      rpcId: i % 5 === 0 ? null : JSON.stringify(`id-${i}`),
      target: i % 6 === 0 ? null : `tool-${i}`,
      status: i % 2 === 0 ? "ok" : "rpc_error",
      errorCode: i % 2 === 0 ? null : -32000 - i,
      errorMessage: i % 2 === 0 ? null : `bad ${i}`,
      bytesIn: i,
      bytesOut: 2 * i,
      seq: i + 1,
      httpStatus: i % 7 === 0 ? null : 200,
      payload: i % 9 === 0 ? { request: { n: i, token: "secret" } } : null,
    }),
  );
  for (const r of records) s.record(r);
  await s.close();
  const db = openStoreForReading(dbPath);
  t.after(() => db.close());
  const rows = db.prepare("SELECT * FROM calls ORDER BY row_seq").all() as Record<string, unknown>[];
  assert.deepEqual(
    rows.map((r) => [r.id, r.ts, r.duration_us, r.server_id, r.transport, r.kind, r.direction, r.session_id, r.client_name, r.client_version,
      r.method, r.target, r.rpc_id, r.status, r.error_code, r.error_message, r.bytes_in, r.bytes_out, r.seq, r.http_status, r.payload]),
    records.map((r) => [r.id, r.ts, r.durationUs, r.serverId, r.transport, r.kind, r.direction, r.sessionId, r.clientName, r.clientVersion,
      r.method, r.target, r.rpcId, r.status, r.errorCode, r.errorMessage, r.bytesIn, r.bytesOut, r.seq, r.httpStatus,
      r.payload === null ? null : JSON.stringify({ request: { n: (r.payload.request as { n: number }).n, token: "[REDACTED]" } })]),
  );
});
