/**
 * Runs the stdio bridge as its own process, the way an MCP host spawns tapline:
 *   node --import tsx test-fixtures/stdio-proxy-main.ts <records.jsonl> <command> [args…]
 * Records go to the JSONL file so the test can compare them with what its client did.
 */
import { runProxy } from "../src/transport/index";
import { JsonlFileSink } from "../src/transport/test-support/jsonl-file-sink";

const [recordsPath, command, ...args] = process.argv.slice(2);
if (recordsPath === undefined || command === undefined) {
  process.stderr.write("usage: stdio-proxy-main.ts <records.jsonl> <command> [args…]\n");
  process.exit(2);
}
const log = {
  info: (m: string) => process.stderr.write(`[tapline] ${m}\n`),
  warn: (m: string) => process.stderr.write(`[tapline] ${m}\n`),
  error: (m: string) => process.stderr.write(`[tapline] ${m}\n`),
  debug: () => {},
};
const proxy = await runProxy({
  config: {
    serverId: "stdio-test",
    upstream: { kind: "stdio", command, args, env: { TAPLINE_FIXTURE: "1" } },
    headers: {},
    capturePayloads: false,
    redactKeys: /token/i,
    pairingTimeoutMs: 60_000,
    maxTapBytes: 4 * 1024 * 1024,
  },
  sink: new JsonlFileSink(recordsPath),
  log,
});
process.exitCode = await proxy.done;
