/**
 * The relay authorizing agents with the real cloud: project API keys, names reserved per
 * organization in the cloud's database, and `tapline tunnel` printing a URL that works.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startAppServer, type AppServer } from "./support/app-server";
import { createPrismaClient, type Db } from "../server/db/client";
import { generateApiKey } from "../server/keys";
import { startRelay, CloudAuthorizer } from "../tunnel-relay/src/relay";
import { startTunnelAgent } from "../tunnel-relay/src/agent";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { startEverythingServer } from "../proxy-agent/src/transport/test-support/everything-server";
import { randomBytes, randomUUID } from "node:crypto";
import { startRelayProcess } from "../tunnel-relay/src/testing/relay-process";
import { freePort } from "../tunnel-relay/src/testing/free-port";
import { tunnelUsage, type TunnelUsage } from "../server/tunnels/tunnel-usage";

let app: AppServer;
let prisma: Db;
let relay: Awaited<ReturnType<typeof startRelay>>;
let local: Server;
let localUrl: URL;

async function keyFor(orgSlug: string, options: { revoked?: boolean; scopes?: string[] } = {}): Promise<string> {
  const org = await prisma.organization.upsert({ where: { slug: orgSlug }, create: { name: orgSlug, slug: orgSlug }, update: {} });
  const project = await prisma.project.upsert({
    where: { orgId_slug: { orgId: org.id, slug: "server" } },
    create: { orgId: org.id, name: "Server", slug: "server" },
    update: {},
  });
  const k = generateApiKey();
  await prisma.apiKey.create({
    data: { projectId: project.id, name: "tunnel", prefix: k.prefix, hash: k.hash, revokedAt: options.revoked ? new Date() : null, ...(options.scopes ? { scopes: options.scopes } : {}) },
  });
  return k.key;
}

before(async () => {
  app = await startAppServer();
  prisma = createPrismaClient(app.database.url, { max: 2 });
  relay = await startRelay({ port: 0, host: "127.0.0.1", authorizer: new CloudAuthorizer(app.url), log: () => {} });
  local = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ path: req.url, host: req.headers["x-forwarded-host"] ?? null }));
  });
  await new Promise<void>((r) => local.listen(0, "127.0.0.1", r));
  localUrl = new URL(`http://127.0.0.1:${(local.address() as AddressInfo).port}`);
});

after(async () => {
  await relay?.close({ drainMs: 0 });
  local?.close();
  await prisma?.$disconnect();
  await app?.stop();
});

test("a project key opens a named tunnel; the name is then its organization's, and another organization gets name_taken", async () => {
  const acme = await keyFor("acme");
  const agent = await startTunnelAgent({ relayUrl: relay.url, apiKey: acme, name: "acme-weather", target: localUrl, stateFile: false });
  try {
    const res = await fetch(`${relay.url}/t/acme-weather/mcp?x=1`);
    assert.equal(res.status, 200);
    assert.equal((await res.json()).path, "/mcp?x=1");
    const row = await prisma.tunnel.findUniqueOrThrow({ where: { name: "acme-weather" }, include: { org: true } });
    assert.equal(row.org.slug, "acme");
    assert.ok(row.lastConnectedAt);
  } finally {
    await agent.close();
  }
  const globex = await keyFor("globex");
  await assert.rejects(
    startTunnelAgent({ relayUrl: relay.url, apiKey: globex, name: "acme-weather", target: localUrl, stateFile: false, reconnect: { maxDelayMs: 50 } }),
    (e: { code?: string }) => e.code === "name_taken",
  );
  // Another key of the same organization may use the name.
  const acme2 = await keyFor("acme");
  const again = await startTunnelAgent({ relayUrl: relay.url, apiKey: acme2, name: "acme-weather", target: localUrl, stateFile: false });
  await again.close();
  // Revoked by an admin: refused with its own code, and the name is not handed to anyone else.
  await prisma.tunnel.update({ where: { name: "acme-weather" }, data: { revokedAt: new Date() } });
  await assert.rejects(
    startTunnelAgent({ relayUrl: relay.url, apiKey: acme2, name: "acme-weather", target: localUrl, stateFile: false }),
    (e: { code?: string }) => e.code === "name_revoked",
  );
});

test("a revoked or unknown key is refused at the relay", async () => {
  const revoked = await keyFor("initech", { revoked: true });
  for (const apiKey of [revoked, `tpl_${"0".repeat(43)}`]) {
    await assert.rejects(
      startTunnelAgent({ relayUrl: relay.url, apiKey, target: localUrl, stateFile: false }),
      (e: { code?: string }) => e.code === "unauthorized",
    );
  }
});

test("`tapline tunnel` prints the public URL and forwards to the local server until interrupted", async () => {
  const key = await keyFor("umbrella");
  const child = spawn(process.execPath, ["proxy-agent/bin/tapline.js", "tunnel", "--to", localUrl.href, "--name", "umbrella-dev", "--relay-url", relay.url, "--json"], {
    env: { ...process.env, TAPLINE_API_KEY: key, HOME: process.env.HOME },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout.on("data", (b: Buffer) => (out += b));
  child.stderr.on("data", (b: Buffer) => (err += b));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  const deadline = Date.now() + 60_000;
  while (!out.includes("\n") && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  const printed = JSON.parse(out.split("\n")[0]!) as { name: string; urls: string[] };
  assert.equal(printed.name, "umbrella-dev");
  const pathUrl = printed.urls.find((u) => u.includes("/t/umbrella-dev"));
  assert.ok(pathUrl, `urls: ${printed.urls.join(", ")}`);
  const res = await fetch(new URL("tools?a=b", pathUrl.endsWith("/") ? pathUrl : `${pathUrl}/`));
  assert.equal(res.status, 200);
  assert.equal((await res.json()).path, "/tools?a=b");
  assert.doesNotMatch(out + err, new RegExp(key), "the key is never printed");
  child.kill("SIGINT");
  assert.equal(await exited, 0, err);
});

test("`tapline http --tunnel` records calls and exposes the proxy publicly in one command", async () => {
  const key = await keyFor("hooli");
  const upstream = await startEverythingServer("streamableHttp");
  const tmp = mkdtempSync(join(tmpdir(), "tapline-tunnel-proxy-"));
  const child = spawn(
    process.execPath,
    ["proxy-agent/bin/tapline.js", "http", "--remote-url", upstream.url, "--listen", "127.0.0.1:0", "--db", join(tmp, "t.db"), "--tunnel", "--tunnel-name", "hooli-everything", "--relay-url", relay.url, "--cloud-url", app.url],
    { env: { ...process.env, TAPLINE_API_KEY: key }, stdio: ["ignore", "pipe", "pipe"] },
  );
  let err = "";
  child.stderr.on("data", (b: Buffer) => (err += b));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  try {
    const deadline = Date.now() + 60_000;
    while (!/public URL: (\S+)/.test(err) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const publicUrls = (/public URL: (.+)/.exec(err)?.[1] ?? "").trim().split(/\s+/);
    const pathUrl = publicUrls.find((u) => u.includes("/t/hooli-everything/"));
    assert.ok(pathUrl?.endsWith("/mcp"), `stderr:\n${err}`);
    const client = new Client({ name: "cursor-vscode", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(pathUrl!)));
    const result = await client.callTool({ name: "echo", arguments: { message: "through the tunnel" } });
    assert.match(JSON.stringify(result), /through the tunnel/);
    await client.close();
    child.kill("SIGINT");
    assert.equal(await exited, 0, err);
    const stats = spawnSync(process.execPath, ["proxy-agent/bin/tapline.js", "stats", "--json", "--db", join(tmp, "t.db")], { encoding: "utf8" });
    const report = JSON.parse(stats.stdout) as { tools: { name: string; calls: number }[]; clients: { name: string }[] };
    assert.equal(report.tools.find((t) => t.name === "echo")?.calls, 1, "the call through the tunnel was recorded");
    assert.ok(report.clients.some((c) => c.name === "Cursor"));
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    await upstream.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
});

/** Undefined until the relay's first usage report for the tunnel has arrived. */
async function usageOf(name: string): Promise<TunnelUsage | undefined> {
  const tunnel = await prisma.tunnel.findUniqueOrThrow({ where: { name } });
  return (await tunnelUsage(prisma, [tunnel.id])).get(tunnel.id);
}

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("traffic through a tunnel shows up in the cloud once, even across two relay instances; a relay that dies leaves the tunnel offline", async () => {
  const key = await keyFor("wayne");
  const prefix = `tapline:test:usage:${randomUUID()}:`;
  const [portA, portB] = [await freePort(), await freePort()];
  const relayArgs = (port: number) => ["--port", String(port), "--cloud-url", app.url, "--usage-report-ms", "300", "--redis-url", "redis://127.0.0.1:6379", "--redis-prefix", prefix, "--instance-url", `http://127.0.0.1:${port}`];
  const relayA = await startRelayProcess(relayArgs(portA));
  const relayB = await startRelayProcess(relayArgs(portB));
  const agent = await startTunnelAgent({ relayUrl: relayA.url, apiKey: key, name: "wayne-usage", target: localUrl, stateFile: false, reconnect: { maxDelayMs: 100 } });
  try {
    const online = (await waitFor("online after connecting", () => usageOf("wayne-usage"), (u) => u?.online === true))!;
    assert.equal(online.requests, 0);
    assert.ok(Date.now() - online.connectedSince!.getTime() < 10_000);

    // Two requests land on the instance holding the tunnel, three on the other one, which forwards them.
    let bytesOut = 0;
    for (const relay of [relayA, relayA, relayB, relayB, relayB]) {
      const res = await fetch(`${relay.url}/t/wayne-usage/upload`, { method: "POST", body: randomBytes(1000) });
      assert.equal(res.status, 200);
      bytesOut += (await res.arrayBuffer()).byteLength;
    }
    const counted = await waitFor("five requests counted", () => usageOf("wayne-usage"), (u) => u !== undefined && u.requests >= 5 && u.bytesOut >= bytesOut);
    // Wait past a few more reports: repeats must not add anything.
    await new Promise((r) => setTimeout(r, 1000));
    const settled = (await usageOf("wayne-usage"))!;
    assert.deepEqual([settled.requests, settled.bytesIn, settled.bytesOut, settled.agents], [5, 5000, bytesOut, 1], JSON.stringify(counted));

    // The relay holding the tunnel dies without a word: its last report goes stale and the tunnel shows offline.
    // (The agent only knows relay A, so it cannot come back elsewhere.)
    await relayA.kill("SIGKILL");
    const offline = (await waitFor("offline after its relay died", () => usageOf("wayne-usage"), (u) => u?.online === false))!;
    assert.equal(offline.requests, 5, "the totals survive the relay");
  } finally {
    await agent.close();
    await relayA.kill();
    await relayB.kill();
  }
});

test("the usage route refuses unknown keys, other organizations' tunnels and malformed reports", async () => {
  const wayne = await keyFor("wayne");
  const other = await keyFor("stark");
  const report = { sessions: [{ sessionId: randomUUID(), name: "wayne-usage", connectedForMs: 1, requests: 1, bytesIn: 1, bytesOut: 1, ended: false, staleAfterMs: 1000 }] };
  const post = (apiKey: string, body: unknown) =>
    fetch(`${app.url}/api/v1/tunnels/usage`, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  assert.equal((await post(`tpl_${"0".repeat(43)}`, report)).status, 401);
  const foreign = await post(other, report);
  assert.equal(foreign.status, 403);
  assert.equal((await foreign.json()).error.code, "not_your_tunnel");
  assert.equal((await post(wayne, { sessions: [{ ...report.sessions[0], requests: -1 }] })).status, 400);
  const noScope = await keyFor("wayne", { scopes: ["ingest"] });
  assert.equal((await post(noScope, report)).status, 403);
});
