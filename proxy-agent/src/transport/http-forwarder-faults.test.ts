import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { runProxy } from "./index";
import type { RunningProxy } from "../config/types";
import { freePort, startEverythingServer } from "./test-support/everything-server";
import { testRuntime } from "./test-support/proxy-runtime";
import { MemoryRecordSink } from "./test-support/memory-record-sink";
import type { RpcAnswer } from "./test-support/rpc-answer";
import { startMisbehavingServer, type MisbehavingServer } from "../../test-fixtures/misbehaving-http-server";

let fixture: MisbehavingServer;
let proxy: RunningProxy;
let runtime: ReturnType<typeof testRuntime>;

before(async () => {
  fixture = await startMisbehavingServer();
  runtime = testRuntime({ kind: "http", remoteUrl: fixture.url }, { headers: { "x-extra": "from-config" } });
  proxy = await runProxy(runtime);
});
after(async () => {
  await proxy.close();
  await fixture.close();
});

function post(url: string, mode: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "x-fixture": mode, ...headers },
    body,
  });
}

test("a dead upstream yields 502 with a JSON-RPC error echoing the request id, and a transport_error record", async () => {
  const deadRuntime = testRuntime({ kind: "http", remoteUrl: `http://127.0.0.1:${await freePort()}/mcp` });
  const dead = await runProxy(deadRuntime);
  try {
    const res = await post(dead.url!, "", JSON.stringify({ jsonrpc: "2.0", id: "req-7", method: "tools/call", params: { name: "echo" } }));
    assert.equal(res.status, 502);
    const body = (await res.json()) as RpcAnswer;
    assert.equal(body.id, "req-7");
    assert.equal(body.jsonrpc, "2.0");
    assert.match(body.error!.message, /unreachable/);
    await deadRuntime.sink.waitFor((s) => s.records.length === 1);
    const record = deadRuntime.sink.records[0]!;
    assert.deepEqual([record.status, record.target, record.rpcId, record.httpStatus], ["transport_error", "echo", '"req-7"', null]);
  } finally {
    await dead.close();
  }
});

test("malformed JSON from the upstream is forwarded untouched and counted", async () => {
  const before = proxy.counters!.tapErrors;
  const res = await post(proxy.url!, "bad-json", '{"jsonrpc":"2.0","id":1,"method":"ping"}');
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "{this is not json");
  assert.equal(proxy.counters!.tapErrors, before + 1);
});

test("malformed JSON from the client reaches the upstream and its answer comes back unchanged", async () => {
  const upstream = await startEverythingServer("streamableHttp");
  const rt = testRuntime({ kind: "http", remoteUrl: upstream.url });
  const p = await runProxy(rt);
  try {
    const viaProxy = await post(p.url!, "", "{not json");
    const direct = await post(upstream.url, "", "{not json");
    assert.equal(viaProxy.status, direct.status);
    assert.equal(await viaProxy.text(), await direct.text());
    assert.equal(p.counters!.tapErrors, 1);
  } finally {
    await p.close();
    await upstream.stop();
  }
});

test("a 10 MB request and its 10 MB response pass through whole and are still recorded", async () => {
  const message = "x".repeat(10 * 1024 * 1024);
  const body = JSON.stringify({ jsonrpc: "2.0", id: 42, method: "tools/call", params: { name: "big", arguments: { message } } });
  const res = await post(proxy.url!, "echo-big", body);
  assert.equal(res.status, 200);
  const answer = (await res.json()) as RpcAnswer<{ received: number; content: Array<{ text: string }> }>;
  assert.equal(answer.result!.received, Buffer.byteLength(body));
  assert.equal(answer.result!.content[0]!.text.length, message.length);
  await runtime.sink.waitFor((s) => s.records.some((r) => r.rpcId === "42"));
  const record = runtime.sink.records.find((r) => r.rpcId === "42")!;
  assert.deepEqual([record.status, record.method, record.bytesIn], ["ok", "tools/call", Buffer.byteLength(body)]);
  assert.ok(record.bytesOut > message.length);
});

test("MCP headers, status codes and error bodies pass both ways; X-Forwarded-* and configured headers are added", async () => {
  const res = await post(proxy.url!, "headers", '{"jsonrpc":"2.0","id":1,"method":"ping"}', {
    "mcp-protocol-version": "2025-11-25",
    "mcp-session-id": "abc",
    "mcp-method": "ping",
    "mcp-name": "n",
    "mcp-param-region": "eu",
    "last-event-id": "5",
    authorization: "Bearer client-token",
  });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get("www-authenticate"), 'Bearer resource_metadata="http://x/.well-known/oauth-protected-resource"');
  assert.equal(res.headers.get("mcp-session-id"), "fixture-session");
  const seen = ((await res.json()) as RpcAnswer<{ headers: Record<string, string> }>).result!.headers;
  for (const [k, v] of Object.entries({ "mcp-protocol-version": "2025-11-25", "mcp-session-id": "abc", "mcp-method": "ping", "mcp-name": "n", "mcp-param-region": "eu", "last-event-id": "5", authorization: "Bearer client-token", accept: "application/json, text/event-stream", "content-type": "application/json", "x-extra": "from-config", "x-forwarded-proto": "http" })) {
    assert.equal(seen[k], v, k);
  }
  assert.equal(seen["x-forwarded-host"], new URL(proxy.url!).host);
  assert.equal(seen["x-forwarded-for"], "127.0.0.1");
  assert.equal(seen.host, new URL(fixture.url).host);
});

test("an SSE stream idle for a while is not cut by the proxy, and events arrive unbuffered", async () => {
  const res = await fetch(proxy.url!, { headers: { accept: "text/event-stream", "x-fixture": "idle", "x-idle-ms": "1500" } });
  assert.equal(res.headers.get("x-accel-buffering"), "no");
  const reader = res.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  assert.match(first, /before idle/, "the first event is delivered before the stream goes idle");
  let rest = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += new TextDecoder().decode(value);
  }
  assert.match(rest, /after idle/);
});

test("the upstream failing mid-stream ends the client's response and records a transport error", async () => {
  const res = await post(proxy.url!, "die-mid-stream", '{"jsonrpc":"2.0","id":"dies","method":"tools/call","params":{"name":"slow"}}');
  const text = await res.text().catch((e: Error) => `client saw: ${e.message}`);
  assert.ok(/progress|client saw/.test(text));
  await runtime.sink.waitFor((s) => s.records.some((r) => r.rpcId === '"dies"'));
  const record = runtime.sink.records.find((r) => r.rpcId === '"dies"')!;
  assert.equal(record.status, "transport_error");
  assert.match(record.errorMessage!, /mid-response/);
});

test("a client that disconnects aborts the upstream request", async () => {
  const closed = fixture.nextHoldClosed();
  const abort = new AbortController();
  const res = await fetch(proxy.url!, { headers: { accept: "text/event-stream", "x-fixture": "hold" }, signal: abort.signal });
  await res.body!.getReader().read();
  abort.abort();
  await closed;
});

test("non-MCP paths pass through untouched and are recorded as passthrough", async () => {
  const res = await fetch(new URL("/health?probe=1", proxy.url!));
  assert.equal(await res.text(), "ok");
  await runtime.sink.waitFor((s) => s.records.some((r) => r.kind === "passthrough" && r.target === "/health"));
  const record = runtime.sink.records.find((r) => r.kind === "passthrough")!;
  assert.deepEqual([record.method, record.httpStatus, record.status, record.bytesOut], ["GET", 200, "ok", 2]);
});

test("a bearer token is required from clients and forwarded upstream", async () => {
  const rt = testRuntime({ kind: "http", remoteUrl: fixture.url }, { bearerToken: "tok" });
  const p = await runProxy(rt);
  try {
    const denied = await post(p.url!, "headers", "{}");
    assert.equal(denied.status, 401);
    assert.equal(((await denied.json()) as RpcAnswer).error!.code, -32001);
    const wrong = await post(p.url!, "headers", "{}", { authorization: "Bearer nope" });
    assert.equal(wrong.status, 401);
    const allowed = await post(p.url!, "headers", "{}", { authorization: "Bearer tok" });
    assert.equal(((await allowed.json()) as RpcAnswer<{ headers: Record<string, string> }>).result!.headers.authorization, "Bearer tok");
  } finally {
    await p.close();
  }
});

test("a sink whose record() throws does not affect traffic", async () => {
  const upstream = await startEverythingServer("streamableHttp");
  const rt = testRuntime({ kind: "http", remoteUrl: upstream.url });
  const throwing = new MemoryRecordSink();
  throwing.record = () => {
    throw new Error("disk full");
  };
  throwing.snapshot = () => {
    throw new Error("disk full");
  };
  const p = await runProxy({ ...rt, sink: throwing });
  const client = new Client({ name: "t", version: "1" });
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(p.url!)));
    const tools = await client.listTools();
    assert.ok(tools.tools.length > 0);
    const echo = await client.callTool({ name: "echo", arguments: { message: "still works" } });
    assert.match(JSON.stringify(echo), /still works/);
    assert.ok(p.counters!.recordErrors >= 2);
  } finally {
    await client.close();
    await p.close();
    await upstream.stop();
  }
});

test("a client sending Expect: 100-continue gets its body forwarded", async () => {
  const { request } = await import("node:http");
  const body = JSON.stringify({ jsonrpc: "2.0", id: 77, method: "tools/call", params: { name: "big", arguments: { message: "y".repeat(200_000) } } });
  const answer = await new Promise<string>((resolve, reject) => {
    const req = request(proxy.url!, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body), expect: "100-continue", "x-fixture": "echo-big" },
    });
    req.on("continue", () => req.end(body));
    req.on("response", (res) => {
      let text = "";
      res.on("data", (c: Buffer) => (text += c.toString()));
      res.on("end", () => resolve(text));
    });
    req.on("error", reject);
  });
  assert.equal((JSON.parse(answer) as RpcAnswer<{ received: number }>).result!.received, Buffer.byteLength(body));
});
