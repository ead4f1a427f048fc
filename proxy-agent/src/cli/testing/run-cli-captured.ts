import { runCli } from "../run-cli";
import type { CliDeps } from "../command";
import type { CliIo } from "../cli-io";

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process with captured output; `env` replaces the process environment entirely. */
export async function runCliCaptured(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; deps?: CliDeps; isTTY?: boolean; signal?: AbortSignal; now?: number } = {},
): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (s: string) => (stdout += s), isTTY: options.isTTY ?? false },
    stderr: { write: (s: string) => (stderr += s) },
    env: options.env ?? { HOME: "/nonexistent-home" },
    cwd: options.cwd ?? process.cwd(),
  };
  if (options.signal) io.signal = options.signal;
  if (options.now !== undefined) {
    const now = options.now;
    io.now = () => now;
  }
  const code = options.deps ? await runCli(argv, io, options.deps) : await runCli(argv, io);
  return { code, stdout, stderr };
}
