import { Worker } from "node:worker_threads";

/**
 * Starts a worker thread from a module of this package, by name (e.g. "writer-worker").
 * - From the bundle, every worker is an entry point in `dist/` (this code may sit in
 *   `dist/chunks/`, so the path is resolved from the dist root).
 * - From source (tests, `bin/tapline.js` without a build) it is `src/<dir>/<name>.ts`, and a worker
 *   does not inherit tsx's loader, so a one-line bootstrap registers tsx first.
 */
export function spawnModuleWorker(name: string, sourceDir: string, workerData: unknown): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) {
    const distRoot = new URL(here.includes("/chunks/") ? "../" : "./", here);
    return new Worker(new URL(`${name}.js`, distRoot), { workerData });
  }
  const source = new URL(`../${sourceDir}/${name}.ts`, here);
  const tsxApi = import.meta.resolve("tsx/esm/api");
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(source.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}
