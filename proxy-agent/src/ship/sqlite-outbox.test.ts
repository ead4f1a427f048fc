import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStoreForWriting } from "../record/store-database";
import { StoreWriter } from "../record/store-writer";
import { SqliteOutbox } from "./sqlite-outbox";
import { uuidv7 } from "../util/uuidv7";
import { CallRecordSchema, type CallRecord } from "../wire";

function record(ts: number, overrides: Partial<CallRecord> = {}): CallRecord {
  return {
    id: uuidv7(ts), ts, durationUs: 10, serverId: "s", transport: "stdio", kind: "request", direction: "c2s", sessionId: "a",
    clientName: "Claude", clientVersion: "1", method: "tools/call", target: "echo", rpcId: "1", status: "ok", errorCode: null,
    errorMessage: null, bytesIn: 10, bytesOut: 20, seq: 1, httpStatus: null, payload: null, ...overrides,
  };
}

function withStore(fn: (ctx: { writer: StoreWriter; outbox: SqliteOutbox; db: ReturnType<typeof openStoreForWriting> }) => void) {
  const dir = mkdtempSync(join(tmpdir(), "tapline-outbox-"));
  const db = openStoreForWriting(join(dir, "t.db"));
  try {
    fn({ db, writer: new StoreWriter(db, { capture: false, redactKeys: /password/i }), outbox: new SqliteOutbox(db, "http://cloud") });
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

test("the outbox hands out records in the order they were written, not by id, and moves only on ack", () => {
  withStore(({ writer, outbox }) => {
    const now = Date.now();
    const long = record(now - 5000, { target: "slow_tool" }); // started first, finished last
    const short = record(now - 100, { target: "fast_tool" });
    writer.write([short], []);
    writer.write([long], []);
    const first = outbox.next(1)!;
    assert.deepEqual(first.records.map((r) => r.target), ["fast_tool"]);
    assert.deepEqual(outbox.next(1)!.records.map((r) => r.target), ["fast_tool"], "not acknowledged: handed out again");
    outbox.ack(first.cursor);
    const second = outbox.next(10)!;
    assert.deepEqual(second.records.map((r) => r.target), ["slow_tool"]);
    assert.deepEqual(second.records[0], long, "round-trips every field");
    assert.ok(CallRecordSchema.safeParse(second.records[0]).success);
    outbox.ack(second.cursor);
    assert.equal(outbox.next(10), null);
    assert.deepEqual(outbox.stats(), { backlog: 0, dropped: 0 });
  });
});

test("over the disk cap the oldest unsent records are dropped and counted; acknowledged ones are kept", () => {
  withStore(({ writer, outbox }) => {
    const now = Date.now();
    const rows = Array.from({ length: 3000 }, (_, i) => record(now + i, { errorMessage: "x".repeat(200), seq: i + 1 }));
    writer.write(rows.slice(0, 1000), []);
    const sent = outbox.next(1000)!;
    outbox.ack(sent.cursor);
    writer.write(rows.slice(1000), []);
    assert.equal(outbox.stats().backlog, 2000);
    const dropped = outbox.enforceCap(200 * 1024);
    assert.ok(dropped > 0 && dropped < 2000, `dropped ${dropped}`);
    const stats = outbox.stats();
    assert.equal(stats.dropped, dropped);
    assert.equal(stats.backlog, 2000 - dropped);
    const next = outbox.next(1)!;
    assert.equal(next.records[0]!.seq, 1001 + dropped, "the oldest unsent went first");
  });
});

test("retention that deletes unsent records counts them as dropped", () => {
  withStore(({ writer, outbox }) => {
    const now = Date.now();
    writer.write([record(now - 10_000), record(now - 9_000), record(now)], []);
    outbox.ack(outbox.next(1)!.cursor);
    writer.prune(now - 1_000);
    assert.deepEqual(outbox.stats(), { backlog: 1, dropped: 1 });
  });
});
