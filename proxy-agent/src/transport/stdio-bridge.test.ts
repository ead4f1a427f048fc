import { after, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { PassThrough } from "node:stream";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { EVERYTHING_BIN } from "./test-support/everything-server";
import { readJsonlRecords } from "./test-support/jsonl-file-sink";
import { cancelAfterFirstProgress, connectScenarioClient, runScenario } from "./test-support/mcp-scenario";
import { testRuntime } from "./test-support/proxy-runtime";
import { CallTap } from "../mcp/call-tap";
import { startStdioBridge } from "./stdio-bridge";

const REPO = fileURLToPath(new URL("../../../", import.meta.url));
const PROXY_MAIN = fileURLToPath(new URL("../../test-fixtures/stdio-proxy-main.ts", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "tapline-stdio-"));
const clients: Client[] = [];
after(async () => {
  for (const c of clients) await c.close().catch(() => {});
});

function everythingDirect(): StdioClientTransport {
  return new StdioClientTransport({ command: process.execPath, args: [EVERYTHING_BIN, "stdio"], stderr: "ignore" });
}

function everythingThroughTapline(recordsPath: string): StdioClientTransport {
  return new StdioClientTransport({
    command: process.execPath,
    args: ["--import", "tsx", PROXY_MAIN, recordsPath, process.execPath, EVERYTHING_BIN, "stdio"],
    cwd: REPO,
    stderr: "ignore",
  });
}

test("stdio: the SDK client gets the same results through tapline as directly, and records match", async () => {
  const recordsPath = join(dir, "scenario.jsonl");
  const direct = await connectScenarioClient(everythingDirect());
  const proxiedClient = await connectScenarioClient(everythingThroughTapline(recordsPath));
  clients.push(direct, proxiedClient);
  assert.deepEqual(await runScenario(proxiedClient), await runScenario(direct));
  assert.match(await cancelAfterFirstProgress(proxiedClient), /test cancels|abort/i);
  await proxiedClient.close();

  const { records, snapshots } = readJsonlRecords(recordsPath);
  const requests = records.filter((r) => r.kind === "request");
  const sessions = new Set(records.map((r) => r.sessionId));
  assert.equal(sessions.size, 1, "one session id per child process run");
  assert.ok([...sessions][0]);
  const init = requests.find((r) => r.method === "initialize")!;
  assert.deepEqual([init.clientName, init.transport, init.seq, init.httpStatus], ["Claude", "stdio", 1, null]);
  assert.equal(requests.find((r) => r.target === "echo")?.status, "ok");
  assert.ok(requests.some((r) => r.direction === "s2c" && r.method === "elicitation/create" && r.status === "ok"));
  assert.ok(requests.some((r) => r.status === "cancelled" && r.target === "trigger-long-running-operation"));
  assert.ok(records.some((r) => r.kind === "notification" && r.method === "notifications/progress"));
  assert.ok(snapshots.some((s) => s.kind === "tools"));
});

/** An in-process bridge on PassThrough streams, for the failure paths. */
function bridge(command: string, args: string[]) {
  const runtime = testRuntime({ kind: "stdio", command, args, env: {} });
  const tap = new CallTap({ ...runtime.config, transport: "stdio", sink: runtime.sink, log: runtime.log, counters: { tapErrors: 0, recordErrors: 0, recordsDropped: 0 } });
  const input = new PassThrough();
  const output = new PassThrough();
  const lines: string[] = [];
  let buffered = "";
  output.on("data", (c: Buffer) => {
    buffered += c.toString();
    let nl: number;
    while ((nl = buffered.indexOf("\n")) !== -1) {
      lines.push(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
  });
  return { runtime, tap, input, lines, start: () => startStdioBridge(runtime, tap, { kind: "stdio", command, args, env: {} }, { input, output }) };
}

test("stdio: a server that cannot start answers each request with a JSON-RPC error and records a transport error", async () => {
  const b = bridge(join(dir, "no-such-server"), []);
  const running = await b.start();
  b.input.write('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"clientInfo":{"name":"cursor-vscode","version":"1"}}}\n');
  await b.runtime.sink.waitFor((s) => s.records.length === 1);
  assert.equal(b.runtime.sink.records[0]!.status, "transport_error");
  assert.equal(b.runtime.sink.records[0]!.clientName, "Cursor");
  const reply = JSON.parse(b.lines[0]!);
  assert.equal(reply.id, 1);
  assert.match(reply.error.message, /cannot start upstream server/);
  b.input.end();
  assert.equal(await running.done, 1);
  b.tap.close();
});

test("stdio: a server that dies mid-request gets its pending requests answered and recorded", async () => {
  // Reads one line, then exits without answering.
  const b = bridge(process.execPath, ["-e", "process.stdin.once('data', () => process.exit(3))"]);
  const running = await b.start();
  b.input.write('{"jsonrpc":"2.0","id":"x","method":"tools/call","params":{"name":"slow"}}\n');
  assert.equal(await running.done, 3);
  assert.equal(b.runtime.sink.records[0]!.status, "transport_error");
  assert.equal(b.runtime.sink.records[0]!.target, "slow");
  assert.match(JSON.parse(b.lines[0]!).error.message, /exited \(code 3\)/);
  b.tap.close();
});

test("stdio: malformed lines from either side are forwarded untouched and counted", async () => {
  const b = bridge(process.execPath, ["-e", "process.stdin.on('data', d => process.stdout.write('not json from server\\n' + d))"]);
  const running = await b.start();
  b.input.write("this is not json\n");
  b.input.write('{"jsonrpc":"2.0","id":1,"method":"ping"}\n');
  await b.runtime.sink.waitFor(() => b.lines.length >= 3);
  assert.deepEqual(b.lines.slice(0, 2), ["not json from server", "this is not json"]);
  await running.close();
  b.tap.close();
});
