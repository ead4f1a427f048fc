import { spawn, type ChildProcess } from "node:child_process";
import { freePort } from "./free-port";
import { resolve } from "node:path";
import { stopChild } from "./stop-child";

const BIN = resolve(import.meta.dirname, "../../../node_modules/.bin/mcp-server-everything");

/** Runs @modelcontextprotocol/server-everything on a free port; resolves once it accepts connections. */
export async function startServerEverything(transport: "streamableHttp" | "sse"): Promise<{ url: URL; stop(): Promise<void> }> {
  const port = await freePort();
  const child: ChildProcess = spawn(BIN, [transport], { env: { ...process.env, PORT: String(port) }, stdio: ["ignore", "ignore", "pipe"] });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = new URL(`http://127.0.0.1:${port}`);
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`server-everything exited: ${output}`);
    const up = await fetch(url, { method: "HEAD" }).then(() => true, () => false);
    if (up) break;
    if (attempt > 150) throw new Error(`server-everything did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () => stopChild(child),
  };
}
