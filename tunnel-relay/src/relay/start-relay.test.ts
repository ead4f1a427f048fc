import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { join } from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { once } from "node:events";
import WebSocket, { WebSocketServer } from "ws";
import { startTunnelAgent, type TunnelAgent } from "../agent/start-tunnel-agent";
import type { RunningRelay } from "./start-relay";
import { ACME_KEY, GLOBEX_KEY, closeServer, listen, request, startTestRelay, tempKeysFile } from "../testing/tunnel-fixture";
import { freePort } from "../testing/free-port";

const keys = tempKeysFile();
let relay: RunningRelay;
let local: http.Server;
let localUrl: URL;
let agent: TunnelAgent;
let wss: WebSocketServer;
const aborted: string[] = [];

before(async () => {
  local = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://local");
    if (url.pathname === "/echo") {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        res.writeHead(200, { "Content-Type": "application/json", "X-Local": "yes" });
        res.end(JSON.stringify({ method: req.method, url: req.url, headers: req.rawHeaders, body: Buffer.concat(chunks).toString() }));
      });
      return;
    }
    if (url.pathname === "/events") {
      res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache, no-transform" });
      res.write("id: 1\ndata: first\n\n");
      req.on("close", () => aborted.push("events"));
      return; // never ends: the client must be able to read event 1 before anything else happens
    }
    if (url.pathname === "/hang") {
      req.on("close", () => aborted.push("hang"));
      return;
    }
    if (url.pathname === "/early") {
      res.writeHead(400, { Connection: "close" }).end("refused early");
      return;
    }
    if (url.pathname === "/status") {
      res.writeHead(418, "I'm a teapot", { "WWW-Authenticate": 'Bearer realm="x"', "Mcp-Session-Id": "abc" });
      res.end("short and stout");
      return;
    }
    res.writeHead(404).end();
  });
  wss = new WebSocketServer({ server: local });
  wss.on("connection", (socket, req) => {
    socket.send(`hello ${req.headers["x-forwarded-host"]}`);
    socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
  });
  localUrl = await listen(local);
  relay = await startTestRelay(keys.keysFile, { limits: { maxRequestBodyBytes: 1024 * 1024, responseHeaderTimeoutMs: 1500, maxStreamsPerTunnel: 3, reconnectWaitMs: 300, sseKeepAliveMs: 300, restartGraceMs: 1 } });
  agent = await startTunnelAgent({ relayUrl: relay.url, apiKey: ACME_KEY, name: "acme-app", target: localUrl, stateFile: false });
});

after(async () => {
  await agent.close();
  await relay.close();
  wss.close();
  await closeServer(local);
  keys.cleanup();
});

test("the agent gets subdomain and path URLs for its name", () => {
  assert.equal(agent.name, "acme-app");
  assert.deepEqual(agent.urls, [`http://acme-app.tunnel.test:${relay.port}`, `${relay.url}/t/acme-app`]);
});

test("path mode strips the prefix, preserves headers and adds X-Forwarded-*", async () => {
  const res = await request(`${relay.url}/t/acme-app/echo?x=1`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Mcp-Session-Id": "s-1", "Last-Event-ID": "42", Authorization: "Bearer user-token" },
    body: '{"jsonrpc":"2.0"}',
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers["x-local"], "yes");
  const seen = JSON.parse(res.body.toString()) as { method: string; url: string; headers: string[]; body: string };
  assert.equal(seen.method, "POST");
  assert.equal(seen.url, "/echo?x=1");
  assert.equal(seen.body, '{"jsonrpc":"2.0"}');
  const headers = Object.fromEntries(seen.headers.reduce<[string, string][]>((acc, v, i, all) => (i % 2 ? acc : [...acc, [v.toLowerCase(), all[i + 1]!]]), []));
  assert.equal(headers["mcp-session-id"], "s-1");
  assert.equal(headers["last-event-id"], "42");
  assert.equal(headers["authorization"], "Bearer user-token");
  assert.equal(headers["x-forwarded-host"], `127.0.0.1:${relay.port}`);
  assert.equal(headers["x-forwarded-proto"], "http");
  assert.equal(headers["x-forwarded-prefix"], "/t/acme-app");
  assert.equal(headers["x-forwarded-for"], "127.0.0.1");
});

test("subdomain mode routes by Host and keeps the path whole", async () => {
  const res = await request(`${relay.url}/echo`, { headers: { Host: `acme-app.tunnel.test:${relay.port}` } });
  const seen = JSON.parse(res.body.toString()) as { url: string };
  assert.equal(res.status, 200);
  assert.equal(seen.url, "/echo");
});

test("status, status text, WWW-Authenticate and error bodies pass unchanged", async () => {
  const res = await request(`${relay.url}/t/acme-app/status`);
  assert.equal(res.status, 418);
  assert.equal(res.headers["www-authenticate"], 'Bearer realm="x"');
  assert.equal(res.headers["mcp-session-id"], "abc");
  assert.equal(res.body.toString(), "short and stout");
});

test("an SSE event reaches the client while the response is still open, and disconnecting aborts the local request", async () => {
  const req = http.get(`${relay.url}/t/acme-app/events`, { agent: false });
  const [res] = (await once(req, "response")) as [http.IncomingMessage];
  assert.equal(res.headers["content-type"], "text/event-stream");
  assert.equal(res.headers["x-accel-buffering"], "no");
  const [chunk] = (await once(res, "data")) as [Buffer];
  assert.equal(chunk.toString(), "id: 1\ndata: first\n\n");
  req.destroy();
  for (let i = 0; i < 100 && !aborted.includes("events"); i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(aborted.includes("events"), "local request was aborted");
});

test("an idle SSE stream gets comment keep-alives on event boundaries", async () => {
  const req = http.get(`${relay.url}/t/acme-app/events`, { agent: false });
  const [res] = (await once(req, "response")) as [http.IncomingMessage];
  let text = "";
  res.setEncoding("utf8");
  await new Promise<void>((resolve) => res.on("data", (chunk: string) => { text += chunk; if (text.includes(":\n\n")) resolve(); }));
  req.destroy();
  assert.equal(text.slice(0, "id: 1\ndata: first\n\n:\n\n".length), "id: 1\ndata: first\n\n:\n\n");
});

test("a declared body over the limit is refused with 413 before forwarding", async () => {
  const res = await request(`${relay.url}/t/acme-app/echo`, { method: "POST", body: Buffer.alloc(2 * 1024 * 1024) });
  assert.equal(res.status, 413);
  assert.equal(res.headers["x-tapline-error"], "body_too_large");
});

test("a streamed (chunked) body over the limit is cut off with 413", async () => {
  const res = await new Promise<number>((resolve, reject) => {
    const req = http.request(`${relay.url}/t/acme-app/hang`, { method: "POST", agent: false }, (r) => { r.resume(); resolve(r.statusCode ?? 0); });
    req.on("error", reject);
    const piece = Buffer.alloc(64 * 1024);
    let sent = 0;
    const pump = () => { while (sent < 2 * 1024 * 1024) { sent += piece.length; if (!req.write(piece)) return void req.once("drain", pump); } req.end(); };
    pump();
  });
  assert.equal(res, 413);
});

test("headers over the limit get 431", async () => {
  const res = await request(`${relay.url}/t/acme-app/echo`, { headers: { "X-Big": "a".repeat(70 * 1024) } });
  assert.equal(res.status, 431);
});

test("a local server that never answers gets 504 after the response-header timeout", async () => {
  const res = await request(`${relay.url}/t/acme-app/hang`);
  assert.equal(res.status, 504);
  assert.equal(res.headers["x-tapline-error"], "response_timeout");
});

test("requests beyond the per-tunnel stream limit get 429 with Retry-After", async () => {
  const hanging = [0, 1, 2].map(() => {
    const req = http.get(`${relay.url}/t/acme-app/hang`, { agent: false });
    req.on("error", () => {});
    return req;
  });
  await new Promise((r) => setTimeout(r, 200));
  const res = await request(`${relay.url}/t/acme-app/echo`);
  hanging.forEach((req) => req.destroy());
  assert.equal(res.status, 429);
  assert.equal(res.headers["retry-after"], "1");
  await new Promise((r) => setTimeout(r, 200));
});

test("an unknown tunnel is a JSON 404, never an interstitial page", async () => {
  const res = await request(`${relay.url}/t/nobody-here/x`);
  assert.equal(res.status, 404);
  assert.match(res.headers["content-type"] ?? "", /application\/json/);
  assert.equal((JSON.parse(res.body.toString()) as { error: { code: string } }).error.code, "tunnel_not_found");
});

test("WebSocket upgrades pass through in both directions", async () => {
  const ws = new WebSocket(`${relay.url.replace("http", "ws")}/t/acme-app/socket`);
  const greeting = await new Promise<string>((resolve, reject) => {
    ws.once("message", (data) => resolve(String(data)));
    ws.once("error", reject);
  });
  assert.equal(greeting, `hello 127.0.0.1:${relay.port}`);
  ws.send(Buffer.from([1, 2, 3]));
  const [echo, isBinary] = (await once(ws, "message")) as [Buffer, boolean];
  assert.equal(isBinary, true);
  assert.deepEqual([...echo], [1, 2, 3]);
  ws.close();
});

test("a wrong API key is refused with 401 at the upgrade", async () => {
  await assert.rejects(
    startTunnelAgent({ relayUrl: relay.url, apiKey: "tpl_wrong", name: "whatever", target: localUrl, stateFile: false }),
    (error: { code: string; message: string }) => error.code === "unauthorized" && !error.message.includes("tpl_wrong"),
  );
  const res = await request(`${relay.url}/_tapline/tunnel`, { headers: { Connection: "Upgrade", Upgrade: "websocket", Authorization: "Bearer nope", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13" } }).catch((e: Error) => e);
  assert.ok(!(res instanceof Error) && res.status === 401);
});

test("a name owned by another organization is an explicit name_taken error", async () => {
  await assert.rejects(
    startTunnelAgent({ relayUrl: relay.url, apiKey: GLOBEX_KEY, name: "acme-app", target: localUrl, stateFile: false }),
    (error: { code: string }) => error.code === "name_taken",
  );
  await assert.rejects(
    startTunnelAgent({ relayUrl: relay.url, apiKey: ACME_KEY, name: "globex-owned", target: localUrl, stateFile: false }),
    (error: { code: string }) => error.code === "name_taken",
  );
  await assert.rejects(
    startTunnelAgent({ relayUrl: relay.url, apiKey: ACME_KEY, name: "Bad_Name!", target: localUrl, stateFile: false }),
    (error: { code: string }) => error.code === "invalid_name",
  );
});

test("an unnamed tunnel gets a random name and the same one on its next start", async () => {
  const stateFile = join(keys.dir, "state.json");
  const first = await startTunnelAgent({ relayUrl: relay.url, apiKey: ACME_KEY, target: localUrl, stateFile });
  const name = first.name;
  assert.match(name, /^[a-z]+-[a-z]+-[0-9a-f]{6}$/);
  await first.close();
  const second = await startTunnelAgent({ relayUrl: relay.url, apiKey: ACME_KEY, target: localUrl, stateFile });
  assert.equal(second.name, name);
  await second.close();
});

test("a tunnel whose agent was stopped on purpose is gone at once (404), not 'reconnecting'", async () => {
  const stopped = await startTunnelAgent({ relayUrl: relay.url, apiKey: ACME_KEY, name: "short-lived", target: localUrl, stateFile: false });
  assert.equal((await request(`${relay.url}/t/short-lived/status`)).status, 418);
  await stopped.close();
  await new Promise((r) => setTimeout(r, 100));
  const res = await request(`${relay.url}/t/short-lived/status`);
  assert.equal(res.status, 404);
  assert.equal(res.headers["x-tapline-error"], "tunnel_not_found");
});

test("a remembered random name now owned by someone else is replaced, with a warning", async () => {
  const stateFile = join(keys.dir, "state-taken.json");
  const key = `${new URL(relay.url).origin} -> ${localUrl.origin}/`;
  writeFileSync(stateFile, JSON.stringify({ [key]: { name: "globex-owned", updatedAt: "2026-01-01T00:00:00Z" } }));
  const warnings: string[] = [];
  const fresh = await startTunnelAgent({ relayUrl: relay.url, apiKey: ACME_KEY, target: localUrl, stateFile, log: (level, message) => level === "warn" && warnings.push(message) });
  assert.notEqual(fresh.name, "globex-owned");
  assert.match(warnings.join("\n"), /globex-owned/);
  assert.equal((JSON.parse(readFileSync(stateFile, "utf8")) as Record<string, { name: string }>)[key]?.name, fresh.name);
  await fresh.close();
});

test("health, readiness and Prometheus metrics", async () => {
  assert.equal((await request(`${relay.url}/healthz`)).status, 200);
  assert.equal((await request(`${relay.url}/readyz`)).status, 200);
  const metrics = (await request(`${relay.url}/metrics`)).body.toString();
  assert.match(metrics, /^tapline_tunnel_tunnels 1$/m);
  assert.match(metrics, /tapline_tunnel_rejections_total\{reason="body_too_large"\} \d+/);
  assert.match(metrics, /tapline_tunnel_response_header_seconds_bucket\{le="\+Inf"\} \d+/);
  assert.match(metrics, /tapline_tunnel_bytes_total\{direction="out"\} \d+/);
});

test("a local server that answers before reading the whole upload: the answer still arrives", async () => {
  const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = http.request(`${relay.url}/t/acme-app/early`, { method: "POST", agent: false }, (r) => {
      let body = "";
      r.setEncoding("utf8");
      r.on("data", (c: string) => (body += c));
      r.on("end", () => resolve({ status: r.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.write(Buffer.alloc(600 * 1024));
    setTimeout(() => req.end(Buffer.alloc(100 * 1024)), 100);
  });
  assert.equal(res.status, 400);
  assert.equal(res.body, "refused early");
});

test("nothing listening at the agent's target is a 502 local_unreachable", async () => {
  const nowhere = new URL(`http://127.0.0.1:${await freePort()}`);
  const idle = await startTunnelAgent({ relayUrl: relay.url, apiKey: ACME_KEY, name: "acme-nowhere", target: nowhere, stateFile: false });
  const res = await request(`${relay.url}/t/acme-nowhere/mcp`);
  await idle.close();
  assert.equal(res.status, 502);
  assert.equal(res.headers["x-tapline-error"], "local_unreachable");
  assert.match(res.body.toString(), /nothing is listening at http:\/\/127\.0\.0\.1:\d+/);
});
