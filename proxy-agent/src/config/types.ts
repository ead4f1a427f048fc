import type { RecordSink, TapCounters } from "../record/sink";

export interface ListenAddress {
  host: string;
  port: number;
}

/** Where the upstream MCP server is and how to reach it. */
export type UpstreamConfig =
  | { kind: "http"; remoteUrl: string }
  | { kind: "sse"; remoteUrl: string }
  | { kind: "stdio"; command: string; args: string[]; env: Record<string, string>; cwd?: string };

/**
 * Everything a proxy run needs, after flags, environment variables (TAPLINE_PROXY_*, MCPULSE_PROXY_*)
 * and the config file (--config/--server) have been merged and validated by the CLI.
 */
export interface ResolvedProxyConfig {
  serverId: string;
  upstream: UpstreamConfig;
  /**
   * Where clients connect. For http/sse upstreams always set (default 127.0.0.1:8787).
   * For stdio: undefined means speak stdio on this process's stdin/stdout; set means expose the
   * stdio server over Streamable HTTP at `/mcp` on this address.
   */
  listen?: ListenAddress;
  /** Extra headers sent upstream on every request (`--headers "K:V,K2:V2"`). */
  headers: Record<string, string>;
  /**
   * `--bearer-token` / `--auth-token`: sent upstream as `Authorization: Bearer …` (unless the client sent its own),
   * and, mirrored, required from clients of the listening endpoint (401 without it).
   */
  bearerToken?: string;
  capturePayloads: boolean;
  /** Keys whose values are redacted in captured payloads. */
  redactKeys: RegExp;
  /** A request with no response after this long is recorded as `timeout` (default 5 minutes). */
  pairingTimeoutMs: number;
  /** Request bodies larger than this are forwarded but not parsed by the tap (default 4 MiB). */
  maxTapBytes: number;
  /** Cloud shipping target (`--cloud-url`/`--api-key`, `TAPLINE_URL`/`TAPLINE_API_KEY`); absent when not configured. */
  cloud?: CloudConfig;
}

export interface CloudConfig {
  /** Base URL of the Tapline cloud (`https://…`; a bare `host:port` was normalised to `http://host:port`). */
  url?: string;
  apiKey?: string;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export interface ProxyRuntime {
  config: ResolvedProxyConfig;
  sink: RecordSink;
  log: Logger;
}

export interface RunningProxy {
  /** The URL clients use, when listening on HTTP (e.g. http://127.0.0.1:8787/mcp, or /sse for legacy SSE). */
  url?: string;
  /** Stops accepting, ends upstream connections/child process, resolves when done. Does not close the sink. */
  close(): Promise<void>;
  /** Resolves when the proxy ends on its own (stdio: client closed stdin or child exited), with an exit code. */
  done: Promise<number>;
  /** Live counters of the tap (unreadable messages, sink failures), for `tapline status` and the shutdown log. */
  counters?: TapCounters;
}
