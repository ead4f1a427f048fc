// How the tapline CLI is bundled, shared by scripts/build.mjs (dist/) and bench/proxy.ts (a cache
// directory), so a benchmark measures exactly what `npm run build` ships.
// Worker threads are loaded by path at run time, so each is its own entry point.
export const WORKER_ENTRIES = { "writer-worker": "src/record/writer-worker.ts", "ship-worker": "src/ship/ship-worker.ts" };

/** esbuild options for `entryPoints` (name → source) bundled into `outdir`, relative to `root`. */
export function bundleOptions({ root, outdir, entryPoints }) {
  return {
    absWorkingDir: root,
    entryPoints: { ...entryPoints, ...WORKER_ENTRIES },
    outdir,
    bundle: true,
    // Splitting keeps the lazily imported forwarding core (and zod, undici) out of what analytics commands load.
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    format: "esm",
    platform: "node",
    target: "node20",
    // libsql loads a native binary per platform from its own packages; ws loads these optional
    // native speed-ups only when installed.
    external: ["libsql", "bufferutil", "utf-8-validate"],
    legalComments: "none",
    logLevel: "warning",
    // Bundled CommonJS dependencies may call require(); ESM output has none unless we provide it.
    banner: { js: 'import { createRequire as __taplineRequire } from "node:module"; const require = __taplineRequire(import.meta.url);' },
  };
}
