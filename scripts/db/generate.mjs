#!/usr/bin/env node
// Generates the Prisma client (server/db/generated) at install. Prisma's CLI wants a native
// schema-engine binary it cannot download offline; `generate` never runs it, so any existing
// file satisfies the check (see docs/database.md).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const bin = new URL("../../node_modules/.bin/prisma", import.meta.url).pathname;
if (!existsSync(bin)) {
  console.error("prisma CLI not installed; run npm install first");
  process.exit(1);
}
const r = spawnSync(bin, ["generate"], {
  stdio: ["ignore", "inherit", "inherit"],
  env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" },
});
process.exit(r.status ?? 1);
