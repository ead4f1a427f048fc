import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCliCaptured } from "../testing/run-cli-captured";
import { seedStore, T0 } from "../../record/testing/seeded-store";

function seeded(t: { after(fn: () => void): void }): { db: string; now: number } {
  const dir = mkdtempSync(join(tmpdir(), "tapline-cli-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const db = join(dir, "tapline.db");
  seedStore(db);
  // One hour after the seeded calls: inside every default window.
  return { db, now: T0 + 3_600_000 };
}

test("stats --json: stable keys, exact percentiles, per tool, method and client", async (t) => {
  const { db, now } = seeded(t);
  const r = await runCliCaptured(["stats", "--json", "--db", db, "--server-id", "srv"], { now });
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out), ["since", "serverId", "tools", "methods", "clients"]);
  assert.equal(out.since, now - 86_400_000);
  assert.equal(out.serverId, "srv");
  assert.deepEqual(Object.keys(out.tools[0]), ["name", "calls", "errors", "errorRate", "p50Ms", "p95Ms", "p99Ms", "maxMs", "meanBytesIn", "meanBytesOut"]);
  const search = out.tools.find((g: { name: string }) => g.name === "search");
  assert.equal(search.p50Ms, 25);
  assert.equal(search.maxMs, 40);
  assert.equal(search.errorRate, 0.5);
});

test("stats prints aligned plain tables when piped, colour only on a TTY without NO_COLOR", async (t) => {
  const { db, now } = seeded(t);
  const piped = await runCliCaptured(["stats", "--db", db], { now });
  assert.equal(piped.code, 0);
  assert.doesNotMatch(piped.stdout, /\u001b\[/);
  const lines = piped.stdout.split("\n");
  const header = lines.find((l) => l.startsWith("TOOL"))!;
  const searchRow = lines.find((l) => l.startsWith("search"))!;
  assert.equal(header.indexOf("CALLS") + "CALLS".length, searchRow.indexOf(" 5 ") + 2, "numbers right-aligned under their header");
  // Both servers: search took 1, 10, 20, 30 and 40 ms.
  assert.match(searchRow, /^search\s+5\s+40\.0%\s+20\.0ms\s+38\.0ms\s+39\.6ms\s+40\.0ms\s+220 B\s+2\.0 KiB$/);
  const tty = await runCliCaptured(["stats", "--db", db], { now, isTTY: true, env: { HOME: "/x" } });
  assert.match(tty.stdout, /\u001b\[1m/);
  const noColor = await runCliCaptured(["stats", "--db", db], { now, isTTY: true, env: { HOME: "/x", NO_COLOR: "1" } });
  assert.doesNotMatch(noColor.stdout, /\u001b\[/);
});

test("slow --threshold lists calls at or over it, slowest first", async (t) => {
  const { db, now } = seeded(t);
  const r = await runCliCaptured(["slow", "--json", "--db", db, "--threshold", "600ms"], { now });
  const out = JSON.parse(r.stdout);
  assert.equal(out.thresholdMs, 600);
  assert.deepEqual(out.calls.map((c: { durationMs: number }) => c.durationMs), [900, 600]);
  const text = await runCliCaptured(["slow", "--db", db, "--threshold", "1s"], { now });
  assert.match(text.stdout, /^No calls slower than 1.00s/);
});

test("errors groups normalised messages", async (t) => {
  const { db, now } = seeded(t);
  const r = await runCliCaptured(["errors", "--json", "--db", db, "--limit", "1"], { now });
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.groups.map((g: { message: string; count: number }) => [g.message, g.count]), [["User <n> not found", 2]]);
  const text = await runCliCaptured(["errors", "--db", db], { now });
  assert.match(text.stdout, /2\s+search\s+tool_error\s+User <n> not found/);
  assert.match(text.stdout, /rpc_error -32602/);
});

test("sessions and session: list, then one session's ordered calls by id prefix", async (t) => {
  const { db, now } = seeded(t);
  const list = JSON.parse((await runCliCaptured(["sessions", "--json", "--db", db], { now })).stdout);
  assert.deepEqual(list.sessions.map((s: { sessionId: string }) => s.sessionId), ["s2-bbbb", "s3-cccc", "s1-aaaa"]);
  const one = await runCliCaptured(["session", "s1", "--db", db], { now });
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /Session s1-aaaa/);
  const seqColumn = one.stdout.split("\n").filter((l) => /^\s+(\d|·)\s/.test(l)).map((l) => l.trim().split(/\s+/)[0]);
  assert.deepEqual(seqColumn, ["1", "2", "3", "4", "5", "·"]);
  const ambiguous = await runCliCaptured(["session", "s", "--db", db], { now });
  assert.equal(ambiguous.code, 2);
  assert.match(ambiguous.stderr, /matches several sessions/);
  const missing = await runCliCaptured(["session", "nope", "--db", db], { now });
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'tapline: no session starts with "nope"\n');
  const noId = await runCliCaptured(["session", "--db", db], { now });
  assert.equal(noId.code, 2);
});

test("tools shows never-called tools and schema changes", async (t) => {
  const { db, now } = seeded(t);
  const r = await runCliCaptured(["tools", "--db", db, "--server-id", "srv"], { now });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Never called: unused/);
  assert.match(r.stdout, /Schema changes/);
  const json = JSON.parse((await runCliCaptured(["tools", "--json", "--db", db], { now })).stdout);
  assert.deepEqual(json.servers.map((s: { serverId: string }) => s.serverId), ["other", "srv"]);
});

test("status reports the store; a missing database exits 3 and says to run the proxy first", async (t) => {
  const { db, now } = seeded(t);
  const r = await runCliCaptured(["status", "--json", "--db", db], { now });
  assert.equal(JSON.parse(r.stdout).status.records, 10);
  const missing = await runCliCaptured(["stats", "--db", join(db, "..", "absent.db")]);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /^tapline: no Tapline database at .*absent\.db yet: run the proxy first/);
  assert.equal(missing.stderr.split("\n").length, 2);
});

test("--since, TAPLINE_DB and bad values", async (t) => {
  const { db, now } = seeded(t);
  const viaEnv = await runCliCaptured(["stats", "--json", "--since", "all"], { now, env: { HOME: "/x", TAPLINE_DB: db } });
  assert.equal(JSON.parse(viaEnv.stdout).since, null);
  const narrow = JSON.parse((await runCliCaptured(["stats", "--json", "--db", db, "--since", "1m"], { now })).stdout);
  assert.deepEqual(narrow.methods, []);
  for (const bad of [["--since", "yesterday"], ["--limit", "0"], ["--limit", "x"]]) {
    const r = await runCliCaptured(["stats", "--db", db, ...bad], { now });
    assert.equal(r.code, 2, bad.join(" "));
  }
});
