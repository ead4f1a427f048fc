import type { Worker } from "node:worker_threads";
import { spawnModuleWorker } from "../util/spawn-module-worker";
import type { WriterWorkerData } from "./writer-protocol";

/** Starts the thread that owns the SQLite connection (see writer-worker.ts). */
export function spawnWriterWorker(data: WriterWorkerData): Worker {
  return spawnModuleWorker("writer-worker", "record", data);
}
