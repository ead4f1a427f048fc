import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

/** Bin of the reference MCP server used as the real upstream in integration tests. */
export const EVERYTHING_BIN = fileURLToPath(new URL("../../../../node_modules/@modelcontextprotocol/server-everything/dist/index.js", import.meta.url));

export interface RunningUpstream {
  /** http://127.0.0.1:PORT/mcp (streamableHttp) or …/sse (sse). */
  url: string;
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A port free right now (the child server takes it by number, so it cannot listen on port 0 itself). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts server-everything over HTTP and resolves once it listens; retries if the port was taken meanwhile. */
export async function startEverythingServer(mode: "streamableHttp" | "sse", port?: number): Promise<RunningUpstream> {
  for (let attempt = 0; ; attempt++) {
    const chosen = port ?? (await freePort());
    try {
      return await startOn(mode, chosen);
    } catch (err) {
      if (attempt >= 3 || port !== undefined) throw err;
    }
  }
}

function startOn(mode: "streamableHttp" | "sse", port: number): Promise<RunningUpstream> {
  const child = spawn(process.execPath, [EVERYTHING_BIN, mode], {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const path = mode === "sse" ? "/sse" : "/mcp";
  return new Promise((resolve, reject) => {
    let log = "";
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (/listening on port|running on/i.test(log)) {
        child.stderr!.off("data", onData);
        child.stderr!.resume();
        resolve({ url: `http://127.0.0.1:${port}${path}`, port, child, stop: () => stopChild(child) });
      }
    };
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`server-everything ${mode} exited with ${code} before listening:\n${log}`)));
  });
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}
