import { Worker, type ResourceLimits } from "node:worker_threads";
import { restoreYoungGenerationLimit } from "./lean-heap";

// These workers handle a batch at a time (records, outbox rows): a 2 MB young generation is plenty, and
// V8's default (up to 48 MB, grown under load) would cost the process that much RSS for nothing.
const RESOURCE_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 2 };

/**
 * Starts a worker thread from a module of this package, by name (e.g. "writer-worker").
 * - From the bundle, every worker is an entry point in `dist/` (this code may sit in
 *   `dist/chunks/`, so the path is resolved from the dist root).
 * - From source (tests, `bin/tapline.js` without a build) it is `src/<dir>/<name>.ts`, and a worker
 *   does not inherit tsx's loader, so a one-line bootstrap registers tsx first.
 */
export function spawnModuleWorker(name: string, sourceDir: string, workerData: unknown): Worker {
  const worker = startWorker(name, sourceDir, workerData);
  worker.once("online", restoreYoungGenerationLimit);
  return worker;
}

function startWorker(name: string, sourceDir: string, workerData: unknown): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) {
    const distRoot = new URL(here.includes("/chunks/") ? "../" : "./", here);
    return new Worker(new URL(`${name}.js`, distRoot), { workerData, resourceLimits: RESOURCE_LIMITS });
  }
  const source = new URL(`../${sourceDir}/${name}.ts`, here);
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits: RESOURCE_LIMITS });
}
