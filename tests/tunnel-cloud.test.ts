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
