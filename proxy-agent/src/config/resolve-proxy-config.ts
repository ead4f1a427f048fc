import type { ListenAddress, ResolvedProxyConfig, UpstreamConfig } from "./types";
import type { ProxySettings } from "./proxy-settings";
import { ConfigError } from "./config-error";
import { splitCommandLine } from "./command-line";
import { checkHeaders, checkHeaderValue, parseHeaderList } from "./headers";
import { DEFAULT_HOST, DEFAULT_PORT, parseListenAddress, parsePort } from "./listen-address";
import { readMcpServerEntry, type McpServerEntry } from "./mcp-config-file";
import { serverIdFromCommand, serverIdFromUrl, sanitizeServerId } from "./server-id";
import { buildRedactKeys } from "./redact-keys";
import { normaliseCloudUrl, parseHttpUrl } from "./http-url";
import { expandPath, resolveDbPath, resolveRetention, type StoreOptions } from "./store-options";

/** The upstream kind a subcommand asks for; undefined when inferred (no subcommand, `--config` entry decides). */
export type ProxyMode = "http" | "sse" | "stdio" | undefined;

export interface ResolveInput {
  mode: ProxyMode;
  flags: ProxySettings;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface ResolvedRun {
  proxy: ResolvedProxyConfig;
  store: StoreOptions;
}

const PAIRING_TIMEOUT_MS = 5 * 60_000;
const MAX_TAP_BYTES = 4 * 1024 * 1024;

/** Merges flags > environment > config file into what a proxy run needs, validating every value. */
export function resolveProxyConfig(input: ResolveInput, envSettings: ProxySettings): ResolvedRun {
  const { flags, env, cwd } = input;
  const pick = <K extends keyof ProxySettings>(key: K): ProxySettings[K] => flags[key] ?? envSettings[key];

  const configPath = pick("config");
  const fromFile = configPath === undefined ? undefined : readMcpServerEntry(expandPath(configPath, env, cwd), pick("server"));
  if (configPath === undefined && pick("server") !== undefined) {
    throw new ConfigError("bad_flag", "--server needs --config FILE (the Claude Desktop / Cursor config that defines it)");
  }

  const upstream = chooseUpstream(input.mode, [flags, envSettings], fromFile?.entry, env);
  const fileHeaders = fromFile?.entry.kind === "stdio" || !fromFile ? {} : checkHeaders(fromFile.entry.headers, `${configPath} "headers"`);
  const headerText = pick("headers");
  const headers = { ...fileHeaders, ...(headerText === undefined ? {} : parseHeaderList(headerText)) };

  const serverIdFlag = pick("serverId");
  const serverId =
    serverIdFlag !== undefined
      ? validServerId(serverIdFlag)
      : fromFile
        ? sanitizeServerId(fromFile.name) || "mcp-server"
        : upstream.kind === "stdio"
          ? serverIdFromCommand(upstream.command, upstream.args)
          : serverIdFromUrl(upstream.remoteUrl);

  const proxy: ResolvedProxyConfig = {
    serverId,
    upstream,
    headers,
    capturePayloads: pick("capturePayloads") ?? false,
    redactKeys: buildRedactKeys(pick("redactKeys")),
    pairingTimeoutMs: PAIRING_TIMEOUT_MS,
    maxTapBytes: MAX_TAP_BYTES,
  };
  const listen = resolveListen(pick("listen"), pick("host"), pick("port"), upstream.kind !== "stdio");
  if (listen) proxy.listen = listen;
  const bearerToken = pick("bearerToken");
  if (bearerToken !== undefined && bearerToken !== "") proxy.bearerToken = checkHeaderValue(bearerToken, "the bearer token");
  const cloudUrl = pick("cloudUrl");
  const apiKey = pick("apiKey");
  if (cloudUrl !== undefined || apiKey !== undefined) {
    proxy.cloud = {};
    if (cloudUrl !== undefined) proxy.cloud.url = normaliseCloudUrl(cloudUrl);
    if (apiKey !== undefined) proxy.cloud.apiKey = apiKey;
  }
  return {
    proxy,
    store: { dbPath: resolveDbPath(flags.db, env, cwd), retentionMs: resolveRetention(pick("retention")) },
  };
}

/**
 * The upstream comes from the highest layer (flags, then env) that names one, else from the config file entry.
 * With a subcommand, only the setting that fits it counts (`tapline http` reads --remote-url, never --command),
 * so an environment that sets both for different runs stays usable.
 */
function chooseUpstream(
  mode: ProxyMode,
  layers: readonly ProxySettings[],
  entry: McpServerEntry | undefined,
  env: NodeJS.ProcessEnv,
): UpstreamConfig {
  for (const layer of layers) {
    const words = layer.commandWords ?? (layer.command === undefined ? undefined : splitCommandLine(layer.command));
    const url = layer.remoteUrl;
    if (mode === undefined && words && url !== undefined) {
      throw new ConfigError("conflicting_upstream", "give either --command (stdio) or --remote-url, not both");
    }
    if (words && mode !== "http" && mode !== "sse") {
      const entryEnv = entry?.kind === "stdio" ? entry.env : {};
      return { kind: "stdio", command: words[0]!, args: words.slice(1), env: childEnv(env, entryEnv) };
    }
    if (url !== undefined && mode !== "stdio") return { kind: mode ?? "http", remoteUrl: validRemoteUrl(url) };
  }
  if (entry) {
    if (entry.kind === "stdio") {
      if (mode === "http" || mode === "sse") {
        throw new ConfigError("conflicting_upstream", `the --config entry is a stdio server; use \`tapline stdio\` or give --remote-url`);
      }
      const stdio: UpstreamConfig = { kind: "stdio", command: entry.command, args: entry.args, env: childEnv(env, entry.env) };
      if (entry.cwd !== undefined) stdio.cwd = entry.cwd;
      return stdio;
    }
    if (mode === "stdio") {
      throw new ConfigError("conflicting_upstream", `the --config entry is a URL server; use \`tapline http\` (or sse) or give --command`);
    }
    return { kind: mode ?? entry.kind, remoteUrl: validRemoteUrl(entry.url) };
  }
  const wanted = mode === "stdio" ? "--command" : mode ? "--remote-url" : "--command, --remote-url";
  throw new ConfigError("missing_upstream", `no upstream server: give ${wanted} or --config FILE --server NAME`);
}

/** The child sees this process's environment plus the config entry's `env` (entry wins). */
function childEnv(env: NodeJS.ProcessEnv, entryEnv: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return Object.assign(out, entryEnv);
}

function resolveListen(listen: string | undefined, host: string | undefined, port: string | undefined, required: boolean): ListenAddress | undefined {
  if (listen !== undefined) {
    if (host !== undefined || port !== undefined) throw new ConfigError("bad_flag", "give --listen or --host/--port, not both");
    return parseListenAddress(listen);
  }
  if (host === undefined && port === undefined && !required) return undefined;
  return { host: host ?? DEFAULT_HOST, port: port === undefined ? DEFAULT_PORT : parsePort(port) };
}

function validRemoteUrl(text: string): string {
  return parseHttpUrl(text, "--remote-url").href;
}

function validServerId(text: string): string {
  if (!/^[A-Za-z0-9._:@/-]{1,200}$/.test(text)) {
    throw new ConfigError("bad_value", `--server-id: "${text}" may use letters, digits and . _ : @ / - (1-200 characters)`);
  }
  return text;
}
