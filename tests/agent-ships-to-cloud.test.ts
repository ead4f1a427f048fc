/**
 * End to end, all real: the MCP SDK client → `tapline http` (its own process) → server-everything,
 * with tapline shipping to the running cloud (as `npm start` runs it). Every call must appear in PostgreSQL
 * under the key's project with the right tool, status and duration, and agree with the agent's own
 * `tapline stats`.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startAppServer, type AppServer } from "./support/app-server";
import { createPool } from "../server/db/pool";
import { listTools } from "../server/analytics";
import { refreshRollups, RELATIVE_ACCURACY } from "../server/analytics/rollups";
import { createPrismaClient } from "../server/db/client";
import { generateApiKey } from "../server/keys";
import { freePort } from "../server/db/embedded";
import { startEverythingServer, type RunningUpstream } from "../proxy-agent/src/transport/test-support/everything-server";

let app: AppServer;
let upstream: RunningUpstream;
let agent: ChildProcess;
let agentLog = "";
let tmp: string;
let projectId: string;
let proxyUrl: string;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), "tapline-e2e-"));
  app = await startAppServer();
  upstream = await startEverythingServer("streamableHttp");
  const prisma = createPrismaClient(app.database.url, { max: 1 });
  const org = await prisma.organization.create({ data: { name: "Acme", slug: "acme" } });
  const project = await prisma.project.create({ data: { orgId: org.id, name: "Everything", slug: "everything" } });
  projectId = project.id;
  const key = generateApiKey();
  await prisma.apiKey.create({ data: { projectId, name: "agent", prefix: key.prefix, hash: key.hash } });
  await prisma.$disconnect();
  const port = await freePort();
  proxyUrl = `http://127.0.0.1:${port}/mcp`;
  agent = spawn(
    process.execPath,
    ["proxy-agent/bin/tapline.js", "http", "--remote-url", upstream.url, "--listen", `127.0.0.1:${port}`, "--db", join(tmp, "t.db"), "--server-id", "everything", "--cloud-url", app.url],
    { env: { ...process.env, TAPLINE_API_KEY: key.key }, stdio: ["ignore", "pipe", "pipe"] },
  );
  agent.stderr!.on("data", (b: Buffer) => (agentLog += b));
  const deadline = Date.now() + 30_000;
  while (!agentLog.includes("proxying")) {
    if (Date.now() > deadline || agent.exitCode !== null) throw new Error(`tapline did not start:\n${agentLog}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  if (agent && agent.exitCode === null) {
    agent.kill("SIGTERM");
    await new Promise((r) => agent.once("exit", r));
  }
  await upstream?.stop();
  await app?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test("every call made through tapline appears in the cloud with its project, tool, status and duration", async () => {
  const client = new Client({ name: "claude-code", version: "2.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(proxyUrl)));
  const tools = await client.listTools();
  assert.ok(tools.tools.length > 5);
  for (let i = 0; i < 5; i++) await client.callTool({ name: "echo", arguments: { message: `hi ${i}` } });
  await client.callTool({ name: "get-sum", arguments: { a: 2, b: 3 } });
  // Depending on the SDK version an unknown tool is a JSON-RPC error or an isError result; the record must say which.
  const unknown = await client.callTool({ name: "no-such-tool", arguments: {} }).then(
    (r) => (r.isError ? "tool_error" : "ok"),
    () => "rpc_error",
  );
  assert.notEqual(unknown, "ok");
  await client.close();

  const pool = createPool(app.database.url, 1);
  try {
    type Row = { method: string; target: string | null; status: string; duration_us: string; client_name: string | null; n: number };
    let rows: Row[] = [];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      rows = (
        await pool.query<Row>(
          `SELECT method, target, status, min(duration_us) AS duration_us, max(client_name) AS client_name, count(*)::int AS n
             FROM call_events WHERE project_id = $1 AND kind = 'request' AND method = 'tools/call' GROUP BY 1, 2, 3 ORDER BY 2`,
          [projectId],
        )
      ).rows;
      if (rows.reduce((a, r) => a + r.n, 0) >= 7) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.deepEqual(
      rows.map((r) => [r.target, r.status, r.n]),
      [
        ["echo", "ok", 5],
        ["get-sum", "ok", 1],
        ["no-such-tool", unknown, 1],
      ],
      `agent log:\n${agentLog}`,
    );
    assert.ok(rows.every((r) => Number(r.duration_us) > 0), "durations recorded");
    assert.ok(rows.every((r) => r.client_name === "Claude Code"), "client identified");
    const live = await pool.query(`SELECT "firstEventAt" FROM "Project" WHERE id = $1`, [projectId]);
    assert.ok(live.rows[0].firstEventAt, "the project went live");

    // The agent's own CLI reports the same counts for the same traffic.
    const stats = spawnSync(process.execPath, ["proxy-agent/bin/tapline.js", "stats", "--json", "--db", join(tmp, "t.db")], { encoding: "utf8" });
    assert.equal(stats.status, 0, stats.stderr);
    const local = JSON.parse(stats.stdout) as { tools: { name: string; calls: number; errors: number; p50Ms: number; p95Ms: number }[] };
    const byTool = Object.fromEntries(local.tools.map((t) => [t.name, t.calls]));
    assert.equal(byTool.echo, 5);
    assert.equal(byTool["get-sum"], 1);
    // And so does the dashboard: exactly over the last hour (events), within the sketch's ±2 %
    // over 7 days (rollups, once the job has rolled the hour up, raw until then).
    const now = Date.now();
    const echoLocal = local.tools.find((t) => t.name === "echo")!;
    for (const [label, ms, tolerance] of [["1h", 3_600_000, 0], ["7d", 7 * 86_400_000, RELATIVE_ACCURACY]] as const) {
      await refreshRollups(pool, { now: new Date(now + 7_200_000) });
      const dash = await listTools(pool, { projectId }, { from: new Date(now - ms), to: new Date(now + 60_000) });
      const echo = dash.tools.find((t) => t.tool === "echo")!;
      assert.equal(echo.calls, echoLocal.calls, `${label}: calls`);
      assert.equal(echo.errors, echoLocal.errors, `${label}: errors`);
      for (const k of ["p50Ms", "p95Ms"] as const) {
        assert.ok(Math.abs(echo[k]! - echoLocal[k]) <= echoLocal[k] * tolerance + 0.001, `${label} ${k}: dashboard ${echo[k]} vs CLI ${echoLocal[k]}`);
      }
    }
  } finally {
    await pool.end();
  }
});
