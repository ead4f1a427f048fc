#!/usr/bin/env node
// Thin launcher. Installed packages run the esbuild bundle (dist/tapline.js, built by
// `npm run build -w tapline`). In a checkout without a build, it runs the TypeScript source
// through tsx instead (a dev dependency of the monorepo), so `npx tapline` works while developing.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/tapline.js", import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("../src/cli/main.ts", import.meta.url).href);
}
