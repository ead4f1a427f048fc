import { createCommand, type CommandContext, type CommandDefinition, type OptionSpecs } from "../command";
import { resolveProxyConfig, type ProxyMode, type ResolvedRun } from "../../config/resolve-proxy-config";
import { settingsFromEnv, settingsFromFlags } from "../../config/proxy-settings";
import { SqliteRecordSink } from "../../record/sqlite-record-sink";
import type { RunningProxy } from "../../config/types";
import { stderrLogger } from "../stderr-logger";
import { EXIT } from "../exit-codes";
import { DEFAULT_REDACT_KEYS } from "../../config/redact-keys";
import { DEFAULT_CLOUD_URL, startShipping } from "../../ship/start-shipping";
import { TAPLINE_VERSION } from "../version";
import { DEFAULT_RELAY_URL, openTunnel, type OpenTunnel } from "../open-tunnel";
import { usageError } from "../cli-error";

/** Flags shared by `http`, `sse` and `stdio` (names match `SETTING_FLAGS`; each also reads TAPLINE_PROXY_* / MCPULSE_PROXY_*). */
export const PROXY_OPTIONS: OptionSpecs = {
  command: { type: "string", valueName: "cmd", description: 'stdio server to spawn, e.g. "npx -y @modelcontextprotocol/server-everything" (or give it after --)' },
  "remote-url": { type: "string", valueName: "url", description: "Upstream MCP server URL (http and sse modes)" },
  "server-id": { type: "string", valueName: "id", description: "Name this server in the records (default: derived from the command or URL)" },
  config: { type: "string", valueName: "file", description: "Claude Desktop / Cursor config with {\"mcpServers\": {...}}" },
  server: { type: "string", valueName: "name", description: "Which --config entry to proxy" },
  listen: { type: "string", valueName: "[host]:port", description: "Where clients connect (http/sse default 127.0.0.1:8787; stdio: serve Streamable HTTP at /mcp)" },
  port: { type: "string", valueName: "port", description: "Listen port (default 8787)" },
  host: { type: "string", valueName: "host", description: "Listen host (default 127.0.0.1)" },
  "bearer-token": { type: "string", valueName: "token", description: "Sent upstream as Authorization: Bearer, and required from clients (alias --auth-token)" },
  "auth-token": { type: "string", valueName: "token", description: "Alias of --bearer-token", hidden: true },
  headers: { type: "string", valueName: "K:V,K2:V2", description: "Extra headers sent upstream" },
  "capture-payloads": { type: "boolean", description: "Store arguments and results, secrets redacted (off by default)" },
  "redact-keys": { type: "string", valueName: "k1,k2", description: `More keys to redact, besides ${DEFAULT_REDACT_KEYS.slice(0, 5).join(", ")}, …` },
  db: { type: "string", valueName: "path", description: "Database file (default $TAPLINE_DB or ~/.tapline/tapline.db)" },
  retention: { type: "string", valueName: "duration", description: "Delete records older than this (default 30d; 0 keeps all)" },
  "cloud-url": { type: "string", valueName: "url", description: `Tapline cloud URL (default ${DEFAULT_CLOUD_URL}; env TAPLINE_URL; alias --mcpulse-url)` },
  "api-key": { type: "string", valueName: "key", description: "Project API key: ship records to the cloud (env TAPLINE_API_KEY; alias --mcpulse-api-key)" },
  tunnel: { type: "boolean", description: "Also give the proxy a public URL through the Tapline relay (needs --api-key)" },
  "tunnel-name": { type: "string", valueName: "name", description: "Stable tunnel name for your organization (with --tunnel)" },
  "relay-url": { type: "string", valueName: "url", description: `Tunnel relay (default $TAPLINE_RELAY_URL or ${DEFAULT_RELAY_URL})` },
  "mcpulse-url": { type: "string", valueName: "url", description: "Alias of --cloud-url", hidden: true },
  "mcpulse-api-key": { type: "string", valueName: "key", description: "Alias of --api-key", hidden: true },
};

const ENV_NOTE =
  "Every flag can also be set as TAPLINE_PROXY_<FLAG> or MCPULSE_PROXY_<FLAG> (e.g. TAPLINE_PROXY_SERVER_ID);\n" +
  "flags win over the environment, and the environment over the --config entry.";

export function createProxyCommand(mode: ProxyMode, metadata: CommandDefinition["metadata"]): CommandDefinition {
  return createCommand({
    metadata: { ...metadata, description: [metadata.description, ENV_NOTE].filter(Boolean).join("\n\n") },
    options: PROXY_OPTIONS,
    allowPositionals: true,
    handler: (context) => runProxyCommand(mode, context),
  });
}

/** Resolves the config, starts the recorder and the proxy, and waits for the proxy to end or a signal. */
async function runProxyCommand(mode: ProxyMode, context: CommandContext): Promise<number> {
  const { io, values, positionals, deps, verbose } = context;
  const resolved = resolveProxyConfig({ mode, flags: settingsFromFlags(values, positionals), env: io.env, cwd: io.cwd }, settingsFromEnv(io.env));
  if (values.tunnel && !resolved.proxy.cloud?.apiKey) throw usageError("--tunnel needs a project API key: --api-key tpl_… or TAPLINE_API_KEY");
  if (values.tunnel && resolved.proxy.upstream.kind === "stdio" && !resolved.proxy.listen) {
    throw usageError("--tunnel needs --listen in stdio mode: the tunnel exposes the proxy's HTTP endpoint");
  }
  const log = stderrLogger(io.stderr, verbose);
  const runProxy = await deps.loadRunProxy();
  const { proxy: config, store } = resolved;
  const sink = new SqliteRecordSink({
    dbPath: store.dbPath,
    payloads: { capture: config.capturePayloads, redactKeys: config.redactKeys },
    log,
    retentionMs: store.retentionMs,
  });
  let running: RunningProxy;
  try {
    running = await runProxy({ config, sink, log });
  } catch (e) {
    await sink.close();
    throw e;
  }
  log.info(describeRun(resolved, running));
  let tunnel: OpenTunnel | undefined;
  if (values.tunnel && running.url) {
    try {
      tunnel = await openTunnel({ relayUrl: values["relay-url"] as string | undefined, env: io.env, apiKey: config.cloud!.apiKey!, name: values["tunnel-name"] as string | undefined, target: new URL(new URL(running.url).origin), log });
    } catch (e) {
      await running.close();
      await sink.close();
      throw e;
    }
    const mcpPath = new URL(running.url).pathname;
    log.info(`public URL: ${tunnel.urls.map((u) => new URL(mcpPath.replace(/^\//, ""), u.endsWith("/") ? u : `${u}/`).href).join("  ")}`);
  }
  const shipping = config.cloud?.apiKey
    ? startShipping(
        { dbPath: store.dbPath, cloudUrl: config.cloud.url ?? DEFAULT_CLOUD_URL, apiKey: config.cloud.apiKey, serverId: config.serverId, agentVersion: TAPLINE_VERSION },
        log,
      )
    : undefined;

  const stopped = new Promise<"signal">((resolve) => {
    if (io.signal?.aborted) resolve("signal");
    io.signal?.addEventListener("abort", () => resolve("signal"), { once: true });
  });
  const outcome = await Promise.race([running.done, stopped]);
  let exitCode: number = EXIT.ok;
  await tunnel?.close();
  if (outcome === "signal") {
    log.info("shutting down: flushing records");
    await running.close();
  } else {
    exitCode = outcome;
  }
  await sink.close();
  // Everything is on disk now; give the cloud a moment to take the tail, then stop. What is left ships next run.
  await shipping?.close({ drain: true, drainMs: 3_000 });
  const { recordErrors, recordsDropped } = sink.counters;
  const tapErrors = running.counters?.tapErrors ?? 0;
  if (recordErrors || recordsDropped || tapErrors) {
    log.warn(`not recorded: ${recordErrors} records failed to store, ${recordsDropped} dropped (queue full), ${tapErrors} messages unreadable by the tap (all were forwarded)`);
  }
  return exitCode;
}

/** One startup line. Never prints tokens, API keys or URL query strings. */
export function describeRun({ proxy, store }: ResolvedRun, running: RunningProxy): string {
  const upstream = proxy.upstream.kind === "stdio" ? `stdio: ${proxy.upstream.command} ${proxy.upstream.args.join(" ")}`.trim() : `${proxy.upstream.kind}: ${safeUrl(proxy.upstream.remoteUrl)}`;
  const parts = [`proxying ${proxy.serverId} (${upstream})`, `clients: ${running.url ?? "stdio"}`, `recording to ${store.dbPath}`];
  if (proxy.capturePayloads) parts.push("payloads captured (redacted)");
  if (proxy.cloud?.apiKey) parts.push(`shipping to ${safeUrl(proxy.cloud.url ?? DEFAULT_CLOUD_URL)}`);
  else if (proxy.cloud?.url) parts.push(`cloud ${safeUrl(proxy.cloud.url)} set but no --api-key: not shipping`);
  return parts.join("; ");
}

function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "(invalid url)";
  }
}

