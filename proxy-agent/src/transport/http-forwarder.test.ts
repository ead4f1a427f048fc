import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { runProxy } from "./index";
import type { RunningProxy } from "../config/types";
import { startEverythingServer, type RunningUpstream } from "./test-support/everything-server";
import { testRuntime } from "./test-support/proxy-runtime";
import { cancelAfterFirstProgress, connectScenarioClient, runScenario } from "./test-support/mcp-scenario";

let upstream: RunningUpstream;
let proxy: RunningProxy;
const runtime = () => current;
let current: ReturnType<typeof testRuntime>;

before(async () => {
  upstream = await startEverythingServer("streamableHttp");
  current = testRuntime({ kind: "http", remoteUrl: upstream.url });
  proxy = await runProxy(current);
});

after(async () => {
  await proxy.close();
  await upstream.stop();
});

const clients: Client[] = [];
async function client(url: string): Promise<Client> {
  const c = await connectScenarioClient(new StreamableHTTPClientTransport(new URL(url)));
  clients.push(c);
  return c;
}
after(async () => {
  for (const c of clients) await c.close().catch(() => {});
});

test("the SDK client gets the same results through the proxy as directly", async () => {
  const direct = await runScenario(await client(upstream.url));
  const proxied = await runScenario(await client(proxy.url!));
  assert.deepEqual(proxied, direct);
  assert.equal(proxied.progressArrived, true, "progress notifications arrive through the proxy");
});

test("records match what the client did", async () => {
  const sink = runtime().sink;
  const c = await client(proxy.url!);
  await runScenario(c);
  const sessionId = (c.transport as StreamableHTTPClientTransport).sessionId!;
  await sink.waitFor((s) => s.records.some((r) => r.sessionId === sessionId && r.method === "ping" && r.kind === "request"));
  const mine = sink.records.filter((r) => r.sessionId === sessionId);
  const init = mine.find((r) => r.method === "initialize")!;
  assert.deepEqual([init.clientName, init.clientVersion, init.status, init.seq, init.direction, init.transport, init.httpStatus], ["Claude", "9.9.9", "ok", 1, "c2s", "http", 200]);
  const byTarget = (method: string, target: string | null) => mine.filter((r) => r.kind === "request" && r.method === method && r.target === target);
  assert.equal(byTarget("tools/call", "echo")[0]?.status, "ok");
  assert.equal(byTarget("tools/call", "get-sum").map((r) => r.status).sort().join(), "ok,tool_error");
  const unknown = byTarget("tools/call", "no-such-tool")[0]!;
  assert.equal(unknown.status === "rpc_error" || unknown.status === "tool_error", true);
  const missing = byTarget("resources/read", "demo://nope")[0]!;
  assert.equal(missing.status, "rpc_error");
  assert.equal(typeof missing.errorCode, "number");
  assert.equal(byTarget("prompts/get", "args-prompt")[0]?.status, "ok");
  assert.equal(byTarget("resources/subscribe", "demo://resource/static/document/features.md")[0]?.status, "ok");
  const s2c = mine.filter((r) => r.direction === "s2c" && r.kind === "request").map((r) => r.method);
  for (const m of ["sampling/createMessage", "elicitation/create", "roots/list"]) assert.ok(s2c.includes(m), `${m} recorded as s2c`);
  assert.ok(mine.some((r) => r.kind === "notification" && r.method === "notifications/progress"));
  for (const r of mine.filter((r) => r.kind === "request" && r.direction === "c2s")) {
    assert.ok(r.bytesIn > 0 && r.bytesOut > 0, `${r.method} has byte counts`);
    assert.ok(r.durationUs > 0, `${r.method} has a duration`);
  }
  const seqs = mine.filter((r) => r.kind === "request").map((r) => r.seq).sort((a, b) => a - b);
  assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1), "seq numbers the session's requests 1..n");
  assert.ok(sink.snapshots.some((s) => s.kind === "tools") && sink.snapshots.some((s) => s.kind === "prompts"));
});

test("a cancelled call is recorded as cancelled", async () => {
  const sink = runtime().sink;
  const c = await client(proxy.url!);
  const message = await cancelAfterFirstProgress(c);
  assert.match(message, /test cancels|abort/i);
  const sessionId = (c.transport as StreamableHTTPClientTransport).sessionId!;
  await sink.waitFor((s) => s.records.some((r) => r.sessionId === sessionId && r.status === "cancelled"));
  const cancelled = sink.records.find((r) => r.sessionId === sessionId && r.status === "cancelled")!;
  assert.equal(cancelled.target, "trigger-long-running-operation");
});

test("resource update notifications reach a subscribed client through the proxy", async () => {
  const c = await client(proxy.url!);
  const uri = "demo://resource/static/document/features.md";
  const updated = new Promise<string>((resolve) => {
    c.fallbackNotificationHandler = async (n) => {
      if (n.method === "notifications/resources/updated") resolve(String((n.params as { uri: string }).uri));
    };
  });
  await c.subscribeResource({ uri });
  await c.callTool({ name: "toggle-subscriber-updates", arguments: {} });
  assert.equal(await updated, uri);
  await c.callTool({ name: "toggle-subscriber-updates", arguments: {} });
});

test("a session deleted by the client is answered as by the upstream", async () => {
  const c = await client(proxy.url!);
  const transport = c.transport as StreamableHTTPClientTransport;
  const sessionId = transport.sessionId!;
  await transport.terminateSession();
  const res = await fetch(proxy.url!, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
  });
  const direct = await fetch(upstream.url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-session-id": sessionId, "mcp-protocol-version": "2025-06-18" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
  });
  assert.equal(res.status, direct.status);
  assert.equal(await res.text(), await direct.text());
});

/** Reads SSE events from a fetch body until `stop` says so; returns them as {id, data}. */
async function readEvents(res: Response, stop: (event: { id: string | null; data: string }) => boolean): Promise<Array<{ id: string | null; data: string }>> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const events: Array<{ id: string | null; data: string }> = [];
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return events;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: ?(.*)$/m.exec(block)?.[1] ?? null;
      const data = [...block.matchAll(/^data: ?(.*)$/gm)].map((m) => m[1]).join("\n");
      const event = { id, data };
      events.push(event);
      if (stop(event)) {
        await reader.cancel();
        return events;
      }
    }
  }
}

test("a client that reconnects with Last-Event-ID gets the rest of its stream, and the call is still paired", async () => {
  const target = proxy.url!;
  const headers = { "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-06-18" };
  const init = await fetch(target, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "resumer", version: "1" } } }),
  });
  const sessionId = init.headers.get("mcp-session-id")!;
  await readEvents(init, (e) => e.data.includes('"id":1'));
  const withSession = { ...headers, "mcp-session-id": sessionId };
  await fetch(target, { method: "POST", headers: withSession, body: '{"jsonrpc":"2.0","method":"notifications/initialized"}' });

  const abort = new AbortController();
  const call = await fetch(target, {
    method: "POST",
    headers: withSession,
    signal: abort.signal,
    body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "trigger-long-running-operation", arguments: { duration: 0.4, steps: 2 }, _meta: { progressToken: "p" } } }),
  });
  const firstPart = await readEvents(call, (e) => e.id !== null && e.data.includes("notifications/progress"));
  abort.abort();
  const lastEventId = firstPart.at(-1)!.id!;
  // server-everything's event store replays only what it has stored (its replay does not re-attach the live
  // stream), so let the first call finish before resuming: a second, longer call ends strictly later.
  const later = await fetch(target, {
    method: "POST",
    headers: withSession,
    body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "trigger-long-running-operation", arguments: { duration: 1, steps: 1 } } }),
  });
  await later.text();

  const resumed = await fetch(target, { headers: { ...withSession, accept: "text/event-stream", "last-event-id": lastEventId } });
  assert.equal(resumed.status, 200);
  const rest = await readEvents(resumed, (e) => e.data.includes('"id":2'));
  assert.ok(rest.some((e) => e.data.includes('"id":2') && e.data.includes("Long running operation completed")));

  await current.sink.waitFor((s) => s.records.some((r) => r.sessionId === sessionId && r.method === "tools/call"));
  const record = current.sink.records.find((r) => r.sessionId === sessionId && r.method === "tools/call")!;
  assert.equal(record.status, "ok");
  assert.equal(record.clientName, "resumer");
  await fetch(target, { method: "DELETE", headers: withSession });
});
