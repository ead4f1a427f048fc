/**
 * `npm start`: everything a fresh machine needs to run Tapline, in one command.
 *   1. a database: DATABASE_URL when set, otherwise embedded PostgreSQL (PGlite) in the data directory;
 *   2. migrations applied;
 *   3. a session secret (generated once and kept in the data directory);
 *   4. the Next.js build, made when missing or older than the sources;
 *   5. the cloud on http://localhost:3000 and the tunnel relay beside it.
 * `npm run dev` does the same with `next dev`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "../server/db/embedded";
import { migrate } from "../server/db/migrate";
import { EnvError, parseEnv } from "../server/env";
import { buildIsCurrent, recordBuild, sourceStamp } from "./build-stamp";

const root = resolve(new URL("..", import.meta.url).pathname);
const { values: args } = parseArgs({
  options: {
    dev: { type: "boolean", default: false },
    port: { type: "string" },
    "relay-port": { type: "string" },
    "no-relay": { type: "boolean", default: false },
    rebuild: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (args.help) {
  console.log(`Usage: npm start [-- options]

Starts the Tapline cloud (and the tunnel relay) on this machine.

Options:
  --port N         port of the web app (default: PORT or 3000)
  --relay-port N   port of the tunnel relay (default: RELAY_PORT or 3100)
  --no-relay       do not start the tunnel relay
  --rebuild        rebuild the web app even if the build looks current
  --dev            run next dev (hot reload) instead of the production build

Environment: see docs/configuration.md. Without DATABASE_URL an embedded
PostgreSQL is stored in TAPLINE_DATA_DIR (default ./.data).`);
  process.exit(0);
}

const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number) => (s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = paint(1);
const dim = paint(2);
const green = paint(32);
const red = paint(31);

function step(msg: string) {
  console.log(`${dim("›")} ${msg}`);
}

function fail(msg: string): never {
  console.error(`${red("✖")} ${msg}`);
  process.exit(1);
}

const envFile = join(root, ".env");
if (existsSync(envFile)) process.loadEnvFile(envFile);

const dataDir = resolve(root, process.env.TAPLINE_DATA_DIR ?? ".data");
mkdirSync(dataDir, { recursive: true });
const port = Number(args.port ?? process.env.PORT ?? 3000);
const relayPort = Number(args["relay-port"] ?? process.env.RELAY_PORT ?? 3100);
if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`--port must be a TCP port, got ${args.port ?? process.env.PORT}`);
if (!Number.isInteger(relayPort) || relayPort <= 0 || relayPort > 65535) fail(`--relay-port must be a TCP port`);
const appUrl = process.env.APP_URL ?? `http://localhost:${port}`;

const children: ChildProcess[] = [];
let embedded: EmbeddedPostgres | undefined;
let stopping = false;

async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  await embedded?.stop().catch(() => {});
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

// Invalid settings stop here, before anything starts, with the variable named (not later as a crash
// inside the web server). The database URL and secret are filled in below when absent.
try {
  parseEnv({
    ...process.env,
    NODE_ENV: args.dev ? "development" : "production",
    DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://embedded",
    AUTH_SECRET: process.env.AUTH_SECRET ?? "x".repeat(32),
    APP_URL: appUrl,
  });
} catch (e) {
  if (e instanceof EnvError) fail(e.message);
  throw e;
}

// 1. Database
let databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  step(`database: ${redact(databaseUrl)}`);
} else {
  const dir = join(dataDir, "pglite");
  step(`database: embedded PostgreSQL in ${dim(dir)} (set DATABASE_URL to use a server)`);
  embedded = await startEmbeddedPostgres({ dataDir: dir }).catch((e: Error) => fail(`could not start the embedded database: ${e.message}`));
  databaseUrl = embedded.url;
}

// 2. Migrations
try {
  const applied = await migrate(databaseUrl, { log: (l) => step(l) });
  if (!applied.length) step("database schema is up to date");
} catch (e) {
  fail(`migrations failed: ${(e as Error).message}`);
}

// 3. Session secret
let authSecret = process.env.AUTH_SECRET;
if (!authSecret) {
  const secretFile = join(dataDir, "auth-secret");
  if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString("base64url"), { mode: 0o600 });
  authSecret = readFileSync(secretFile, "utf8").trim();
}

const childEnv: NodeJS.ProcessEnv = {
  ...process.env,
  DATABASE_URL: databaseUrl,
  AUTH_SECRET: authSecret,
  APP_URL: appUrl,
  AUTH_URL: process.env.AUTH_URL ?? appUrl,
  PORT: String(port),
  NEXT_TELEMETRY_DISABLED: "1",
  // The dashboard shows tunnels' public URLs on the relay started below.
  RELAY_PUBLIC_URL: process.env.RELAY_PUBLIC_URL ?? (args["no-relay"] ? undefined : `http://localhost:${relayPort}`),
  // Embedded PostgreSQL serialises every query through one backend; a small pool is enough.
  ...(embedded ? { DATABASE_POOL_MAX: "4" } : {}),
};

// 4. Build
const nextBin = join(root, "node_modules", ".bin", "next");
// TAPLINE_NO_BUILD: use the existing build as it is (images that ship a prebuilt .next, tests).
if (!args.dev && !process.env.TAPLINE_NO_BUILD) {
  if (args.rebuild || !buildIsCurrent(root)) {
    step("building the web app (first start or changed sources; about a minute)…");
    const stamp = sourceStamp(root);
    const r = spawnSync(nextBin, ["build"], { cwd: root, stdio: "inherit", env: { ...childEnv, NODE_ENV: "production" } });
    if (r.status !== 0) fail("next build failed (output above)");
    recordBuild(root, stamp);
  }
}

// 5. Processes
// Production: Next.js behind the cloud's own server, which answers ingestion first (server/http).
const webCommand = args.dev ? [nextBin, "dev", "-p", String(port)] : [process.execPath, "--import", "tsx", join(root, "server", "http", "main.ts"), "--port", String(port)];
const web = spawn(webCommand[0]!, webCommand.slice(1), { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: childEnv });
children.push(web);
web.stdout?.on("data", (b: Buffer) => {
  if (process.env.TAPLINE_VERBOSE) process.stdout.write(b);
});

const relayMain = join(root, "tunnel-relay", "src", "main.ts");
let relayUrl: string | undefined;
if (!args["no-relay"] && existsSync(relayMain)) {
  // The relay checks agents' API keys with this cloud; SIGTERM from Ctrl-C stops it without a drain.
  const relay = spawn(process.execPath, ["--import", "tsx", relayMain, "--port", String(relayPort), "--host", "127.0.0.1", "--cloud-url", `http://127.0.0.1:${port}`, "--drain-ms", "0"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...childEnv, TAPLINE_RELAY_PUBLIC_URL: childEnv.RELAY_PUBLIC_URL },
  });
  children.push(relay);
  relayUrl = `http://localhost:${relayPort}`;
}

for (const c of children) {
  c.once("exit", (code, signal) => {
    if (!stopping) {
      console.error(`${red("✖")} ${c === web ? "web app" : "tunnel relay"} exited (${code ?? signal}); stopping.`);
      void shutdown(code ?? 1);
    }
  });
}

await waitForHttp(`http://127.0.0.1:${port}/api/health`, 120_000).catch(() => waitForHttp(`http://127.0.0.1:${port}/`, 5_000)).catch(() => {
  fail(`the web app did not answer on port ${port} within two minutes`);
});

console.log(`
${green("✔")} ${bold("Tapline is running")}  ${bold(appUrl)}
  ${relayUrl ? `tunnel relay      ${relayUrl}\n  ` : ""}data              ${embedded ? join(dataDir, "pglite") : redact(databaseUrl)}

  First time here? Open ${appUrl} and create an account:
  the first account becomes the owner of your organization.
  Then create a project and an API key, and run the proxy in front of your MCP server:
    npx tapline http --remote-url http://localhost:3001/mcp --api-key tpl_…

  Press Ctrl+C to stop.
`);

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "****";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`timeout waiting for ${url}`);
}
