import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { runProxy } from "./index";
import type { RunningProxy } from "../config/types";
import { startEverythingServer, type RunningUpstream } from "./test-support/everything-server";
import { testRuntime } from "./test-support/proxy-runtime";
import { cancelAfterFirstProgress, connectScenarioClient, runScenario } from "./test-support/mcp-scenario";

let upstream: RunningUpstream;
let proxy: RunningProxy;
let runtime: ReturnType<typeof testRuntime>;
const clients: Client[] = [];

before(async () => {
  upstream = await startEverythingServer("sse");
  runtime = testRuntime({ kind: "sse", remoteUrl: upstream.url });
  proxy = await runProxy(runtime);
});

after(async () => {
  for (const c of clients) await c.close().catch(() => {});
  await proxy.close();
  await upstream.stop();
});

async function client(url: string): Promise<Client> {
  const c = await connectScenarioClient(new SSEClientTransport(new URL(url)));
  clients.push(c);
  return c;
}

test("legacy SSE: the SDK client gets the same results through the proxy as directly", async () => {
  assert.match(proxy.url!, /\/sse$/);
  const direct = await runScenario(await client(upstream.url));
  const proxied = await runScenario(await client(proxy.url!));
  assert.deepEqual(proxied, direct);
});

test("legacy SSE: requests posted to the endpoint pair with responses from the stream by session", async () => {
  const c = await client(proxy.url!);
  await runScenario(c);
  // The SDK keeps the endpoint it was given private; the session id is its sessionId parameter.
  const sessionId = (c.transport as unknown as { _endpoint: URL })._endpoint.searchParams.get("sessionId")!;
  const sink = runtime.sink;
  await sink.waitFor((s) => s.records.some((r) => r.sessionId === sessionId && r.method === "ping"));
  const mine = sink.records.filter((r) => r.sessionId === sessionId && r.kind === "request");
  const init = mine.find((r) => r.method === "initialize")!;
  assert.deepEqual([init.clientName, init.transport, init.status], ["Claude", "sse", "ok"]);
  assert.equal(mine.find((r) => r.target === "echo")?.status, "ok");
  assert.ok(mine.some((r) => r.direction === "s2c" && r.method === "sampling/createMessage" && r.status === "ok"));
  assert.ok(mine.every((r) => r.status !== "timeout" && r.status !== "transport_error"));
});

test("legacy SSE: cancellation is recorded", async () => {
  const c = await client(proxy.url!);
  await cancelAfterFirstProgress(c);
  await runtime.sink.waitFor((s) => s.records.some((r) => r.transport === "sse" && r.status === "cancelled"));
});

test("legacy SSE: the endpoint event points clients at the proxy", async () => {
  const res = await fetch(proxy.url!, { headers: { accept: "text/event-stream" } });
  assert.equal(res.headers.get("x-accel-buffering"), "no");
  const reader = res.body!.getReader();
  let text = "";
  while (!text.includes("\n\n")) text += new TextDecoder().decode((await reader.read()).value);
  await reader.cancel();
  assert.match(text, /^event: endpoint\ndata: \/message\?sessionId=[\w-]+\n\n/);
});
