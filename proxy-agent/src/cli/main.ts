/**
 * Process entry of the `tapline` binary (bundled to dist/tapline.js). Everything testable lives in
 * `runCli`; this file only binds it to the real process: argv, streams, signals and the exit code.
 */
import { keepYoungGenerationSmall } from "../util/lean-heap";
import { runCli } from "./run-cli";

keepYoungGenerationSmall();

const controller = new AbortController();
function onSignal(): void {
  // First signal: graceful shutdown (flush records). Second: the user means it.
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
}
process.on("SIGINT", onSignal);
process.on("SIGTERM", onSignal);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
process.exitCode = code;
process.off("SIGINT", onSignal);
process.off("SIGTERM", onSignal);
// Let stdout drain (a piped --json may still be writing), but do not wait on a stray handle forever.
setTimeout(() => process.exit(code), 2000).unref();
