/**
 * `npm run bench:ingest`: records/s accepted and stored in PostgreSQL, and ingest request latency,
 * with 1, 4 and 16 concurrent agents, through the cloud server as `npm start` runs it (server/http:
 * ingestion answered before Next.js), through the Next.js route alone (`next start`; both need a build) and
 * through the bare ingestion handler on node:http (what Next.js itself costs). Writes the table to
 * docs/BENCHMARKS.md.
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import { createTestDatabase } from "../../tests/support/db";
import { createPrismaClient } from "../../server/db/client";
import { createPool } from "../../server/db/pool";
import { generateApiKey } from "../../server/keys";
import { freePort } from "../../server/db/embedded";
import { machineLine, percentile, table, writeBenchmarkSection } from "./report";
import { BATCH } from "./ingest-records";
import type { FromLoad, LoadPlan, ToLoad } from "./ingest-load";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
// Experiments: e.g. BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server (either kind).
const SERVER_NODE_ARGS = (process.env.BENCH_SERVER_NODE_ARGS ?? "").split(" ").filter(Boolean);
const CONCURRENCY = (process.env.BENCH_AGENTS ?? "1,4,16").split(",").map(Number);
// The agents' connections are spread over this many load-generator processes (fewer when there are fewer agents).
const LOAD_PROCESSES = Number(process.env.BENCH_LOAD_PROCESSES ?? 2);

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
// Experiments: BENCH_SQL="…" runs these statements on the bench database first (a schema variant to compare).
if (process.env.BENCH_SQL) await pg.query(process.env.BENCH_SQL);

type Target = "cloud" | "next" | "handler";
const TARGET_NAMES: Record<Target, string> = {
  cloud: "cloud server (`npm start`)",
  next: "Next.js route alone (`next start`)",
  handler: "ingest handler on node:http",
};

async function startServer(kind: Target): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const env = { ...process.env, DATABASE_URL: db.url, PORT: String(port), AUTH_SECRET: "x".repeat(40), NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" as const, INGEST_RECORDS_PER_MINUTE: "1000000000" };
  const script = { cloud: ["--import", "tsx", "server/http/main.ts", "--port", String(port)], next: ["node_modules/next/dist/bin/next", "start", "-p", String(port)], handler: ["--import", "tsx", "scripts/bench/ingest-server.ts"] }[kind];
  const proc = spawn(process.execPath, [...SERVER_NODE_ARGS, ...script], { env, stdio: "ignore" });
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

/** CPU time (user + system, ms) used so far by each process, by pid, and by the whole machine. */
interface CpuSnapshot {
  pids: Map<number, { ppid: number; ms: number }>;
  machineMs: number;
}

function cpuSnapshot(): CpuSnapshot {
  const pids = new Map<number, { ppid: number; ms: number }>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const f = readFileSync(`/proc/${d}/stat`, "utf8").split(") ")[1]!.split(" ");
      pids.set(Number(d), { ppid: Number(f[1]), ms: (Number(f[11]) + Number(f[12])) * 10 }); // USER_HZ = 100
    } catch {
      // exited meanwhile
    }
  }
  // First line of /proc/stat: user nice system idle iowait irq softirq steal …, in USER_HZ ticks.
  const t = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1, 9).map(Number);
  const busy = t[0]! + t[1]! + t[2]! + t[5]! + t[6]! + t[7]!;
  return { pids, machineMs: busy * 10 };
}

/** CPU ms that `pids` (and, with `descendants`, their children) used between two snapshots. */
function cpuBetween(before: CpuSnapshot, after: CpuSnapshot, pids: number[], descendants: boolean): number {
  const wanted = new Set(pids);
  for (let grew = descendants; grew; ) {
    grew = false;
    for (const [pid, p] of after.pids) {
      if (wanted.has(pid) || !wanted.has(p.ppid)) continue;
      wanted.add(pid);
      grew = true;
    }
  }
  let ms = 0;
  for (const pid of wanted) ms += (after.pids.get(pid)?.ms ?? 0) - (before.pids.get(pid)?.ms ?? 0);
  return ms;
}

/**
 * The PostgreSQL backends serving the bench database (the app's pool and ours), and the server's
 * background processes that write its WAL and pages (shared with any other database's work).
 */
async function postgresPids(): Promise<{ backends: number[]; background: number[] }> {
  const { rows } = await pg.query<{ pid: number; mine: boolean }>(
    `SELECT pid, datname = current_database() AS mine FROM pg_stat_activity
      WHERE datname = current_database() OR backend_type IN ('walwriter', 'checkpointer', 'background writer')`,
  );
  return { backends: rows.filter((r) => r.mine).map((r) => r.pid), background: rows.filter((r) => !r.mine).map((r) => r.pid) };
}

interface Result {
  target: string;
  agents: number;
  recordsPerSec: number;
  /** CPU ms per 1,000 stored records. */
  cpu: { app: number; db: number; dbBackground: number; load: number; machine: number };
  p50: number;
  p99: number;
  errors: number;
}

/** Forks the load generators for one run and has them build their bodies; resolves when all are ready. */
async function startLoad(url: string, agents: number, seconds: number, firstRecord: number): Promise<ChildProcess[]> {
  // Enough bodies for a generous 80,000 records/s for the whole run.
  const bodies = Math.ceil((80_000 * seconds) / BATCH);
  const processes = Math.min(agents, LOAD_PROCESSES);
  const now = Date.now();
  let first = firstRecord;
  return Promise.all(
    Array.from({ length: processes }, (_, p) => {
      const connections = Math.floor(agents / processes) + (p < agents % processes ? 1 : 0);
      const plan: LoadPlan = { url, key: k.key, connections, firstRecord: first, bodies: Math.ceil((bodies * connections) / agents), now };
      first += plan.bodies * BATCH;
      const child = fork("scripts/bench/ingest-load.ts", { execArgv: ["--import", "tsx"], stdio: "inherit" });
      return ask(child, { type: "plan", plan }, "ready").then(() => child);
    }),
  );
}

/** Sends a load generator a message and waits for its answer of the given type. */
function ask<T extends FromLoad["type"]>(child: ChildProcess, message: ToLoad, answer: T): Promise<Extract<FromLoad, { type: T }>> {
  return new Promise((resolve, reject) => {
    const exited = (code: number | null) => reject(new Error(`load generator exited (${code}) before answering ${message.type}`));
    child.once("exit", exited);
    child.once("error", reject);
    child.once("message", (m: FromLoad) => {
      child.off("exit", exited);
      if (m.type === answer) resolve(m as Extract<FromLoad, { type: T }>);
      else reject(new Error(`load generator answered ${m.type} to ${message.type}`));
    });
    child.send(message);
  });
}

let nextRecord = 0;

async function run(target: string, url: string, agents: number, serverPid: number, seconds = SECONDS): Promise<Result> {
  const load = await startLoad(url, agents, seconds, nextRecord);
  nextRecord += 10_000_000; // far past what one run can send
  const before = await stored();
  const cpu0 = cpuSnapshot();
  const start = performance.now();
  const reports = await Promise.all(load.map((child) => ask(child, { type: "go", seconds }, "done")));
  const elapsed = (performance.now() - start) / 1000;
  const cpu1 = cpuSnapshot();
  const postgres = await postgresPids();
  const n = (await stored()) - before;
  const perThousand = (ms: number) => (ms / n) * 1000;
  const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    target,
    agents,
    recordsPerSec: n / elapsed,
    cpu: {
      app: perThousand(cpuBetween(cpu0, cpu1, [serverPid], true)),
      db: perThousand(cpuBetween(cpu0, cpu1, postgres.backends, false)),
      dbBackground: perThousand(cpuBetween(cpu0, cpu1, postgres.background, false)),
      load: perThousand(cpuBetween(cpu0, cpu1, load.map((c) => c.pid!), false)),
      machine: perThousand(cpu1.machineMs - cpu0.machineMs),
    },
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    errors: reports.reduce((sum, r) => sum + r.errors, 0),
  };
}

const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(" ");
const loadBefore = loadavg();
const results: Result[] = [];
const targets = (process.env.BENCH_TARGETS?.split(",") ?? (existsSync(".next/BUILD_ID") ? ["cloud", "next", "handler"] : ["handler"])) as Target[];
try {
  for (const t of targets) {
    const server = await startServer(t);
    try {
      // Warm-up, not reported: Next.js compiles and caches the route on its first requests, the
      // pools open their connections, V8 optimises the hot path.
      await run("warm-up", server.url, 4, server.proc.pid!, 3);
      for (const c of CONCURRENCY) {
        const r = await run(TARGET_NAMES[t], server.url, c, server.proc.pid!);
        const ms = (x: number) => `${x.toFixed(1)} ms`;
        console.log(
          `${r.target} × ${c}: ${Math.round(r.recordsPerSec)} records/s stored; CPU per 1k records: app ${ms(r.cpu.app)}, PostgreSQL ${ms(r.cpu.db)} + ${ms(r.cpu.dbBackground)} background, load ${ms(r.cpu.load)}, machine ${ms(r.cpu.machine)}; p50 ${ms(r.p50)}, p99 ${ms(r.p99)}, errors ${r.errors}`,
        );
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
const loadAfter = loadavg();

writeBenchmarkSection(
  "Ingestion",
  `${machineLine()} PostgreSQL 15 on the same machine. Load average ${loadBefore} before, ${loadAfter} after. Each agent sends gzip batches of ${BATCH} distinct records back to back for ${SECONDS} s, after a 3 s warm-up per server (not reported); the records have the latency and failure mix of \`bench:dashboard\` (about a fifth of the calls take 100 ms or more, about 4 % fail) and timestamps in the last minute of the current hour; "stored" counts rows that reached \`call_events\`. The agents run in up to ${LOAD_PROCESSES} load-generator processes (\`scripts/bench/ingest-load.ts\`), which build their requests before the clock starts and write them on raw keep-alive sockets. Paths: the cloud server as \`npm start\` runs it (ingestion answered on node:http before Next.js, \`server/http\`), the Next.js route alone (\`next start\`), and the ingestion handler alone on node:http. CPU columns: user + system time during the run per 1,000 stored records, of the app process (and its children), of the database's backends, of PostgreSQL's WAL writer, checkpointer and background writer (shared with anything else the server does), of the load generators, and of the whole machine (everything, including other work on it). 2 cores give 2,000 ms of CPU per second, so the whole-machine column must stay under 40 ms for 50,000 records/s. Target: ≥ 50,000 records/s stored.

${table(
  ["path", "agents", "records/s stored", "app", "PostgreSQL backends", "PostgreSQL background", "load generators", "whole machine", "request p50", "request p99", "non-200"],
  results.map((r) => {
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    return [r.target, r.agents, Math.round(r.recordsPerSec).toLocaleString("en-US"), ms(r.cpu.app), ms(r.cpu.db), ms(r.cpu.dbBackground), ms(r.cpu.load), ms(r.cpu.machine), ms(r.p50), ms(r.p99), r.errors];
  }),
)}
`,
);
console.log("written to docs/BENCHMARKS.md");
