/**
 * `npm run bench:ingest`: records/s accepted and stored in PostgreSQL, and ingest request latency,
 * with 1, 4 and 16 concurrent agents, through the Next.js app (`next start`, when built) and
 * through the bare ingestion handler on node:http (what Next.js itself costs). Writes the table to
 * docs/BENCHMARKS.md.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { Pool as HttpPool } from "undici";
import { createTestDatabase } from "../../tests/support/db";
import { makeBatch, makeRecord } from "../../tests/support/records";
import type { CallRecord } from "../../proxy-agent/src/wire";
import { createPrismaClient } from "../../server/db/client";
import { createPool } from "../../server/db/pool";
import { generateApiKey } from "../../server/keys";
import { freePort } from "../../server/db/embedded";
import { machineLine, percentile, table, writeBenchmarkSection } from "./report";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const BATCH = 500;
// Experiments: e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the bare handler.
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
const CONCURRENCY = (process.env.BENCH_AGENTS ?? "1,4,16").split(",").map(Number);

const db = await createTestDatabase();
const prisma = createPrismaClient(db.url, { max: 2 });
const org = await prisma.organization.create({ data: { name: "Bench", slug: "bench" } });
const project = await prisma.project.create({ data: { orgId: org.id, name: "Bench", slug: "bench" } });
const k = generateApiKey();
await prisma.apiKey.create({ data: { projectId: project.id, name: "bench", prefix: k.prefix, hash: k.hash } });
await prisma.$disconnect();
const pg = createPool(db.url, 2);
// Experiments: BENCH_DROP_INDEXES=a,b drops those indexes first, to measure what each costs.
for (const index of (process.env.BENCH_DROP_INDEXES ?? "").split(",").filter(Boolean)) await pg.query(`DROP INDEX IF EXISTS "${index}"`);

// Distinct records for every request, made before the clock starts so the load generator spends
// its CPU on sending, not on building JSON. Sessions of 25 calls, the last hour, and the latency and
// failure mix of bench:dashboard: tool popularity skewed towards tool_00, latency growing with the
// tool's index (tool_19 ~1 s mean, about a fifth of all calls ≥ 100 ms), about 4% failures (tool_07 ~30%).
let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
}
const ERRORS = [
  ["tool_error", null, (i: number) => `upstream returned 502 for request ${i % 1000}`],
  ["rpc_error", -32603, (i: number) => `internal error at step ${i % 7}`],
  ["timeout", null, () => "no response within 30000 ms"],
] as const;
let made = 0;
function makeRecordForBench(now: number, j: number): CallRecord {
  const i = made++;
  const t = Math.floor(20 * random() ** 2);
  const durationUs = Math.max(50, Math.round(2000 * 1.4 ** t * (0.1 - Math.log(1 - random()))));
  const r = random();
  const failure: number = t === 7 ? (r < 0.25 ? 0 : r < 0.28 ? 1 : r < 0.3 ? 2 : -1) : r < 0.02 ? 0 : r < 0.025 ? 1 : r < 0.027 ? 2 : -1;
  const error = ERRORS[failure];
  const [status, errorCode, message] = error ? [error[0], error[1], error[2](i)] : (["ok", null, null] as const);
  return makeRecord({ ts: now - (i % 3_600_000), sessionId: `s${Math.floor(i / 25)}`, seq: j + 1, target: `tool_${String(t).padStart(2, "0")}`, durationUs, status, errorCode, errorMessage: message });
}
function makeBodies(n: number): Buffer[] {
  const now = Date.now();
  return Array.from({ length: n }, () => gzipSync(JSON.stringify(makeBatch(Array.from({ length: BATCH }, (_, j) => makeRecordForBench(now, j))))));
}

async function startServer(kind: "next" | "handler"): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const env = { ...process.env, DATABASE_URL: db.url, PORT: String(port), AUTH_SECRET: "x".repeat(40), NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" as const, INGEST_RECORDS_PER_MINUTE: "1000000000" };
  const proc =
    kind === "next"
      ? spawn("node_modules/.bin/next", ["start", "-p", String(port)], { env, stdio: "ignore" })
      : spawn(process.execPath, [...SERVER_NODE_ARGS, "--import", "tsx", "scripts/bench/ingest-server.ts"], { env, stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const r = await fetch(`${url}/api/v1/ingest`, { method: "POST" });
      if (r.status === 401) return { url, proc };
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  proc.kill();
  throw new Error(`${kind} server did not start`);
}

async function stored(): Promise<number> {
  const { rows } = await pg.query<{ n: number }>(`SELECT count(*)::int AS n FROM call_events WHERE project_id = $1`, [project.id]);
  return rows[0]!.n;
}

/** CPU time (user + system, ms) used so far by each process, by pid. */
function cpuByPid(): Map<number, { ppid: number; ms: number }> {
  const out = new Map<number, { ppid: number; ms: number }>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1]!.split(" ");
      out.set(Number(d), { ppid: Number(f[1]), ms: (Number(f[11]) + Number(f[12])) * 10 }); // USER_HZ = 100
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** CPU ms that `pids` (and, with `descendants`, their children) used between two snapshots. */
function cpuBetween(before: ReturnType<typeof cpuByPid>, after: ReturnType<typeof cpuByPid>, pids: number[], descendants: boolean): number {
  const wanted = new Set(pids);
  for (let grew = descendants; grew; ) {
    grew = false;
    for (const [pid, p] of after) {
      if (wanted.has(pid) || !wanted.has(p.ppid)) continue;
      wanted.add(pid);
      grew = true;
    }
  }
  let ms = 0;
  for (const pid of wanted) ms += (after.get(pid)?.ms ?? 0) - (before.get(pid)?.ms ?? 0);
  return ms;
}

/** The PostgreSQL backends serving the bench database (the app's pool and ours). */
async function backendPids(): Promise<number[]> {
  const { rows } = await pg.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
  return rows.map((r) => r.pid);
}

interface Result {
  target: string;
  agents: number;
  recordsPerSec: number;
  /** CPU ms per 1,000 stored records: the app process, and the database's backends. */
  appCpu: number;
  dbCpu: number;
  p50: number;
  p99: number;
  errors: number;
}

async function run(target: string, url: string, agents: number, serverPid: number, seconds = SECONDS): Promise<Result> {
  // Enough bodies for a generous 80,000 records/s for the whole run.
  const bodies = makeBodies(Math.ceil((80_000 * seconds) / BATCH));
  const http = new HttpPool(url, { connections: agents, pipelining: 1 });
  const before = await stored();
  const cpu0 = cpuByPid();
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: agents }, async () => {
      while (performance.now() < deadline && next < bodies.length) {
        const body = bodies[next++]!;
        const t = performance.now();
        const res = await http.request({
          path: "/api/v1/ingest",
          method: "POST",
          headers: { authorization: `Bearer ${k.key}`, "content-type": "application/json", "content-encoding": "gzip" },
          body,
        });
        await res.body.text();
        latencies.push(performance.now() - t);
        if (res.statusCode !== 200) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const cpu1 = cpuByPid();
  const appCpu = cpuBetween(cpu0, cpu1, [serverPid], true);
  const dbCpu = cpuBetween(cpu0, cpu1, await backendPids(), false);
  await http.close();
  const n = (await stored()) - before;
  latencies.sort((a, b) => a - b);
  return { target, agents, recordsPerSec: n / elapsed, appCpu: (appCpu / n) * 1000, dbCpu: (dbCpu / n) * 1000, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors };
}

const results: Result[] = [];
const targets = (process.env.BENCH_TARGETS?.split(",") ?? (existsSync(".next/BUILD_ID") ? ["next", "handler"] : ["handler"])) as ("next" | "handler")[];
try {
  for (const t of targets) {
    const server = await startServer(t);
    try {
      // Warm-up, not reported: Next.js compiles and caches the route on its first requests, the
      // pools open their connections, V8 optimises the hot path.
      await run("warm-up", server.url, 4, server.proc.pid!, 3);
      for (const c of CONCURRENCY) {
        const r = await run(t === "next" ? "Next.js app (`next start`)" : "ingest handler on node:http", server.url, c, server.proc.pid!);
        console.log(`${r.target} × ${c}: ${Math.round(r.recordsPerSec)} records/s stored, CPU per 1k records app ${r.appCpu.toFixed(0)} ms db ${r.dbCpu.toFixed(0)} ms, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, errors ${r.errors}`);
        results.push(r);
      }
    } finally {
      server.proc.kill("SIGTERM");
    }
  }
} finally {
  await pg.end();
  await db.drop();
}

writeBenchmarkSection(
  "Ingestion",
  `${machineLine()} PostgreSQL 15 on the same machine. Each agent sends gzip batches of ${BATCH} distinct records back to back for ${SECONDS} s, after a 3 s warm-up per server (not reported); the records have the latency and failure mix of \`bench:dashboard\` (about a fifth of the calls take 100 ms or more, about 4 % fail); "stored" counts rows that reached \`call_events\`. CPU columns: user + system time of the app process (and its children) and of the database's backends during the run, per 1,000 stored records — what 2 cores must cover (the load generator takes a little more); other work on the machine inflates them too, but they show where the cost is. Target: ≥ 50,000 records/s stored.

${table(
  ["path", "agents", "records/s stored", "app CPU per 1k records", "PostgreSQL CPU per 1k records", "request p50", "request p99", "non-200"],
  results.map((r) => [r.target, r.agents, Math.round(r.recordsPerSec).toLocaleString("en-US"), `${r.appCpu.toFixed(1)} ms`, `${r.dbCpu.toFixed(1)} ms`, `${r.p50.toFixed(1)} ms`, `${r.p99.toFixed(1)} ms`, r.errors]),
)}
`,
);
console.log("written to docs/BENCHMARKS.md");
