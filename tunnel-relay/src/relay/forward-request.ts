import { STATUS_CODES, type IncomingMessage, type ServerResponse } from "node:http";
import type { Muxer } from "../protocol/muxer";
import type { ResponseHead } from "../protocol/frame";
import { headerValue, stripHopByHop } from "../protocol/http-head";
import { corkForThisTick, pumpIntoStream } from "../protocol/stream-pipes";
import type { RelayLimits } from "./relay-config";
import type { RejectionReason, RelayMetrics } from "./metrics";
import type { TunnelRoute } from "./route-request";
import { forwardedRequestHeaders } from "./forwarded-headers";
import { publicErrorForReset, sendPublicError, type PublicError } from "./public-error";
import { SseEndpointRewriter } from "./sse-endpoint-rewriter";
import { SseKeepAlive } from "./sse-keepalive";

export interface ForwardContext {
  limits: RelayLimits;
  metrics: RelayMetrics;
  forwardedProto: string;
}

function reject(res: ServerResponse, metrics: RelayMetrics, error: PublicError & { code: RejectionReason }): void {
  metrics.reject(error.code);
  sendPublicError(res, error);
}

function isEventStream(head: ResponseHead): boolean {
  return (headerValue(head.headers, "content-type") ?? "").toLowerCase().startsWith("text/event-stream");
}

/**
 * One public HTTP request through the tunnel: request body streamed as DATA under credit,
 * response head flushed as soon as it arrives, every DATA chunk written straight through (SSE
 * events are never held back), credit returned once the public socket took the bytes.
 */
export function forwardRequestIntoTunnel(req: IncomingMessage, res: ServerResponse, muxer: Muxer, route: TunnelRoute, ctx: ForwardContext): void {
  const { limits, metrics } = ctx;
  if (muxer.streamCount >= limits.maxStreamsPerTunnel) {
    return reject(res, metrics, { status: 429, code: "too_many_streams", message: `tunnel "${route.name}" already has ${limits.maxStreamsPerTunnel} requests in flight`, headers: { "Retry-After": "1" } });
  }
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limits.maxRequestBodyBytes) {
    req.resume();
    return reject(res, metrics, { status: 413, code: "body_too_large", message: `request body of ${declared} bytes exceeds the ${limits.maxRequestBodyBytes}-byte limit`, headers: { Connection: "close" } });
  }

  const stream = muxer.open({ method: req.method ?? "GET", path: route.path, headers: forwardedRequestHeaders(req, ctx.forwardedProto, route, false) });
  const opened = performance.now();
  res.socket?.setNoDelay(true);
  const timeout = setTimeout(() => {
    stream.reset("response_timeout", "no response head in time");
    reject(res, metrics, { status: 504, code: "response_timeout", message: `the local server sent no response within ${limits.responseHeaderTimeoutMs} ms` });
  }, limits.responseHeaderTimeoutMs);

  let rewriter: SseEndpointRewriter | undefined;
  let keepAlive: SseKeepAlive | undefined;
  stream.once("headers", (head) => {
    clearTimeout(timeout);
    metrics.responseHeaderSeconds.observe((performance.now() - opened) / 1000);
    metrics.countResponse(head.status);
    const headers = stripHopByHop(head.headers);
    if (isEventStream(head)) {
      // Tell any buffering proxy in front of us (nginx) to pass events straight through.
      headers.push("X-Accel-Buffering", "no");
      if (route.prefix) rewriter = new SseEndpointRewriter(route.prefix);
    }
    if (res.destroyed) return;
    // Head, body and end of a small response usually arrive in one tunnel message: one syscall for all.
    corkForThisTick(res);
    try {
      res.writeHead(head.status, head.statusMessage || STATUS_CODES[head.status] || "", headers);
    } catch (error) {
      // The agent is not trusted to send valid HTTP: a bad status or header must not take the relay down.
      stream.reset("protocol_error", "invalid response head");
      return reject(res, metrics, { status: 502, code: "upstream_failed", message: `the tunnel sent an invalid response head (${(error as Error).message})` });
    }
    res.flushHeaders();
    if (isEventStream(head)) keepAlive = new SseKeepAlive(res, limits.sseKeepAliveMs);
  });
  stream.on("data", (chunk) => {
    metrics.countBytes("out", chunk.length);
    if (res.destroyed) return;
    const out = rewriter ? rewriter.push(chunk) : chunk;
    keepAlive?.sawBytes(out);
    corkForThisTick(res);
    res.write(out, (error) => {
      if (!error) stream.consumed(chunk.length);
    });
  });
  stream.once("end", () => {
    keepAlive?.stop();
    res.end();
  });
  stream.once("reset", (error) => {
    clearTimeout(timeout);
    if (res.headersSent) return void res.destroy();
    const publicError = publicErrorForReset(error.code, error.message);
    metrics.reject(publicError.status === 429 ? "too_many_streams" : "upstream_failed");
    sendPublicError(res, publicError);
  });
  res.once("close", () => {
    clearTimeout(timeout);
    keepAlive?.stop();
    if (!stream.closed) stream.reset("cancelled", "the public client disconnected");
  });

  void pumpIntoStream(req, stream, limits.maxRequestBodyBytes).then((outcome) => {
    // The rest of an unforwarded body is discarded so a keep-alive connection stays usable.
    if (outcome.kind === "failed") return void req.resume();
    metrics.countBytes("in", outcome.bytes);
    if (outcome.kind === "too_large") {
      stream.reset("body_too_large", "request body exceeded the relay's limit");
      req.resume();
      reject(res, metrics, { status: 413, code: "body_too_large", message: `request body exceeds the ${limits.maxRequestBodyBytes}-byte limit`, headers: { Connection: "close" } });
    }
  });
}
