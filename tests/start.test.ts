import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../server/db/embedded";

test("npm start with no DATABASE_URL runs on an embedded database, answers health checks and stops cleanly", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "tapline-start-"));
  const port = await freePort();
  const relayPort = await freePort();
  const { DATABASE_URL: _db, NODE_ENV: _mode, ...inherited } = process.env;
  const env = { ...inherited, TAPLINE_DATA_DIR: dataDir, PORT: String(port), RELAY_PORT: String(relayPort), NO_COLOR: "1", TAPLINE_NO_BUILD: "1" };
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], { env: env as unknown as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (b: Buffer) => (out += b.toString()));
  child.stderr.on("data", (b: Buffer) => (out += b.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 240 s; output:\n${out}`)), 240_000);
      child.stdout.on("data", () => {
        if (out.includes("Tapline is running")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`npm start exited ${code}:\n${out}`));
      });
    });
    assert.match(out, /embedded PostgreSQL/);
    assert.match(out, new RegExp(`http://localhost:${port}`));
    assert.match(out, /first account becomes the owner/);
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: "ok" });
    assert.ok(existsSync(join(dataDir, "pglite")), "database files live in the data directory");
    const relay = await fetch(`http://127.0.0.1:${relayPort}/healthz`);
    assert.equal(relay.status, 200, "the tunnel relay runs beside the cloud");
    assert.ok(existsSync(join(dataDir, "auth-secret")), "a session secret was generated and kept");
  } finally {
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    child.kill("SIGINT");
    assert.equal(await exited, 0, `clean exit expected; output:\n${out}`);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test("npm start with an invalid setting stops before starting anything and names the variable", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "tapline-start-bad-"));
  try {
    const { DATABASE_URL: _db, ...inherited } = process.env;
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts", "--no-relay"], {
      env: { ...inherited, TAPLINE_DATA_DIR: dataDir, SIGNUP_MODE: "domains", SIGNUP_ALLOWED_DOMAINS: "", NO_COLOR: "1", TAPLINE_NO_BUILD: "1" } as unknown as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b));
    child.stderr.on("data", (b: Buffer) => (out += b));
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    assert.equal(code, 1);
    assert.match(out, /SIGNUP_MODE=domains needs SIGNUP_ALLOWED_DOMAINS/);
    assert.doesNotMatch(out, /embedded PostgreSQL/, "nothing was started");
    assert.ok(!existsSync(join(dataDir, "pglite")));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
