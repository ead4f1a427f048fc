/**
 * A fingerprint of the web app's sources, kept next to the Next.js build, so `npm start` rebuilds
 * exactly when the build is missing or older than the code (and `npm test`'s build counts too).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const SOURCES = ["app", "server", "prisma", "public", "proxy-agent/src/wire.ts", "proxy-agent/src/util"];
const FILES = ["next.config.ts", "package-lock.json", "postcss.config.mjs", "tsconfig.json"];

export function sourceStamp(root: string): string {
  const h = createHash("sha256");
  const add = (p: string) => {
    const s = statSync(p);
    h.update(`${p}:${s.mtimeMs}:${s.size}\n`);
  };
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === "node_modules" || e.name.startsWith(".") || e.name.endsWith(".test.ts")) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else add(p);
    }
  };
  for (const d of SOURCES) {
    const p = join(root, d);
    if (!existsSync(p)) continue;
    if (statSync(p).isDirectory()) walk(p);
    else add(p);
  }
  for (const f of FILES) if (existsSync(join(root, f))) add(join(root, f));
  return h.digest("hex");
}

const stampFile = (root: string) => join(root, ".next", "tapline-build-stamp");

export function buildIsCurrent(root: string): boolean {
  return existsSync(join(root, ".next", "BUILD_ID")) && existsSync(stampFile(root)) && readFileSync(stampFile(root), "utf8") === sourceStamp(root);
}

export function recordBuild(root: string, stamp = sourceStamp(root)): void {
  writeFileSync(stampFile(root), stamp);
}
