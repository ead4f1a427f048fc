/**
 * The floor for any proxy written for Node on this machine (a bench reference, not a product):
 * every client connection gets its own upstream connection and bytes are copied both ways as they
 * arrive; no HTTP parsing, no tap, no recording. Whatever tapline costs beyond this row is its own work.
 *   node bench/byte-pipe.ts <upstream URL>   → prints "READY <url>"
 */
import { connect, createServer } from "node:net";

const upstream = new URL(process.argv[2] ?? "");
const server = createServer((client) => {
  client.setNoDelay(true);
  const peer = connect(Number(upstream.port), upstream.hostname);
  peer.setNoDelay(true);
  client.on("data", (chunk) => peer.write(chunk));
  peer.on("data", (chunk) => client.write(chunk));
  client.on("close", () => peer.destroy());
  peer.on("close", () => client.destroy());
  client.on("error", () => {});
  peer.on("error", () => {});
});
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`READY http://127.0.0.1:${port}${upstream.pathname}\n`);
});
process.once("SIGTERM", () => process.exit(0));
