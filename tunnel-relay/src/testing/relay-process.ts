import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";

const MAIN = resolve(import.meta.dirname, "../main.ts");

/** The relay as a real process (what `npm start` runs), for kill-and-restart tests. */
export async function startRelayProcess(args: string[], env: Record<string, string | undefined> = {}): Promise<{ url: string; child: ChildProcess; kill(signal?: NodeJS.Signals): Promise<void> }> {
  const port = args[args.indexOf("--port") + 1];
  const child = spawn(process.execPath, ["--import", "tsx", MAIN, "--host", "127.0.0.1", "--log-level", "warn", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`relay exited (${child.exitCode}): ${output}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    if (attempt > 200) throw new Error(`relay did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    child,
    kill: (signal = "SIGKILL") =>
      new Promise((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", () => done());
        child.kill(signal);
      }),
  };
}
