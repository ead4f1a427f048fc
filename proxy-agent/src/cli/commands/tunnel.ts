import { createCommand } from "../command";
import { usageError } from "../cli-error";
import { EXIT } from "../exit-codes";
import { stderrLogger } from "../stderr-logger";
import { settingsFromEnv } from "../../config/proxy-settings";
import { DEFAULT_RELAY_URL, openTunnel } from "../open-tunnel";

export const tunnelCommand = createCommand({
  metadata: {
    name: "tunnel",
    group: "setup",
    summary: "Give a local MCP server a stable public URL through the Tapline relay",
    usage: "(--port <n> | --to <url>) [--name <name>] [options]",
    description:
      "Connects out to the relay over one WebSocket and prints the public URL; requests, SSE streams and\n" +
      "WebSockets reach your local server as if connected directly. Without --name the relay picks a\n" +
      "random name, remembered in ~/.tapline/tunnels.json and asked for again next time. The process keeps\n" +
      "the tunnel open (reconnecting after drops) until Ctrl+C.",
    examples: [
      "tapline tunnel --port 3001 --api-key tpl_…",
      "tapline tunnel --to http://localhost:3001/mcp --name weather-dev",
      "TAPLINE_RELAY_URL=https://tunnel.example.com tapline tunnel --port 3001",
    ],
  },
  options: {
    port: { type: "string", valueName: "n", description: "Local port: forwards to http://localhost:<n>" },
    to: { type: "string", valueName: "url", description: "Local URL to forward to (may include a base path)" },
    name: { type: "string", valueName: "name", description: "Stable name reserved for your organization (3-63 of a-z, 0-9, -)" },
    "relay-url": { type: "string", valueName: "url", description: `Relay (default $TAPLINE_RELAY_URL or ${DEFAULT_RELAY_URL})` },
    "api-key": { type: "string", valueName: "key", description: "Project API key (env TAPLINE_API_KEY / MCPULSE_API_KEY)" },
    json: { type: "boolean", description: "Print {name, urls} as JSON once connected" },
  },
  handler: async ({ values, io, verbose }) => {
    const { resolveTunnelTarget } = await import("@tapline/tunnel-relay/agent");
    const apiKey = (values["api-key"] as string | undefined) || settingsFromEnv(io.env).apiKey;
    if (!apiKey) throw usageError("an API key is required: --api-key tpl_… or TAPLINE_API_KEY (create one in your project's settings)");
    let target: URL;
    try {
      target = resolveTunnelTarget({ port: values.port as string | undefined, to: values.to as string | undefined });
    } catch (e) {
      throw usageError((e as Error).message);
    }
    const log = stderrLogger(io.stderr, verbose);
    const agent = await openTunnel({ relayUrl: values["relay-url"] as string | undefined, env: io.env, apiKey, name: values.name as string | undefined, target, log });
    if (values.json) io.stdout.write(`${JSON.stringify({ name: agent.name, urls: agent.urls, target: target.href })}\n`);
    else io.stdout.write(`${agent.urls.join("\n")}\n`);
    log.info(`tunnel ${agent.name} → ${target.href} (Ctrl+C to close)`);
    const outcome = await new Promise<"signal" | "fatal">((resolve) => {
      agent.on("fatal", (e) => {
        log.error(`tunnel closed (${e.code}): ${e.message}`);
        resolve("fatal");
      });
      if (io.signal?.aborted) resolve("signal");
      io.signal?.addEventListener("abort", () => resolve("signal"), { once: true });
    });
    await agent.close();
    return outcome === "signal" ? EXIT.ok : EXIT.failure;
  },
});
