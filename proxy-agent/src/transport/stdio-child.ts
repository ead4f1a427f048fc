import { spawn, type ChildProcess } from "node:child_process";
import type { UpstreamConfig } from "../config/types";

export type StdioUpstream = Extract<UpstreamConfig, { kind: "stdio" }>;

/** How long a child gets to exit after its stdin closes (or SIGTERM) before it is killed. */
const EXIT_GRACE_MS = 2000;

/** Starts the upstream stdio server; its stderr goes straight to ours (it is the server's log). */
export function spawnStdioServer(upstream: StdioUpstream): ChildProcess {
  return spawn(upstream.command, upstream.args, {
    env: { ...process.env, ...upstream.env },
    cwd: upstream.cwd,
    stdio: ["pipe", "pipe", "inherit"],
    windowsHide: true,
  });
}

/** Ends the child politely (stdin closed, then SIGTERM, then SIGKILL) and resolves when it is gone. */
export function stopStdioServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const term = setTimeout(() => child.kill("SIGTERM"), EXIT_GRACE_MS);
    const kill = setTimeout(() => child.kill("SIGKILL"), 2 * EXIT_GRACE_MS);
    child.once("exit", () => {
      clearTimeout(term);
      clearTimeout(kill);
      resolve();
    });
    child.stdin?.end();
  });
}

export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `signal ${signal}` : `code ${code}`;
}
