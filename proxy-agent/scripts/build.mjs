#!/usr/bin/env node
// Bundles the CLI to dist/: tapline.js (the binary), writer-worker.js and ship-worker.js (threads
// loaded by path at run time, so each is its own entry point) and chunks/ shared between them.
// libsql stays external: it loads a native binary per platform from its own packages.
import { build } from "esbuild";
import { rmSync } from "node:fs";

const root = new URL("..", import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });

await build({
  absWorkingDir: root,
  entryPoints: { tapline: "src/cli/main.ts", "writer-worker": "src/record/writer-worker.ts", "ship-worker": "src/ship/ship-worker.ts" },
  outdir: "dist",
  bundle: true,
  // Splitting keeps the lazily imported forwarding core (and zod, undici) out of what analytics commands load.
  splitting: true,
  chunkNames: "chunks/[name]-[hash]",
  format: "esm",
  platform: "node",
  target: "node20",
  // ws loads these optional native speed-ups only when installed.
  external: ["libsql", "bufferutil", "utf-8-validate"],
  sourcemap: "linked",
  legalComments: "none",
  logLevel: "warning",
  // Bundled CommonJS dependencies may call require(); ESM output has none unless we provide it.
  banner: { js: 'import { createRequire as __taplineRequire } from "node:module"; const require = __taplineRequire(import.meta.url);' },
});
console.log("built dist/tapline.js, dist/writer-worker.js and dist/ship-worker.js");
