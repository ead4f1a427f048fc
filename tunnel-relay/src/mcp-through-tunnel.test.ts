import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { startTunnelAgent, type TunnelAgent } from "./agent/start-tunnel-agent";
import type { RunningRelay } from "./relay/start-relay";
import { ACME_KEY, startTestRelay, tempKeysFile } from "./testing/tunnel-fixture";
import { startServerEverything } from "./testing/server-everything";

const keys = tempKeysFile();
let relay: RunningRelay;
let streamable: Awaited<ReturnType<typeof startServerEverything>>;
let legacy: Awaited<ReturnType<typeof startServerEverything>>;
const agents: TunnelAgent[] = [];

before(async () => {
  [streamable, legacy] = await Promise.all([startServerEverything("streamableHttp"), startServerEverything("sse")]);
  relay = await startTestRelay(keys.keysFile);
  agents.push(await startTunnelAgent({ relayUrl: relay.url, apiKey: ACME_KEY, name: "everything", target: streamable.url, stateFile: false }));
  agents.push(await startTunnelAgent({ relayUrl: relay.url, apiKey: ACME_KEY, name: "everything-sse", target: legacy.url, stateFile: false }));
});

after(async () => {
  await Promise.all(agents.map((a) => a.close()));
  await relay.close();
  await Promise.all([streamable.stop(), legacy.stop()]);
  keys.cleanup();
});

async function connectStreamable(): Promise<Client> {
  const client = new Client({ name: "tunnel-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(`${relay.url}/t/everything/mcp`)));
  return client;
}

test("an MCP client lists and calls tools through the tunnel (Streamable HTTP)", async () => {
  const client = await connectStreamable();
  const { tools } = await client.listTools();
  assert.ok(tools.some((t) => t.name === "echo"));
  assert.ok(tools.some((t) => t.name === "trigger-long-running-operation"));
  const result = await client.callTool({ name: "echo", arguments: { message: "through the tunnel" } });
  assert.match(JSON.stringify(result.content), /through the tunnel/);
  await client.close();
});

test("progress notifications stream one by one, each before the final result", async () => {
  const client = await connectStreamable();
  const durationSeconds = 3;
  const steps = 3;
  const started = performance.now();
  const progress: { progress: number; at: number }[] = [];
  const result = await client.callTool(
    { name: "trigger-long-running-operation", arguments: { duration: durationSeconds, steps } },
    undefined,
    { onprogress: (p) => progress.push({ progress: p.progress, at: performance.now() - started }), timeout: 30_000 },
  );
  const resultAt = performance.now() - started;
  assert.match(JSON.stringify(result.content), /Long running operation completed/);
  assert.deepEqual(progress.map((p) => p.progress), [1, 2, 3]);
  for (const p of progress) assert.ok(p.at <= resultAt);
  // The server sends its result only after sleeping the full duration; an event that arrived
  // earlier than that cannot have been held back until the response completed.
  assert.ok(progress[0]!.at < durationSeconds * 1000, `first progress at ${progress[0]!.at} ms came only with the result`);
  await client.close();
});

test("a dropped SSE response resumes with Last-Event-ID through the tunnel", { timeout: 20_000 }, async () => {
  const base = `${relay.url}/t/everything/mcp`;
  const common = { "Content-Type": "application/json", Accept: "application/json, text/event-stream" };
  const init = await fetch(base, {
    method: "POST",
    headers: common,
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } }),
  });
  const sessionId = init.headers.get("mcp-session-id");
  assert.ok(sessionId);
  await init.text();
  const session = { ...common, "Mcp-Session-Id": sessionId, "MCP-Protocol-Version": "2025-06-18" };
  await (await fetch(base, { method: "POST", headers: session, body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }) })).text();

  const abort = new AbortController();
  const call = await fetch(base, {
    method: "POST",
    headers: session,
    signal: abort.signal,
    body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "trigger-long-running-operation", arguments: { duration: 2, steps: 4 }, _meta: { progressToken: "p1" } } }),
  });
  assert.equal(call.headers.get("content-type"), "text/event-stream");
  const reader = call.body!.getReader();
  let text = "";
  while (!/id: ?\S+/.test(text) || !text.includes("\n\n")) {
    const { value, done } = await reader.read();
    assert.ok(!done, "stream ended before the first event");
    text += new TextDecoder().decode(value);
  }
  const firstId = /id: ?(\S+)/.exec(text)![1]!;
  assert.match(text, /notifications\/progress/);
  abort.abort();
  // The server keeps working after the disconnect; its later events wait in its event store
  // (server-everything replays only events stored before the GET, so let the tool finish first).
  await new Promise((r) => setTimeout(r, 2500));

  const resumed = await fetch(base, { method: "GET", headers: { ...session, Accept: "text/event-stream", "Last-Event-ID": firstId } });
  assert.equal(resumed.status, 200);
  const replay = resumed.body!.getReader();
  let replayed = "";
  while (!replayed.includes('"id":2')) {
    const { value, done } = await replay.read();
    if (done) break;
    replayed += new TextDecoder().decode(value);
  }
  await replay.cancel();
  assert.match(replayed, /"progress":4/);
  assert.match(replayed, /Long running operation completed/);
  assert.ok(!replayed.includes(`id: ${firstId}\n`), "the event before Last-Event-ID is not sent again");
});

test("a legacy HTTP+SSE client works in path mode (endpoint event gets the /t/<name> prefix)", async () => {
  const client = new Client({ name: "tunnel-test-sse", version: "1.0.0" });
  await client.connect(new SSEClientTransport(new URL(`${relay.url}/t/everything-sse/sse`)));
  const result = await client.callTool({ name: "echo", arguments: { message: "legacy" } });
  assert.match(JSON.stringify(result.content), /legacy/);
  const progress: number[] = [];
  await client.callTool({ name: "trigger-long-running-operation", arguments: { duration: 1.5, steps: 3 } }, undefined, { onprogress: (p) => progress.push(p.progress) });
  // server-everything's legacy transport delivers its last progress after the result even when
  // reached directly (no tunnel), so only the earlier steps are observable.
  assert.deepEqual(progress.slice(0, 2), [1, 2]);
  await client.close();
});
