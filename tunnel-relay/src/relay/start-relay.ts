import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { AddressInfo } from "node:net";
import type { Muxer } from "../protocol/muxer";
import { resolveLimits, type RelayOptions } from "./relay-config";
import { RelayMetrics } from "./metrics";
import { TunnelRegistry } from "./tunnel-registry";
import { LocalOnlyDirectory } from "./tunnel-directory";
import { silentLogger } from "./relay-logger";
import { routePublicRequest, type TunnelRoute } from "./route-request";
import { AGENT_CONNECT_PATH, createAgentEndpoint } from "./agent-endpoint";
import { forwardRequestIntoTunnel, type ForwardContext } from "./forward-request";
import { forwardUpgradeIntoTunnel } from "./forward-upgrade";
import { forwardRequestToPeer, forwardUpgradeToPeer } from "./forward-to-peer";
import { isPeerHop } from "./forwarded-headers";
import { sendPublicError, writeRawPublicError, type PublicError } from "./public-error";
import { tunnelUrls } from "./tunnel-urls";
import { UsageReporter } from "./usage-reporter";

export interface RunningRelay {
  /** Base URL of the relay itself (agents connect here; path-mode tunnels live under it). */
  url: string;
  port: number;
  metrics: RelayMetrics;
  /**
   * Stop. With `drainMs`, first refuse new work (503 relay_draining, /readyz 503) and give
   * in-flight requests up to that long to finish; then tell every agent to reconnect (GOAWAY).
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

const DRAINING: PublicError = { status: 503, code: "relay_draining", message: "this relay instance is shutting down; retry", headers: { "Retry-After": "1", Connection: "close" } };

type Destination = { kind: "local"; muxer: Muxer } | { kind: "peer"; url: string } | { kind: "error"; error: PublicError & { code: "tunnel_not_found" | "tunnel_offline" } };

export async function startRelay(options: RelayOptions): Promise<RunningRelay> {
  const limits = resolveLimits(options.limits);
  const log = options.log ?? silentLogger;
  const metrics = new RelayMetrics();
  const directory = options.directory ?? new LocalOnlyDirectory();
  const registry = new TunnelRegistry(limits.detachedGraceMs, (name) => {
    void directory.release(name).catch(() => {});
  });
  const usage = options.usageSink ? new UsageReporter(options.usageSink, limits.usageReportIntervalMs, log) : undefined;
  const startedAt = Date.now();
  let draining = false;
  let publicBase = options.publicUrl;
  const forwardContext = (): ForwardContext => ({ limits, metrics, forwardedProto: new URL(publicBase!).protocol.replace(":", "") });

  metrics.gauge("tapline_tunnel_tunnels", "Tunnels with a connected agent", () => registry.connectedCount);
  metrics.gauge("tapline_tunnel_streams", "Streams (requests) currently open through tunnels", () => registry.streamCount);
  metrics.gauge("tapline_tunnel_ws_buffered_bytes", "Bytes queued toward agents and not yet written", () => registry.bufferedBytes);
  metrics.gauge("process_resident_memory_bytes", "Resident memory of the relay process", () => process.memoryUsage.rss());
  metrics.gauge("nodejs_heap_used_bytes", "V8 heap in use", () => process.memoryUsage().heapUsed);

  const handleAgent = createAgentEndpoint({
    authorizer: options.authorizer,
    registry,
    directory,
    limits,
    metrics,
    log,
    usage,
    urlsFor: (name) => tunnelUrls(publicBase!, options.baseDomain, name),
  });

  /** Local agent first; then another instance; then wait a little for a (re)connecting agent. */
  async function destinationOf(route: TunnelRoute, req: IncomingMessage): Promise<Destination> {
    const live = registry.connected(route.name);
    if (live) return { kind: "local", muxer: live };
    if (!isPeerHop(req)) {
      const peer = await directory.locate(route.name).catch(() => undefined);
      if (peer) return { kind: "peer", url: peer };
    }
    // Just after our own restart we cannot know which names existed: treat every name as reconnecting.
    const mayReturn = registry.isKnown(route.name) || Date.now() - startedAt < limits.restartGraceMs;
    if (mayReturn) {
      const muxer = await registry.waitFor(route.name, limits.reconnectWaitMs);
      if (muxer) return { kind: "local", muxer };
      return { kind: "error", error: { status: 503, code: "tunnel_offline", message: `tunnel "${route.name}" is reconnecting; retry shortly`, headers: { "Retry-After": "5" } } };
    }
    return { kind: "error", error: { status: 404, code: "tunnel_not_found", message: `no tunnel named "${route.name}" is connected to this relay` } };
  }

  function serveRelayEndpoint(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/healthz") return void res.writeHead(200, { "Content-Type": "text/plain" }).end("ok\n");
    if (path === "/readyz") {
      if (draining) return void res.writeHead(503, { "Content-Type": "text/plain" }).end("draining\n");
      void directory.ready().then((ready) => res.writeHead(ready ? 200 : 503, { "Content-Type": "text/plain" }).end(ready ? "ready\n" : "directory unavailable\n"));
      return;
    }
    if (path === "/metrics") return void res.writeHead(200, { "Content-Type": "text/plain; version=0.0.4" }).end(metrics.render());
    sendPublicError(res, { status: 404, code: "not_found", message: "not a tunnel URL: use https://<name>.<base-domain>/… or /t/<name>/…" });
  }

  const server = http.createServer({ maxHeaderSize: limits.maxHeaderBytes, requestTimeout: 0, headersTimeout: 60_000, keepAliveTimeout: 65_000 });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const route = routePublicRequest(req.headers.host, req.url ?? "/", options.baseDomain);
    if (!route) return serveRelayEndpoint(req, res);
    if (draining) {
      req.resume();
      return sendPublicError(res, DRAINING);
    }
    void destinationOf(route, req).then((destination) => {
      if (res.destroyed) return;
      if (destination.kind === "local") return forwardRequestIntoTunnel(req, res, destination.muxer, route, forwardContext());
      if (destination.kind === "peer") return forwardRequestToPeer(req, res, destination.url, metrics);
      metrics.reject(destination.error.code);
      req.resume();
      sendPublicError(res, destination.error);
    });
  });
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const route = routePublicRequest(req.headers.host, req.url ?? "/", options.baseDomain);
    if (draining) return writeRawPublicError(socket, DRAINING);
    if (!route) {
      if ((req.url ?? "").split("?")[0] === AGENT_CONNECT_PATH) return handleAgent(req, socket, head);
      return writeRawPublicError(socket, { status: 404, code: "not_found", message: "not a tunnel URL" });
    }
    void destinationOf(route, req).then((destination) => {
      if (destination.kind === "local") return forwardUpgradeIntoTunnel(req, socket, head, destination.muxer, route, forwardContext());
      if (destination.kind === "peer") return forwardUpgradeToPeer(req, socket, head, destination.url, metrics);
      metrics.reject(destination.error.code);
      writeRawPublicError(socket, destination.error);
    });
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === "HPE_HEADER_OVERFLOW") {
      metrics.reject("headers_too_large");
      return writeRawPublicError(socket, { status: 431, code: "headers_too_large", message: `request head exceeds the ${limits.maxHeaderBytes}-byte limit` });
    }
    if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy();
    writeRawPublicError(socket, { status: 400, code: "bad_request", message: "malformed HTTP request" });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    // A deep accept queue: with the default 511 a burst of new connections gets SYNs dropped and retried a second later.
    server.listen({ port: options.port ?? 3100, host: options.host ?? "0.0.0.0", backlog: 4096 }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== "0.0.0.0" && options.host !== "::" ? options.host : "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  publicBase ??= url;
  log("info", "relay listening", { url, publicUrl: publicBase, baseDomain: options.baseDomain });

  return {
    url,
    port,
    metrics,
    async close({ drainMs = 0 } = {}) {
      draining = true;
      const deadline = Date.now() + drainMs;
      while (registry.streamCount > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      registry.closeAll("going_away", "relay is shutting down; reconnect");
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await usage?.close();
      await directory.close();
    },
  };
}
