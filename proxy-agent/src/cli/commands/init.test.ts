import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCliCaptured } from "../testing/run-cli-captured";

test("init --command prints a Claude Desktop entry that runs the server through tapline stdio", async () => {
  const r = await runCliCaptured(["init", "--command", "npx -y @modelcontextprotocol/server-everything"]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    mcpServers: {
      "server-everything": {
        command: "npx",
        args: ["-y", "tapline", "stdio", "--server-id", "server-everything", "--", "npx", "-y", "@modelcontextprotocol/server-everything"],
      },
    },
  });
});

test("init --config --server keeps the entry's env; URL entries get a url snippet and the command to run", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "tapline-init-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, "mcp.json");
  writeFileSync(path, JSON.stringify({ mcpServers: { gh: { command: "gh-mcp", env: { GITHUB_TOKEN: "g" } }, remote: { url: "https://r.example/mcp" } } }));
  const gh = JSON.parse((await runCliCaptured(["init", "--config", path, "--server", "gh"])).stdout);
  assert.deepEqual(gh.mcpServers.gh, { command: "npx", args: ["-y", "tapline", "stdio", "--server-id", "gh", "--", "gh-mcp"], env: { GITHUB_TOKEN: "g" } });
  const remote = await runCliCaptured(["init", "--config", path, "--server", "remote", "--listen", ":9000"]);
  assert.deepEqual(JSON.parse(remote.stdout), { mcpServers: { remote: { url: "http://127.0.0.1:9000/mcp" } } });
  assert.match(remote.stderr, /npx tapline http --remote-url https:\/\/r\.example\/mcp --server-id remote --listen 127\.0\.0\.1:9000/);
  const neither = await runCliCaptured(["init"]);
  assert.equal(neither.code, 2);
});
