import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { formatResponseHead, stripHopByHop } from "../protocol/http-head";
import type { RelayMetrics } from "./metrics";
import { HOP_HEADER, appendForwardedFor } from "./forwarded-headers";
import { sendPublicError, writeRawPublicError } from "./public-error";

/** Keep-alive connections between instances; Nagle off so SSE events are not delayed on the hop. */
const peerAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function peerRequestOptions(req: IncomingMessage, peerUrl: string, upgrade: boolean): http.RequestOptions {
  const peer = new URL(peerUrl);
  // Host (and path) stay as the client sent them, so the holder routes exactly as we did.
  const headers = [...appendForwardedFor(stripHopByHop(req.rawHeaders, upgrade), req.socket.remoteAddress), HOP_HEADER, "1"];
  return { host: peer.hostname, port: peer.port || 80, method: req.method, path: req.url, headers, agent: upgrade ? false : peerAgent, setHost: false };
}

/** Stream a public request to the instance holding its tunnel; both directions keep TCP backpressure. */
export function forwardRequestToPeer(req: IncomingMessage, res: ServerResponse, peerUrl: string, metrics: RelayMetrics): void {
  metrics.peerForwards.inc();
  const outgoing = http.request(peerRequestOptions(req, peerUrl, false));
  outgoing.on("socket", (socket) => socket.setNoDelay(true));
  outgoing.on("response", (incoming) => {
    res.writeHead(incoming.statusCode ?? 502, incoming.statusMessage || "", stripHopByHop(incoming.rawHeaders));
    res.flushHeaders();
    incoming.pipe(res);
  });
  outgoing.on("error", (error) => {
    metrics.reject("upstream_failed");
    sendPublicError(res, { status: 502, code: "peer_unreachable", message: `the relay instance holding this tunnel did not answer (${error.message})` });
  });
  res.once("close", () => {
    if (!res.writableFinished) outgoing.destroy();
  });
  req.pipe(outgoing);
}

export function forwardUpgradeToPeer(req: IncomingMessage, socket: Duplex, head: Buffer, peerUrl: string, metrics: RelayMetrics): void {
  metrics.peerForwards.inc();
  socket.on("error", () => {});
  const outgoing = http.request(peerRequestOptions(req, peerUrl, true));
  outgoing.on("upgrade", (incoming, peerSocket, peerHead) => {
    socket.write(formatResponseHead(incoming.statusCode ?? 101, incoming.statusMessage ?? "", incoming.rawHeaders));
    if (peerHead.length) socket.write(peerHead);
    if (head.length) peerSocket.write(head);
    peerSocket.on("error", () => socket.destroy());
    socket.once("close", () => peerSocket.destroy());
    peerSocket.pipe(socket).pipe(peerSocket);
  });
  outgoing.on("response", (incoming) => {
    socket.write(formatResponseHead(incoming.statusCode ?? 502, incoming.statusMessage ?? "", [...stripHopByHop(incoming.rawHeaders), "Connection", "close"]));
    incoming.pipe(socket);
  });
  outgoing.on("error", (error) => {
    metrics.reject("upstream_failed");
    writeRawPublicError(socket, { status: 502, code: "peer_unreachable", message: `the relay instance holding this tunnel did not answer (${error.message})` });
  });
  outgoing.end();
}
