/**
 * Entry of the cloud's production server (started by `npm start`, scripts/start.ts):
 *   node --import tsx server/http/main.ts [--port N] [--hostname H]
 * Needs a `next build`. Environment as for `next start` (docs/configuration.md).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { startCloudServer } from "./cloud-server";

const { values } = parseArgs({ options: { port: { type: "string", short: "p" }, hostname: { type: "string", short: "H" } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const dir = resolve(new URL("../..", import.meta.url).pathname);
const cloud = await startCloudServer({ dir, port, hostname: values.hostname ?? process.env.HOSTNAME });
console.log(`cloud listening on ${cloud.url}`);

let closing = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    // In-flight ingest requests finish (their batches are stored or not, never half); then exit.
    const timer = setTimeout(() => process.exit(0), 10_000);
    timer.unref();
    void cloud.close().finally(() => process.exit(0));
  });
}
