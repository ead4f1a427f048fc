/**
 * Load generation in separate native processes: `wrk` for requests per second and `curl` for
 * one-stream throughput. A Node client in the bench process would be measured along with the
 * tunnel (it was: the old in-process client capped a direct download at ~145 MB/s).
 */
import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export class MissingToolError extends Error {
  override readonly name = "MissingToolError";
}

/** Fails with the install command when a tool is missing, instead of measuring something else. */
export function requireTools(): void {
  const missing = ["wrk", "curl"].filter((tool) => spawnSync(tool, ["--version"], { stdio: "ignore" }).error);
  if (missing.length) {
    throw new MissingToolError(`bench:tunnel needs ${missing.join(" and ")} as load generators: apt-get install -y ${missing.join(" ")} (Debian/Ubuntu) or brew install ${missing.join(" ")}`);
  }
}

/** Closed-loop keep-alive GETs from `connections` connections for `seconds`; wrk's own Requests/sec. */
export async function wrkRequestsPerSecond(url: string, connections: number, seconds: number): Promise<number> {
  const { stdout } = await run("wrk", ["-t", "1", "-c", String(connections), "-d", `${seconds}s`, url], { maxBuffer: 1 << 20 });
  const match = /Requests\/sec:\s*([\d.]+)/.exec(stdout);
  if (!match) throw new Error(`unexpected wrk output:\n${stdout}`);
  const errors = /Non-2xx or 3xx responses:\s*(\d+)|Socket errors:[^\n]*/.exec(stdout);
  if (errors) throw new Error(`wrk saw errors, the figure would be meaningless:\n${stdout}`);
  return Number(match[1]);
}

/** One download read as fast as curl can, discarded; MB/s (10^6 bytes). */
export async function curlDownloadMBps(url: string, expectedBytes: number): Promise<number> {
  const { stdout } = await run("curl", ["-sS", "--fail", "-o", "/dev/null", "-w", "%{size_download} %{speed_download}", url]);
  const [size, speed] = stdout.trim().split(" ").map(Number);
  if (size !== expectedBytes) throw new Error(`download returned ${size} bytes, expected ${expectedBytes}`);
  return speed! / 1e6;
}
