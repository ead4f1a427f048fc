// Run by `npm test` before the suite: what a clean machine lacks, and builds the tests use.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import { buildIsCurrent, recordBuild, sourceStamp } from "./build-stamp";

const root = new URL("..", import.meta.url).pathname;

function sh(cmd: string, args: string[], opts: Parameters<typeof spawnSync>[2] = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", ...opts });
  if (r.status !== 0) {
    console.error(`test setup: ${cmd} ${args.join(" ")} failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

// Browser tests drive Debian's Chromium (never a test tool's own browser download).
if (!existsSync("/usr/bin/chromium")) {
  if (process.getuid?.() !== 0) {
    console.error("test setup: /usr/bin/chromium is missing; install it with: sudo apt-get install -y chromium");
    process.exit(1);
  }
  console.log("test setup: installing chromium from Debian…");
  sh("apt-get", ["update", "-qq"]);
  sh("apt-get", ["install", "-y", "-qq", "chromium"], { env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
}

for (const [name, port] of [["PostgreSQL", 5432], ["Redis", 6379]] as const) {
  if (!(await reachable(port))) {
    console.error(`test setup: ${name} is not answering on 127.0.0.1:${port}; the tests use the real server.`);
    process.exit(1);
  }
}

if (!process.env.SKIP_BUILD) {
  console.log("test setup: building the proxy-agent and the web app…");
  if (existsSync(`${root}/proxy-agent/scripts/build.mjs`)) sh("npm", ["run", "build", "-w", "tapline", "--silent"]);
  if (!buildIsCurrent(root)) {
    const stamp = sourceStamp(root);
    sh(`${root}/node_modules/.bin/next`, ["build"], { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" } });
    recordBuild(root, stamp);
  }
}
