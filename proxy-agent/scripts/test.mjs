#!/usr/bin/env node
// `npm test -w tapline`: every src/**/*.test.ts of this package with Node's test runner through tsx,
// without the monorepo's test setup (which builds the cloud app). Args filter files by substring.
// Node 20's --test takes no globs, hence the walk.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;

function findTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : findTests(full);
    return entry.name.endsWith(".test.ts") ? [relative(root, full)] : [];
  });
}

const filters = process.argv.slice(2);
const files = findTests(join(root, "src"))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...files], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "test" },
});
process.exit(result.status ?? 1);
