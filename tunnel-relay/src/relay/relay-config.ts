import type { TunnelAuthorizer } from "./auth";
import type { TunnelDirectory } from "./tunnel-directory";
import type { RelayLogger } from "./relay-logger";
import type { TunnelUsageSink } from "./usage-reporter";
import { USAGE_REPORT_INTERVAL_MS } from "./usage-report";

export interface RelayLimits {
  /** Request head (line + headers) accepted from public clients; larger → 431. */
  maxHeaderBytes: number;
  /** Request body per request; larger → 413. */
  maxRequestBodyBytes: number;
  /** Concurrent streams per tunnel; more → 429. */
  maxStreamsPerTunnel: number;
  /** Time from forwarding a request to the local server's status line; exceeded → 504. Long, because tools/call can take minutes. */
  responseHeaderTimeoutMs: number;
  /** How long a request for a tunnel whose agent is reconnecting waits before 503. */
  reconnectWaitMs: number;
  /** How long a disconnected tunnel keeps its place (and requests wait) before it is forgotten. */
  detachedGraceMs: number;
  /** After a relay (re)start, requests for names it does not know yet wait like reconnecting ones for this long: their agents are on their way back. */
  restartGraceMs: number;
  /** Idle time after which an SSE response gets a `:` comment line, so proxies in front keep it open. */
  sseKeepAliveMs: number;
  /** Agent keep-alive ping interval; two missed answers drop the connection. */
  pingIntervalMs: number;
  /** How often each tunnel connection's figures go to the usage sink (the cloud), when there is one. */
  usageReportIntervalMs: number;
}

export const defaultRelayLimits: RelayLimits = {
  maxHeaderBytes: 64 * 1024,
  maxRequestBodyBytes: 32 * 1024 * 1024,
  maxStreamsPerTunnel: 1024,
  responseHeaderTimeoutMs: 300_000,
  reconnectWaitMs: 10_000,
  detachedGraceMs: 30_000,
  restartGraceMs: 30_000,
  sseKeepAliveMs: 20_000,
  pingIntervalMs: 15_000,
  usageReportIntervalMs: USAGE_REPORT_INTERVAL_MS,
};

export interface RelayOptions {
  /** 0 picks a free port. Default 3100. */
  port?: number;
  /** Default 0.0.0.0. */
  host?: string;
  /** Tunnels answer at `<name>.<baseDomain>` (needs wildcard DNS); path mode `/t/<name>/` always works. */
  baseDomain?: string;
  /** The relay's public origin, used to print tunnel URLs and to set X-Forwarded-Proto. Default http://<host>:<port>. */
  publicUrl?: string;
  authorizer: TunnelAuthorizer;
  limits?: Partial<RelayLimits>;
  /** Where tunnels live across instances. Default: this process only. */
  directory?: TunnelDirectory;
  /** Where per-tunnel figures (requests, bytes, connected since) go; the cloud's authorizer is one. Default: nowhere. */
  usageSink?: TunnelUsageSink;
  log?: RelayLogger;
}

export function resolveLimits(partial: Partial<RelayLimits> = {}): RelayLimits {
  const limits = { ...defaultRelayLimits, ...partial };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`relay limit ${key} must be a positive number, got ${value}`);
  }
  return limits;
}
