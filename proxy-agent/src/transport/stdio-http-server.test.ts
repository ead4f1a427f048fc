import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { runProxy } from "./index";
import type { RpcAnswer } from "./test-support/rpc-answer";
import type { RunningProxy } from "../config/types";
import { EVERYTHING_BIN } from "./test-support/everything-server";
import { testRuntime } from "./test-support/proxy-runtime";
import { cancelAfterFirstProgress, connectScenarioClient, runScenario } from "./test-support/mcp-scenario";

let proxy: RunningProxy;
let runtime: ReturnType<typeof testRuntime>;
const clients: Client[] = [];

before(async () => {
  runtime = testRuntime(
    { kind: "stdio", command: process.execPath, args: [EVERYTHING_BIN, "stdio"], env: {} },
    { listen: { host: "127.0.0.1", port: 0 }, bearerToken: "s3cret" },
  );
  proxy = await runProxy(runtime);
});

after(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await proxy.close();
});

function httpTransport(): StreamableHTTPClientTransport {
  return new StreamableHTTPClientTransport(new URL(proxy.url!), { requestInit: { headers: { authorization: "Bearer s3cret" } } });
}

test("stdio over Streamable HTTP: the SDK HTTP client gets what a direct stdio client gets", async () => {
  assert.match(proxy.url!, /\/mcp$/);
  const direct = await connectScenarioClient(new StdioClientTransport({ command: process.execPath, args: [EVERYTHING_BIN, "stdio"], stderr: "ignore" }));
  const proxied = await connectScenarioClient(httpTransport());
  clients.push(direct, proxied);
  assert.deepEqual(await runScenario(proxied), await runScenario(direct));
});

test("stdio over Streamable HTTP: each session runs its own child and is recorded under its id", async () => {
  const a = await connectScenarioClient(httpTransport());
  const b = await connectScenarioClient(httpTransport());
  clients.push(a, b);
  await a.callTool({ name: "echo", arguments: { message: "a" } });
  await b.callTool({ name: "echo", arguments: { message: "b" } });
  assert.match(await cancelAfterFirstProgress(a), /test cancels|abort/i);
  const idA = (a.transport as StreamableHTTPClientTransport).sessionId!;
  const idB = (b.transport as StreamableHTTPClientTransport).sessionId!;
  assert.notEqual(idA, idB);
  await runtime.sink.waitFor((s) => s.records.some((r) => r.sessionId === idA && r.status === "cancelled"));
  const echoA = runtime.sink.records.find((r) => r.sessionId === idA && r.target === "echo")!;
  // After initialize (seq 1) the server's roots/list request and this call race for seq 2 and 3.
  assert.deepEqual([echoA.status, echoA.transport, echoA.clientName, echoA.httpStatus], ["ok", "stdio", "Claude", 200]);
  assert.ok(echoA.seq === 2 || echoA.seq === 3);
  assert.ok(runtime.sink.records.some((r) => r.sessionId === idB && r.target === "echo" && r.status === "ok"));
  await (a.transport as StreamableHTTPClientTransport).terminateSession();
  const afterDelete = await fetch(proxy.url!, {
    method: "POST",
    headers: { authorization: "Bearer s3cret", "content-type": "application/json", accept: "application/json", "mcp-session-id": idA },
    body: '{"jsonrpc":"2.0","id":1,"method":"ping"}',
  });
  assert.equal(afterDelete.status, 404, "a deleted session is unknown, so the client re-initializes");
});

test("stdio over Streamable HTTP: JSON responses when the client does not accept SSE, and 401 without the token", async () => {
  const unauthorized = await fetch(proxy.url!, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
  assert.equal(unauthorized.status, 401);
  assert.equal(((await unauthorized.json()) as RpcAnswer).error!.code, -32001);
  const init = await fetch(proxy.url!, {
    method: "POST",
    headers: { authorization: "Bearer s3cret", "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "cursor-vscode", version: "1" } } }),
  });
  assert.equal(init.status, 200);
  assert.match(init.headers.get("content-type")!, /application\/json/);
  const body = (await init.json()) as RpcAnswer<{ serverInfo: unknown }>;
  assert.equal(body.id, 1);
  assert.ok(body.result!.serverInfo);
  const sessionId = init.headers.get("mcp-session-id")!;
  const del = await fetch(proxy.url!, { method: "DELETE", headers: { authorization: "Bearer s3cret", "mcp-session-id": sessionId } });
  assert.equal(del.status, 200);
});

test("stdio over Streamable HTTP: a server that cannot start yields 502 with a JSON-RPC error and a transport_error record", async () => {
  const rt = testRuntime({ kind: "stdio", command: "/nonexistent/mcp-server", args: [], env: {} }, { listen: { host: "127.0.0.1", port: 0 } });
  const p = await runProxy(rt);
  try {
    const res = await fetch(p.url!, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 5, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } } }),
    });
    assert.equal(res.status, 502);
    const body = (await res.json()) as RpcAnswer;
    assert.equal(body.id, 5);
    assert.match(body.error!.message, /cannot start upstream server/);
    await rt.sink.waitFor((s) => s.records.length === 1);
    assert.equal(rt.sink.records[0]!.status, "transport_error");
  } finally {
    await p.close();
  }
});
