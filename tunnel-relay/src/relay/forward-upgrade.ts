import type { IncomingMessage } from "node:http";
import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import type { Muxer } from "../protocol/muxer";
import { formatResponseHead, stripHopByHop } from "../protocol/http-head";
import { drainStreamInto, pumpIntoStream } from "../protocol/stream-pipes";
import type { TunnelRoute } from "./route-request";
import type { ForwardContext } from "./forward-request";
import { forwardedRequestHeaders } from "./forwarded-headers";
import { publicErrorForReset, writeRawPublicError } from "./public-error";

/**
 * A public Upgrade request (WebSocket): the agent performs the upgrade locally and answers with
 * its response head; after a 101 the stream carries raw bytes both ways, so any subprotocol,
 * extension or frame type passes unchanged.
 */
export function forwardUpgradeIntoTunnel(req: IncomingMessage, socket: Duplex, head: Buffer, muxer: Muxer, route: TunnelRoute, ctx: ForwardContext): void {
  const { limits, metrics } = ctx;
  socket.on("error", () => {});
  if (muxer.streamCount >= limits.maxStreamsPerTunnel) {
    metrics.reject("too_many_streams");
    return writeRawPublicError(socket, { status: 429, code: "too_many_streams", message: `tunnel "${route.name}" already has ${limits.maxStreamsPerTunnel} requests in flight`, headers: { "Retry-After": "1" } });
  }
  const stream = muxer.open({ method: req.method ?? "GET", path: route.path, headers: forwardedRequestHeaders(req, ctx.forwardedProto, route, true), upgrade: true });
  const timeout = setTimeout(() => {
    stream.reset("response_timeout", "no response head in time");
    metrics.reject("response_timeout");
    writeRawPublicError(socket, { status: 504, code: "response_timeout", message: `the local server sent no response within ${limits.responseHeaderTimeoutMs} ms` });
  }, limits.responseHeaderTimeoutMs);
  let answered = false;

  stream.once("headers", (response) => {
    clearTimeout(timeout);
    answered = true;
    metrics.countResponse(response.status);
    const switching = response.status === 101;
    // Without a 101 the body is delimited by closing the socket, since we drop Transfer-Encoding.
    const headers = switching ? response.headers : [...stripHopByHop(response.headers), "Connection", "close"];
    socket.write(formatResponseHead(response.status, response.statusMessage || STATUS_CODES[response.status] || "", headers));
    if (!switching) return void stream.end();
    // Bytes the client sent after its request head, before our 101, belong to the new protocol.
    if (head.length) void stream.write(head).catch(() => {});
    void pumpIntoStream(socket, stream);
  });
  drainStreamInto(stream, socket);
  stream.once("reset", (error) => {
    clearTimeout(timeout);
    if (answered) return void socket.destroy();
    metrics.reject("upstream_failed");
    writeRawPublicError(socket, publicErrorForReset(error.code, error.message));
  });
  socket.once("close", () => {
    clearTimeout(timeout);
    if (!stream.closed) stream.reset("cancelled", "the public client disconnected");
  });
}
