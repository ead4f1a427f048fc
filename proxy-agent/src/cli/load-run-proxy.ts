import type { RunProxy } from "./command";

/**
 * The forwarding core, imported only when a proxy command runs: the bundle splits it (with zod and
 * undici) into its own chunk, so `tapline stats` and `--help` start without loading it.
 */
export async function loadRunProxy(): Promise<RunProxy> {
  const { runProxy } = await import("../transport/index");
  return runProxy;
}
