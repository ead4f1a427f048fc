import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { runCliCaptured } from "./testing/run-cli-captured";

const MAIN = fileURLToPath(new URL("./main.ts", import.meta.url));
const EVERYTHING = fileURLToPath(new URL("../../../node_modules/.bin/mcp-server-everything", import.meta.url));

test("tapline stdio --listen records real SDK calls to the everything server, flushes on SIGTERM, and stats shows them", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tapline-e2e-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, "tmp.db");
  const proxy = spawn(process.execPath, ["--import", "tsx", MAIN, "stdio", "--command", `${EVERYTHING} stdio`, "--listen", "127.0.0.1:0", "--db", db, "--server-id", "everything"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  t.after(() => proxy.kill("SIGKILL"));
  let stdout = "";
  let stderr = "";
  proxy.stdout.on("data", (c: Buffer) => (stdout += c));
  const url = await new Promise<string>((resolve, reject) => {
    proxy.stderr.on("data", (c: Buffer) => {
      stderr += c;
      const match = /clients: (http:\/\/\S+\/mcp);/.exec(stderr);
      if (match) resolve(match[1]!);
    });
    proxy.once("exit", (code) => reject(new Error(`proxy exited (${code}) before listening:\n${stderr}`)));
  });

  const client = new Client({ name: "e2e-client", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  await client.listTools();
  await client.callTool({ name: "echo", arguments: { message: "hi" } });
  await client.callTool({ name: "get-sum", arguments: { a: 2, b: 3 } });
  await client.callTool({ name: "no-such-tool", arguments: {} });
  await client.close();

  proxy.kill("SIGTERM");
  const [code] = await once(proxy, "exit");
  assert.equal(code, 0, stderr);
  assert.equal(stdout, "", "nothing but MCP on stdout");

  const stats = await runCliCaptured(["stats", "--json", "--db", db, "--since", "all"]);
  assert.equal(stats.code, 0, stats.stderr);
  const out = JSON.parse(stats.stdout);
  const tools = Object.fromEntries(out.tools.map((g: { name: string; calls: number; errors: number }) => [g.name, [g.calls, g.errors]]));
  assert.deepEqual(tools, { echo: [1, 0], "get-sum": [1, 0], "no-such-tool": [1, 1] });
  assert.ok(out.tools.every((g: { maxMs: number }) => g.maxMs > 0), "latency is measured, not 0");
  assert.deepEqual(out.clients.map((c: { name: string }) => c.name), ["e2e-client"]);
  const tools2 = JSON.parse((await runCliCaptured(["tools", "--json", "--db", db, "--since", "all"])).stdout);
  assert.ok(tools2.servers[0].neverCalled.includes("get-env"));
});

test("tapline stdio without --listen speaks MCP on stdin/stdout (Claude Desktop style) and flushes when the client goes", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tapline-e2e-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, "tmp.db");
  const { StdioClientTransport } = await import("@modelcontextprotocol/sdk/client/stdio.js");
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ["--import", "tsx", MAIN, "stdio", "--db", db, "--", EVERYTHING, "stdio"],
    stderr: "pipe",
  });
  const client = new Client({ name: "claude-ai", version: "0.9" });
  await client.connect(transport);
  await client.callTool({ name: "echo", arguments: { message: "over stdio" } });
  // close() ends stdin and waits for the process to exit (SIGTERM after 2 s): either way the proxy flushes first.
  await client.close();
  const r = await runCliCaptured(["stats", "--json", "--db", db, "--since", "all"]);
  assert.equal(r.code, 0, r.stderr);
  const stats = JSON.parse(r.stdout);
  assert.deepEqual(stats.tools.map((g: { name: string }) => g.name), ["echo"]);
  assert.deepEqual(stats.clients.map((c: { name: string }) => c.name), ["Claude"], "clientInfo claude-ai is normalised");
});
