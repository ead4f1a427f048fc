import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCliCaptured } from "../testing/run-cli-captured";
import type { CliDeps } from "../command";
import type { ProxyRuntime, RunningProxy } from "../../config/types";
import { makeCallRecord } from "../../record/testing/call-record-fixture";
import { openStoreForReading } from "../../record/store-database";

/** A stand-in for the forwarding core: records `calls` records, then ends with `exitCode` (or waits for close). */
function fakeProxy(options: { calls: number; exitCode?: number; fail?: Error }) {
  const seen: { runtime?: ProxyRuntime; closed: boolean; loaded: boolean } = { closed: false, loaded: false };
  const deps: CliDeps = {
    loadRunProxy: async () => {
      seen.loaded = true;
      return async (runtime) => {
        if (options.fail) throw options.fail;
        seen.runtime = runtime;
        for (let i = 0; i < options.calls; i++) runtime.sink.record(makeCallRecord({ serverId: runtime.config.serverId, seq: i + 1 }));
        let end!: (code: number) => void;
        const done = new Promise<number>((resolve) => (end = resolve));
        if (options.exitCode !== undefined) setImmediate(() => end(options.exitCode!));
        const running: RunningProxy = {
          url: runtime.config.listen ? `http://${runtime.config.listen.host}:${runtime.config.listen.port}/mcp` : undefined,
          done,
          close: async () => {
            seen.closed = true;
            end(0);
          },
        };
        return running;
      };
    },
  };
  return { deps, seen };
}

function tempDb(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), "tapline-proxy-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, "tapline.db");
}

function storedServerIds(db: string): string[] {
  const conn = openStoreForReading(db);
  try {
    return (conn.prepare("SELECT server_id FROM calls").all() as { server_id: string }[]).map((r) => r.server_id);
  } finally {
    conn.close();
  }
}

test("stdio: records reach the database, stdout stays silent, the proxy's exit code is returned", async (t) => {
  const db = tempDb(t);
  const { deps, seen } = fakeProxy({ calls: 3, exitCode: 0 });
  const r = await runCliCaptured(["stdio", "--command", "node server.js", "--db", db, "--server-id", "demo", "--bearer-token", "s3cret", "--api-key", "k3y", "--cloud-url", "https://cloud.example/?x=1"], { deps });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "", "stdout belongs to MCP in stdio mode");
  assert.deepEqual(storedServerIds(db), ["demo", "demo", "demo"]);
  assert.match(r.stderr, /proxying demo \(stdio: node server\.js\); clients: stdio; recording to /);
  assert.match(r.stderr, /shipping to https:\/\/cloud\.example\//);
  assert.doesNotMatch(r.stderr, /s3cret|k3y|x=1/);
  assert.equal(seen.runtime?.config.bearerToken, "s3cret");
});

test("a signal shuts the proxy down gracefully and flushes pending records", async (t) => {
  const db = tempDb(t);
  const { deps, seen } = fakeProxy({ calls: 2 });
  const controller = new AbortController();
  const run = runCliCaptured(["http", "--remote-url", "http://localhost:3000/mcp", "--db", db], { deps, signal: controller.signal });
  await new Promise((resolve) => setTimeout(resolve, 20)).then(() => controller.abort());
  const r = await run;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(seen.closed, true);
  assert.deepEqual(storedServerIds(db), ["localhost-3000", "localhost-3000"]);
  assert.match(r.stderr, /clients: http:\/\/127\.0\.0\.1:8787\/mcp/);
});

test("no mode (MCPulse style): the upstream decides; a non-zero proxy exit code is passed on", async (t) => {
  const db = tempDb(t);
  const { deps, seen } = fakeProxy({ calls: 1, exitCode: 7 });
  const r = await runCliCaptured(["--command", "uvx mcp-server-fetch", "--db", db], { deps });
  assert.equal(r.code, 7);
  assert.equal(seen.runtime?.config.upstream.kind, "stdio");
  assert.deepEqual(storedServerIds(db), ["mcp-server-fetch"]);
});

test("a proxy that fails to start is a one-line error, exit 1; bad input exits 2 before anything starts", async (t) => {
  const db = tempDb(t);
  const failing = fakeProxy({ calls: 0, fail: Object.assign(new Error("upstream http://x/ unreachable (ECONNREFUSED)"), { code: "upstream_unreachable" }) });
  const r = await runCliCaptured(["http", "--remote-url", "http://x/", "--db", db], { deps: failing.deps });
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim().split("\n").at(-1), "tapline: upstream http://x/ unreachable (ECONNREFUSED)");

  const bad = fakeProxy({ calls: 0 });
  const usage = await runCliCaptured(["http", "--db", db], { deps: bad.deps });
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /^tapline: no upstream server: give --remote-url or --config FILE --server NAME\nUsage: tapline http/);
  assert.equal(bad.seen.loaded, false);
});
