/**
 * What a Node process needs in resident memory before any proxy code runs, measured here because
 * the RSS target is a number about this machine: an idle `node`, the same with libsql (the agent's
 * SQLite driver) open and writing in WAL mode, and with one idle worker thread (the writer's).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface MemoryFloor {
  nodeMb: number;
  nodeLibsqlMb: number;
  nodeWorkerMb: number;
}

const PEAK_RSS = `process.stdout.write(String(Number(/VmHWM:\\s+(\\d+)/.exec(require("fs").readFileSync("/proc/self/status", "utf8"))[1]) / 1024))`;

function peakRssMb(script: string): number {
  return Math.round(Number(execFileSync(process.execPath, ["-e", `${script};setTimeout(() => { ${PEAK_RSS}; process.exit(0); }, 1000)`]).toString()));
}

export function memoryFloor(): MemoryFloor {
  const libsql = createRequire(import.meta.url).resolve("libsql");
  const db = join(mkdtempSync(join(tmpdir(), "tapline-floor-")), "floor.db");
  return {
    nodeMb: peakRssMb(""),
    nodeLibsqlMb: peakRssMb(
      `const D = require(${JSON.stringify(libsql)}); const db = new D(${JSON.stringify(db)}); db.pragma("journal_mode = WAL");` +
        `db.exec("CREATE TABLE t (id TEXT, ts REAL, v TEXT)"); const s = db.prepare("INSERT INTO t VALUES (?, ?, ?)");` +
        `for (let i = 0; i < 5000; i++) s.run(String(i), Date.now(), "tools/call")`,
    ),
    nodeWorkerMb: peakRssMb(`new (require("worker_threads").Worker)("setInterval(() => {}, 1000)", { eval: true })`),
  };
}
