#!/usr/bin/env node
// Bundles the CLI to dist/: tapline.js (the binary), writer-worker.js and ship-worker.js (threads)
// and chunks/ shared between them. Options: scripts/bundle-options.mjs.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { bundleOptions } from "./bundle-options.mjs";

const root = new URL("..", import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });
await build({ ...bundleOptions({ root, outdir: "dist", entryPoints: { tapline: "src/cli/main.ts" } }), sourcemap: "linked" });
console.log("built dist/tapline.js, dist/writer-worker.js and dist/ship-worker.js");
