// The official MCP conformance suite (server mode), used differentially: server-everything lacks the
// suite's test tools/prompts/resources, so many checks fail against it directly. What matters for a proxy
// is that every check that passes directly still passes through it. The proxy is the real CLI
// (proxy-agent/bin/tapline.js) in its own process, recording to a temp SQLite store.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { EVERYTHING_BIN, startEverythingServer, type RunningUpstream } from "../proxy-agent/src/transport/test-support/everything-server";
import { CONFORMANCE_VERSION, regressions, runConformanceServer, type ConformanceRun } from "./support/conformance";

const TAPLINE = fileURLToPath(new URL("../proxy-agent/bin/tapline.js", import.meta.url));
/**
 * The direct run must pass at least this many checks besides `wire-schema-valid`, so the comparison is
 * never vacuous: `wire-schema-valid` (one per scenario) also validates the harness's own messages and
 * passes even against a dead URL (28 of them do), while the others need real answers. With conformance
 * 0.2.0-alpha.12 and server-everything, 17 of the 45 passing checks directly are such functional checks.
 */
const MIN_DIRECT_FUNCTIONAL_PASSES = 12;
const functionalPasses = (run: ConformanceRun): number => [...run.passed].filter((k) => !k.endsWith("/wire-schema-valid")).length;

let upstream: RunningUpstream;
let direct: ConformanceRun;
const dir = mkdtempSync(join(tmpdir(), "tapline-conformance-test-"));

before(async () => {
  upstream = await startEverythingServer("streamableHttp");
  direct = await runConformanceServer(upstream.url);
});
after(async () => {
  await upstream?.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface RunningProxy {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  /** SIGTERM (flushes the store) and the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `tapline <args> --listen 127.0.0.1:0` and resolves with its client URL once it logs "proxying". */
function startTapline(args: string[]): Promise<RunningProxy> {
  const child = spawn(process.execPath, [TAPLINE, ...args, "--listen", "127.0.0.1:0"], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  return new Promise((resolve, reject) => {
    child.stderr!.on("data", (c: Buffer) => {
      stderr += c;
      const m = /proxying .*clients: (http:\/\/\S+\/mcp);/.exec(stderr);
      if (m) {
        resolve({
          url: m[1]!,
          child,
          stderr: () => stderr,
          stop: async () => {
            if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
            child.kill("SIGTERM");
            const [code] = await once(child, "exit");
            return code as number | null;
          },
        });
      }
    });
    child.once("exit", (code) => reject(new Error(`tapline ${args[0]} exited (${code}) before proxying:\n${stderr}`)));
  });
}

interface StatsGroup {
  name: string;
  calls: number;
  errors: number;
}

async function stats(db: string): Promise<{ tools: StatsGroup[]; methods: StatsGroup[]; clients: StatsGroup[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, [TAPLINE, "stats", "--json", "--since", "all", "--db", db]);
  return JSON.parse(stdout);
}

function describeRun(label: string, run: ConformanceRun): string {
  return `${label}: ${run.passed.size} passing checks of ${run.checks.length}, ${functionalPasses(run)} of them besides wire-schema-valid (${run.summary}) in ${run.durationMs} ms`;
}

/** Asserts the differential property and that the proxy recorded the suite's traffic. */
async function assertProxyMatchesDirect(proxy: RunningProxy, viaProxy: ConformanceRun, db: string): Promise<void> {
  const code = await proxy.stop();
  assert.ok(functionalPasses(direct) >= MIN_DIRECT_FUNCTIONAL_PASSES, `direct run passed too few checks to compare:\n${describeRun("direct", direct)}`);
  const lost = regressions(direct, viaProxy);
  assert.deepEqual(lost, [], `checks that pass directly but fail through tapline:\n  ${lost.join("\n  ")}\n${describeRun("direct", direct)}\n${describeRun("proxy", viaProxy)}`);
  assert.equal(code, 0, `tapline exited with ${code} on SIGTERM:\n${proxy.stderr()}`);

  const recorded = await stats(db);
  const methods = new Map(recorded.methods.map((g) => [g.name, g]));
  for (const method of ["initialize", "tools/list", "tools/call", "resources/list", "prompts/list", "ping"]) {
    assert.ok((methods.get(method)?.calls ?? 0) > 0, `stats --json shows no ${method} calls: ${JSON.stringify(recorded.methods)}`);
  }
  assert.ok((methods.get("initialize")?.calls ?? 0) >= viaProxy.scenarios.length - 1, `about one initialize per scenario is recorded: ${JSON.stringify(recorded.methods)}`);
  assert.ok(recorded.tools.some((g) => g.name === "test_simple_text"), `the suite's tool calls are recorded by name: ${JSON.stringify(recorded.tools)}`);
  assert.ok(recorded.clients.some((g) => g.name === "conformance-test-client"), `the suite's client is recorded: ${JSON.stringify(recorded.clients)}`);
}

test(`conformance ${CONFORMANCE_VERSION}: every server check that passes against server-everything directly passes through tapline http`, async (t) => {
  const db = join(dir, "http.db");
  const proxy = await startTapline(["http", "--remote-url", upstream.url, "--db", db]);
  t.after(() => proxy.child.kill("SIGKILL"));
  const viaProxy = await runConformanceServer(proxy.url);
  t.diagnostic(describeRun("direct", direct));
  t.diagnostic(describeRun("tapline http", viaProxy));
  await assertProxyMatchesDirect(proxy, viaProxy, db);
});

// Baseline: the same server code behind the SDK's own Streamable HTTP transport (the direct run above);
// tapline stdio --listen must serve at least what that serves. Each conformance scenario opens a session,
// and each session spawns its own stdio server, so this run takes longer (~0.5 s per scenario).
test(`conformance ${CONFORMANCE_VERSION}: every server check that passes against server-everything's own HTTP transport passes through tapline stdio --listen`, async (t) => {
  const db = join(dir, "stdio.db");
  const proxy = await startTapline(["stdio", "--command", `"${process.execPath}" "${EVERYTHING_BIN}" stdio`, "--db", db]);
  t.after(() => proxy.child.kill("SIGKILL"));
  const viaProxy = await runConformanceServer(proxy.url);
  t.diagnostic(describeRun("direct (server-everything streamableHttp)", direct));
  t.diagnostic(describeRun("tapline stdio", viaProxy));
  await assertProxyMatchesDirect(proxy, viaProxy, db);
});
