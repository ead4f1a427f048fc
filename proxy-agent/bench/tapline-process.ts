/**
 * The proxy under benchmark, in its own process so its CPU time and peak RSS can be read from /proc:
 *   node --import tsx bench/tapline-process.ts <remoteUrl> <sqlite db path | "memory">
 * Prints "READY <url>" once listening; stops on SIGTERM.
 */
import { keepYoungGenerationSmall } from "../src/util/lean-heap";
import { getHeapCodeStatistics, getHeapSpaceStatistics } from "node:v8";
import { runProxy } from "../src/transport/index";
import { SqliteRecordSink } from "../src/record/sqlite-record-sink";
import type { RecordSink } from "../src/record/sink";
import type { Logger } from "../src/config/types";

keepYoungGenerationSmall();
const [remoteUrl, store = "memory"] = process.argv.slice(2);
if (remoteUrl === undefined) throw new Error("usage: tapline-process.ts <remoteUrl> [db path|memory]");

const log: Logger = { info: () => {}, debug: () => {}, warn: (m) => process.stderr.write(`${m}\n`), error: (m) => process.stderr.write(`${m}\n`) };

/** Counts and drops: isolates the forwarding cost from storage. */
class CountingSink implements RecordSink {
  records = 0;
  record(): void {
    this.records++;
  }
  snapshot(): void {}
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

const sink: RecordSink =
  store === "memory" ? new CountingSink() : new SqliteRecordSink({ dbPath: store, payloads: { capture: false, redactKeys: /token/i }, log, retentionMs: 0 });

const proxy = await runProxy({
  config: {
    serverId: "bench",
    upstream: { kind: "http", remoteUrl },
    listen: { host: "127.0.0.1", port: 0 },
    headers: {},
    capturePayloads: false,
    redactKeys: /token/i,
    pairingTimeoutMs: 300_000,
    maxTapBytes: 4 * 1024 * 1024,
  },
  sink,
  log,
});
process.stdout.write(`READY ${proxy.url}\n`);
// Where the memory is (bench diagnostics): `kill -USR2 <pid>` prints process.memoryUsage() and V8's heap spaces to stderr.
process.on("SIGUSR2", () => {
  const mb = (n: number) => Math.round(n / 1048576);
  const usage = Object.fromEntries(Object.entries(process.memoryUsage()).map(([k, v]) => [k, mb(v)]));
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((s) => [s.space_name, mb(s.space_size)]));
  process.stderr.write(`MEMORY ${JSON.stringify({ usage, spaces, codeAndMetadata: mb(getHeapCodeStatistics().code_and_metadata_size) })}\n`);
});
process.once("SIGTERM", () => {
  void proxy
    .close()
    .then(() => sink.close())
    .then(() => process.exit(0));
});
