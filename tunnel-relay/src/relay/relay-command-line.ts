import { parseArgs } from "node:util";
import { defaultRelayLimits, type RelayLimits } from "./relay-config";

/** Everything `tunnel-relay/src/main.ts` can be told, from flags or the environment (flags win). */
export interface RelayCommandLine {
  port: number;
  host: string;
  baseDomain?: string;
  publicUrl?: string;
  keysFile?: string;
  /** Authorize agents with the Tapline cloud at this URL (project API keys, names reserved per org). */
  cloudUrl?: string;
  redisUrl?: string;
  redisPrefix: string;
  instanceUrl?: string;
  logLevel: "debug" | "info" | "warn" | "error";
  /** On SIGTERM, how long in-flight requests may finish before agents are told to reconnect. */
  drainMs: number;
  limits: Partial<RelayLimits>;
}

export class RelayCommandLineError extends Error {
  readonly code = "invalid_arguments";
}

const FLAGS = {
  port: { env: "TAPLINE_RELAY_PORT", help: "port to listen on (default 3100; also RELAY_PORT)" },
  host: { env: "TAPLINE_RELAY_HOST", help: "interface to bind (default 0.0.0.0)" },
  "base-domain": { env: "TAPLINE_RELAY_BASE_DOMAIN", help: "serve tunnels at <name>.<base-domain> (needs wildcard DNS + cert)" },
  "public-url": { env: "TAPLINE_RELAY_PUBLIC_URL", help: "the relay's public origin, e.g. https://tunnel.example.com (sets printed URLs, X-Forwarded-Proto)" },
  "keys-file": { env: "TAPLINE_RELAY_KEYS_FILE", help: "JSON file of SHA-256 API key hashes; without it every agent is refused" },
  "cloud-url": { env: "TAPLINE_RELAY_CLOUD_URL", help: "authorize agents with this Tapline cloud's project API keys (instead of --keys-file)" },
  "redis-url": { env: "TAPLINE_RELAY_REDIS_URL", help: "Redis for running several instances, e.g. redis://127.0.0.1:6379" },
  "redis-prefix": { env: "TAPLINE_RELAY_REDIS_PREFIX", help: "key prefix in Redis (default tapline:tunnel:)" },
  "instance-url": { env: "TAPLINE_RELAY_INSTANCE_URL", help: "how other instances reach this one, e.g. http://10.0.0.5:3100 (required with --redis-url)" },
  "max-body-bytes": { env: "TAPLINE_RELAY_MAX_BODY_BYTES", help: `request body limit, 413 above (default ${defaultRelayLimits.maxRequestBodyBytes})` },
  "max-streams": { env: "TAPLINE_RELAY_MAX_STREAMS", help: `concurrent requests per tunnel, 429 above (default ${defaultRelayLimits.maxStreamsPerTunnel})` },
  "response-timeout-ms": { env: "TAPLINE_RELAY_RESPONSE_TIMEOUT_MS", help: `wait for the local server's response head, 504 after (default ${defaultRelayLimits.responseHeaderTimeoutMs})` },
  "usage-report-ms": { env: "TAPLINE_RELAY_USAGE_REPORT_MS", help: `with --cloud-url, how often each tunnel's figures go to the dashboard (default ${defaultRelayLimits.usageReportIntervalMs})` },
  "drain-ms": { env: "TAPLINE_RELAY_DRAIN_MS", help: "on SIGTERM, let in-flight requests finish for up to this long (default 10000); SIGINT stops at once" },
  "log-level": { env: "TAPLINE_RELAY_LOG_LEVEL", help: "debug | info | warn | error (default info)" },
} as const;

type Flag = keyof typeof FLAGS;

export function relayHelp(): string {
  const lines = Object.entries(FLAGS).map(([flag, { env, help }]) => `  --${flag.padEnd(20)} ${help}\n  ${"".padEnd(22)} env ${env}`);
  return `Usage: node --import tsx tunnel-relay/src/main.ts [options]

Runs the Tapline tunnel relay: agents connect to /_tapline/tunnel, the public reaches tunnels at
https://<name>.<base-domain>/… or /t/<name>/…; /healthz, /readyz and /metrics for operators.

Options:
${lines.join("\n")}
  --help                 show this help`;
}

function positiveInteger(flag: Flag, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new RelayCommandLineError(`--${flag} must be a positive integer, got "${text}"`);
  return value;
}

export function parseRelayCommandLine(argv: string[], env: NodeJS.ProcessEnv): RelayCommandLine | "help" {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...Object.fromEntries(Object.keys(FLAGS).map((flag) => [flag, { type: "string" as const }])), help: { type: "boolean", short: "h" } },
      strict: true,
    });
  } catch (error) {
    throw new RelayCommandLineError(`${(error as Error).message}\n\n${relayHelp()}`);
  }
  if (parsed.values.help) return "help";
  const value = (flag: Flag): string | undefined => {
    const fromFlag = (parsed.values as Record<string, string | boolean | undefined>)[flag];
    const text = typeof fromFlag === "string" ? fromFlag : env[FLAGS[flag].env];
    return text === "" ? undefined : text;
  };

  const portText = value("port") ?? env.RELAY_PORT ?? "3100";
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RelayCommandLineError(`--port must be a TCP port, got "${portText}"`);
  const publicUrl = value("public-url");
  if (publicUrl && !/^https?:\/\//.test(publicUrl)) throw new RelayCommandLineError(`--public-url must start with http:// or https://, got "${publicUrl}"`);
  const redisUrl = value("redis-url");
  const instanceUrl = value("instance-url");
  if (redisUrl && !instanceUrl) throw new RelayCommandLineError("--redis-url needs --instance-url: the URL other relay instances use to reach this one");
  const logLevel = value("log-level") ?? "info";
  if (!["debug", "info", "warn", "error"].includes(logLevel)) throw new RelayCommandLineError(`--log-level must be debug, info, warn or error`);

  const drainText = value("drain-ms");
  const drainMs = drainText === undefined ? 10_000 : drainText === "0" ? 0 : positiveInteger("drain-ms", drainText);

  const limits: Partial<RelayLimits> = {};
  const maxBody = value("max-body-bytes");
  if (maxBody) limits.maxRequestBodyBytes = positiveInteger("max-body-bytes", maxBody);
  const maxStreams = value("max-streams");
  if (maxStreams) limits.maxStreamsPerTunnel = positiveInteger("max-streams", maxStreams);
  const responseTimeout = value("response-timeout-ms");
  if (responseTimeout) limits.responseHeaderTimeoutMs = positiveInteger("response-timeout-ms", responseTimeout);
  const usageReport = value("usage-report-ms");
  if (usageReport) limits.usageReportIntervalMs = positiveInteger("usage-report-ms", usageReport);

  return {
    port,
    host: value("host") ?? "0.0.0.0",
    baseDomain: value("base-domain")?.replace(/^\./, "").toLowerCase(),
    publicUrl,
    keysFile: value("keys-file"),
    cloudUrl: value("cloud-url"),
    redisUrl,
    redisPrefix: value("redis-prefix") ?? "tapline:tunnel:",
    instanceUrl,
    logLevel: logLevel as RelayCommandLine["logLevel"],
    drainMs,
    limits,
  };
}
