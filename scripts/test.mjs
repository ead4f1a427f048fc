#!/usr/bin/env node
// The one test command: `npm test` (also what .ci/run calls).
// Installs what a clean machine lacks, prepares builds the tests need, then runs every
// *.test.ts with Node's test runner (TypeScript through tsx).
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const roots = ["proxy-agent/src", "proxy-agent/test", "tunnel-relay/src", "server", "tests", "scripts"];
const skip = new Set(["node_modules", ".next", "dist", "generated"]);

function findTests(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (skip.has(name)) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (name.endsWith(".test.ts")) out.push(relative(root, full));
  }
  return out;
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(" ")} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

const filter = process.argv.slice(2);
let files = roots.flatMap((d) => findTests(join(root, d), [])).sort();
if (filter.length) files = files.filter((f) => filter.some((x) => f.includes(x)));
if (!files.length) {
  console.error("no test files matched");
  process.exit(1);
}

run(process.execPath, ["--import", "tsx", "scripts/test-setup.ts"]);

run(process.execPath, [
  "--import",
  "tsx",
  "--test",
  `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
  "--test-timeout=180000",
  ...files,
], { env: { ...process.env, NODE_ENV: "test", NEXT_TELEMETRY_DISABLED: "1" } });
