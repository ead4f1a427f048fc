import { test } from "node:test";
import assert from "node:assert/strict";
import { CallTap, TapExchange } from "./call-tap";
import { MessageCapture } from "./message-capture";
import { MemoryRecordSink } from "../transport/test-support/memory-record-sink";
import { TestLogger } from "../transport/test-support/test-logger";
import type { TapCounters } from "../record/sink";

function setup(overrides: { pairingTimeoutMs?: number; capturePayloads?: boolean; maxBytes?: number } = {}) {
  const sink = new MemoryRecordSink();
  const counters: TapCounters = { tapErrors: 0, recordErrors: 0, recordsDropped: 0 };
  const tap = new CallTap({
    serverId: "srv",
    transport: "http",
    sink,
    log: new TestLogger(),
    counters,
    pairingTimeoutMs: overrides.pairingTimeoutMs ?? 60_000,
    capturePayloads: overrides.capturePayloads ?? false,
    redactKeys: /token|secret/i,
  });
  const max = overrides.maxBytes ?? 1 << 20;
  const msg = (value: unknown) => {
    const c = new MessageCapture(max);
    c.append(Buffer.from(typeof value === "string" ? value : JSON.stringify(value)));
    return c;
  };
  return { sink, counters, tap, msg };
}

test("a request and its response become one record with status, target, bytes and seq", () => {
  const { sink, tap, msg } = setup();
  const s = tap.session("s1");
  const ex = new TapExchange();
  ex.httpStatus = 200;
  tap.observe("client", s, msg({ jsonrpc: "2.0", id: 1, method: "initialize", params: { clientInfo: { name: "claude-ai", version: "0.1" } } }), ex);
  tap.observe("server", s, msg({ jsonrpc: "2.0", id: 1, result: { serverInfo: {} } }), ex);
  tap.observe("client", s, msg({ jsonrpc: "2.0", id: "a", method: "tools/call", params: { name: "echo" } }), ex);
  tap.observe("server", s, msg({ jsonrpc: "2.0", id: "a", result: { content: [{ type: "text", text: "boom" }], isError: true } }), ex);
  tap.observe("client", s, msg({ jsonrpc: "2.0", id: 3, method: "resources/read", params: { uri: "x://1" } }), ex);
  tap.observe("server", s, msg({ jsonrpc: "2.0", id: 3, error: { code: -32002, message: "not found" } }), ex);
  const [init, call, read] = sink.records;
  assert.equal(sink.records.length, 3);
  assert.deepEqual([init!.method, init!.status, init!.clientName, init!.clientVersion, init!.seq, init!.rpcId], ["initialize", "ok", "Claude", "0.1", 1, "1"]);
  assert.deepEqual([call!.target, call!.status, call!.errorMessage, call!.seq, call!.rpcId, call!.httpStatus], ["echo", "tool_error", "boom", 2, '"a"', 200]);
  assert.deepEqual([read!.target, read!.status, read!.errorCode, read!.errorMessage], ["x://1", "rpc_error", -32002, "not found"]);
  assert.ok(call!.bytesIn > 0 && call!.bytesOut > 0);
  tap.close();
});

test("server-to-client requests are paired with the client's response as s2c", () => {
  const { sink, tap, msg } = setup();
  const s = tap.session("s1");
  tap.observe("server", s, msg({ jsonrpc: "2.0", id: 0, method: "sampling/createMessage", params: {} }), null);
  tap.observe("client", s, msg({ jsonrpc: "2.0", id: 0, result: { role: "assistant" } }), null);
  assert.equal(sink.records.length, 1);
  assert.equal(sink.records[0]!.direction, "s2c");
  assert.equal(sink.records[0]!.status, "ok");
  tap.close();
});

test("notifications/cancelled closes the named request as cancelled and is itself counted", () => {
  const { sink, tap, msg } = setup();
  const s = tap.session("s1");
  tap.observe("client", s, msg({ jsonrpc: "2.0", id: 9, method: "tools/call", params: { name: "slow" } }), null);
  tap.observe("client", s, msg({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: 9, reason: "user" } }), null);
  tap.observe("server", s, msg({ jsonrpc: "2.0", id: 9, result: {} }), null);
  assert.deepEqual(sink.records.map((r) => [r.kind, r.method, r.status]), [
    ["request", "tools/call", "cancelled"],
    ["notification", "notifications/cancelled", "ok"],
  ]);
  tap.close();
});

test("a request with no response is closed as timeout by the sweep", async () => {
  const { sink, tap, msg } = setup({ pairingTimeoutMs: 20 });
  tap.observe("client", tap.session("s"), msg({ jsonrpc: "2.0", id: 1, method: "ping" }), null);
  await sink.waitFor((k) => k.records.length === 1);
  assert.equal(sink.records[0]!.status, "timeout");
  tap.close();
});

test("batches yield one record per request", () => {
  const { sink, tap, msg } = setup();
  const s = tap.session("s");
  tap.observe("client", s, msg([{ jsonrpc: "2.0", id: 1, method: "ping" }, { jsonrpc: "2.0", id: 2, method: "tools/list" }]), null);
  tap.observe("server", s, msg([{ jsonrpc: "2.0", id: 2, result: { tools: [] } }, { jsonrpc: "2.0", id: 1, result: {} }]), null);
  assert.deepEqual(sink.records.map((r) => r.method).sort(), ["ping", "tools/list"]);
  assert.equal(sink.snapshots.length, 1);
  tap.close();
});

test("unreadable JSON is counted, not thrown", () => {
  const { sink, tap, msg, counters } = setup();
  tap.observe("client", tap.session("s"), msg("{not json"), null);
  assert.equal(counters.tapErrors, 1);
  assert.equal(sink.records.length, 0);
  tap.close();
});

test("oversized messages are paired through their sniffed ids", () => {
  const { sink, tap, msg } = setup({ maxBytes: 100 });
  const s = tap.session("s");
  const big = "x".repeat(1000);
  tap.observe("client", s, msg(`{"method":"tools/call","params":{"name":"echo","arguments":{"m":"${big}"}},"jsonrpc":"2.0","id":5}`), null);
  tap.observe("server", s, msg(`{"result":{"content":[{"type":"text","text":"${big}"}]},"jsonrpc":"2.0","id":5}`), null);
  assert.equal(sink.records.length, 1);
  assert.deepEqual([sink.records[0]!.method, sink.records[0]!.status, sink.records[0]!.rpcId], ["tools/call", "ok", "5"]);
  assert.ok(sink.records[0]!.bytesIn > 1000);
  tap.close();
});

test("an HTTP error answer closes the exchange's calls with the anonymous JSON-RPC error", () => {
  const { sink, tap, msg } = setup();
  const ex = new TapExchange();
  tap.observe("client", tap.unnamedSession(), msg({ jsonrpc: "2.0", id: 1, method: "tools/list" }), ex);
  ex.httpStatus = 400;
  tap.observe("server", tap.unnamedSession(), msg({ jsonrpc: "2.0", id: null, error: { code: -32000, message: "Bad Request: No valid session ID provided" } }), ex);
  tap.exchangeEnded(ex);
  assert.deepEqual([sink.records[0]!.status, sink.records[0]!.errorCode, sink.records[0]!.httpStatus], ["rpc_error", -32000, 400]);
  tap.close();
});

test("captured payloads are redacted", () => {
  const { sink, tap, msg } = setup({ capturePayloads: true });
  const s = tap.session("s");
  tap.observe("client", s, msg({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "t", arguments: { apiToken: "abc", q: 1 } } }), null);
  tap.observe("server", s, msg({ jsonrpc: "2.0", id: 1, result: { content: [], secret: "s" } }), null);
  assert.deepEqual(sink.records[0]!.payload, {
    request: { name: "t", arguments: { apiToken: "[REDACTED]", q: 1 } },
    response: { content: [], secret: "[REDACTED]" },
  });
  tap.close();
});

test("a sink that throws is counted and the tap keeps working", () => {
  const { tap, msg, counters } = setup();
  (tap as unknown as { options: { sink: { record: () => void } } }).options.sink.record = () => {
    throw new Error("disk full");
  };
  const s = tap.session("s");
  tap.observe("client", s, msg({ jsonrpc: "2.0", id: 1, method: "ping" }), null);
  tap.observe("server", s, msg({ jsonrpc: "2.0", id: 1, result: {} }), null);
  assert.equal(counters.recordErrors, 1);
  assert.equal(tap.openCallCount, 0);
  tap.close();
});

test("an unnamed session that turns out to be a known one hands over its open calls", () => {
  const { sink, tap, msg } = setup();
  const known = tap.session("fixed");
  const unnamed = tap.unnamedSession();
  tap.observe("client", unnamed, msg({ jsonrpc: "2.0", id: 1, method: "tools/list" }), null);
  const merged = tap.nameSession(unnamed, "fixed");
  assert.equal(merged, known);
  tap.observe("server", merged, msg({ jsonrpc: "2.0", id: 1, result: { tools: [] } }), null);
  assert.deepEqual([sink.records[0]!.status, sink.records[0]!.sessionId], ["ok", "fixed"]);
  assert.equal(tap.openCallCount, 0);
  tap.close();
});
