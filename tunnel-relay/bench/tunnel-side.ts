/**
 * The "developer's machine" of the tunnel benchmark, as its own process: the local server and,
 * with --relay-url, the tunnel agent connected to it. Kept apart from the load generator so the
 * client's work never shares an event loop with the agent's or the server's.
 *
 *   node --import tsx bench/tunnel-side.ts [--relay-url URL --key KEY --name NAME]
 * prints one JSON line {"port": <local server port>} once ready; stops on SIGTERM.
 */
import { parseArgs } from "node:util";
import { startTunnelAgent } from "../src/agent/start-tunnel-agent";
import { localServer } from "./local-server";

const { values } = parseArgs({ options: { "relay-url": { type: "string" }, key: { type: "string" }, name: { type: "string", default: "bench" } } });
const server = localServer();
await new Promise<void>((r) => server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, r));
const port = (server.address() as { port: number }).port;
const target = new URL(`http://127.0.0.1:${port}`);
const agent = values["relay-url"] ? await startTunnelAgent({ relayUrl: values["relay-url"], apiKey: values.key ?? "", name: values.name, target, stateFile: false }) : undefined;
process.stdout.write(JSON.stringify({ port }) + "\n");
process.once("SIGTERM", () => {
  void (agent?.close() ?? Promise.resolve()).then(() => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
});
