/**
 * The built cloud as `npm start` runs it (server/http/main.ts: Next.js, ingestion answered first) on a free port, with a fresh migrated database, for browser and
 * HTTP end-to-end tests. Needs `.next` from `next build` (`npm test` builds first; for a single
 * run: `npx next build`). Stop it with `await app.stop()`; it drops its database.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { createTestDatabase, type TestDatabase } from "./db";
import { freePort } from "../../server/db/embedded";

const root = resolve(new URL("../..", import.meta.url).pathname);

export interface AppServer {
  /** `http://localhost:PORT`: browse through `localhost` (Auth.js builds its callbacks on it). */
  url: string;
  port: number;
  database: TestDatabase;
  /** Everything the server printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface AppServerOptions {
  /** Extra environment: AUTH_OIDC_ISSUER / _ID / _SECRET, SIGNUP_MODE, … */
  env?: Record<string, string | undefined>;
  /** A port chosen beforehand (e.g. one an OIDC client's redirect URI was registered with). */
  port?: number;
  /** How long to wait for the first answer. */
  startTimeoutMs?: number;
  /** `cloud` (default): what `npm start` runs. `next-start`: a bare `next start`, for the Next.js routes alone. */
  entry?: "cloud" | "next-start";
}

export { freePort };

export async function startAppServer(options: AppServerOptions = {}): Promise<AppServer> {
  if (!existsSync(join(root, ".next", "BUILD_ID"))) {
    throw new Error("No Next.js build in .next: run `npx next build` (or `npm test`, which builds first).");
  }
  const database = await createTestDatabase();
  const port = options.port ?? (await freePort());
  const url = `http://localhost:${port}`;
  let output = "";
  let child: ChildProcess;
  try {
    const command =
      options.entry === "next-start"
        ? [join(root, "node_modules", "next", "dist", "bin", "next"), "start", "--port", String(port)]
        : ["--import", "tsx", join(root, "server", "http", "main.ts"), "--port", String(port)];
    child = spawn(process.execPath, command, {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        DATABASE_URL: database.url,
        AUTH_SECRET: randomBytes(32).toString("hex"),
        APP_URL: url,
        AUTH_URL: url,
        AUTH_TRUST_HOST: "true",
        PORT: String(port),
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    await database.drop();
    throw e;
  }
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));

  let stopped = false;
  async function stop(): Promise<void> {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    await database.drop();
  }

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  let early: number | null | undefined;
  void exited.then((code) => (early = code));
  while (true) {
    if (early !== undefined) {
      await stop();
      throw new Error(`the cloud server exited (code ${early}) before answering:\n${output}`);
    }
    try {
      const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the cloud server did not answer on ${url} within the timeout:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  return { url, port, database, output: () => output, stop };
}
