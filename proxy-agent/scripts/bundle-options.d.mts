import type { BuildOptions } from "esbuild";

export declare const WORKER_ENTRIES: Record<string, string>;
export declare function bundleOptions(o: { root: string; outdir: string; entryPoints: Record<string, string> }): BuildOptions;
