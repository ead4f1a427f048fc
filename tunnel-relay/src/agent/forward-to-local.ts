import http from "node:http";
import type { MuxStream } from "../protocol/stream";
import type { RequestHead } from "../protocol/frame";
import { rawHeadersSize, stripHopByHop, withoutHeaders } from "../protocol/http-head";
import { drainStreamInto, pumpIntoStream } from "../protocol/stream-pipes";

export interface LocalTarget {
  url: URL;
  /** "preserve" (default) passes the public Host; "rewrite" sends the target's host, for servers that validate Host. */
  hostHeader: "preserve" | "rewrite";
  agent: http.Agent;
}

const MAX_RESPONSE_HEAD_BYTES = 64 * 1024;

function localPath(target: URL, path: string): string {
  const base = target.pathname.replace(/\/$/, "");
  return base + path;
}

function requestHeaders(head: RequestHead, target: LocalTarget): string[] {
  if (target.hostHeader === "preserve") return head.headers;
  return [...withoutHeaders(head.headers, ["host"]), "Host", target.url.host];
}

function failureCode(error: NodeJS.ErrnoException): string {
  return error.code === "ECONNREFUSED" || error.code === "ENOTFOUND" || error.code === "EHOSTUNREACH" ? "local_unreachable" : "local_error";
}

/**
 * Serve one tunnel stream against the local server: the request body streams in from the
 * tunnel, the response streams back; a reset from the relay (public client gone) aborts the
 * local request at once.
 */
export function forwardStreamToLocal(stream: MuxStream, head: RequestHead, target: LocalTarget): void {
  let request: http.ClientRequest;
  try {
    request = openLocalRequest(head, target);
  } catch (error) {
    return stream.reset("local_error", `cannot forward this request: ${(error as Error).message}`);
  }
  relayLocalExchange(stream, head, target, request);
}

function openLocalRequest(head: RequestHead, target: LocalTarget): http.ClientRequest {
  return http.request({
    protocol: target.url.protocol,
    host: target.url.hostname,
    port: target.url.port || 80,
    method: head.method,
    path: localPath(target.url, head.path),
    headers: requestHeaders(head, target),
    agent: head.upgrade ? false : target.agent,
    setHost: false,
  });
}

function relayLocalExchange(stream: MuxStream, head: RequestHead, target: LocalTarget, request: http.ClientRequest): void {
  request.on("socket", (socket) => socket.setNoDelay(true));
  let answered = false;
  // A server may answer before reading the whole body, then drop the connection; that error is not a failure.
  let responseComplete = false;

  const sendResponse = (response: http.IncomingMessage) => {
    answered = true;
    const headers = stripHopByHop(response.rawHeaders);
    if (rawHeadersSize(headers) > MAX_RESPONSE_HEAD_BYTES) {
      response.destroy();
      return stream.reset("headers_too_large", `the local server's response headers exceed ${MAX_RESPONSE_HEAD_BYTES} bytes`);
    }
    void stream.sendHeaders({ status: response.statusCode ?? 502, statusMessage: response.statusMessage ?? "", headers }).catch(() => {});
    void pumpIntoStream(response, stream).then((outcome) => {
      if (outcome.kind === "ended") responseComplete = true;
      else if (outcome.kind === "failed" && !stream.closed) stream.reset("local_error", `the local server aborted its response (${outcome.error.message})`);
    });
  };
  request.on("response", sendResponse);
  request.on("upgrade", (response, socket, upgradeHead) => {
    answered = true;
    socket.setNoDelay(true);
    void stream.sendHeaders({ status: response.statusCode ?? 101, statusMessage: response.statusMessage ?? "", headers: response.rawHeaders }).catch(() => {});
    if (upgradeHead.length) void stream.write(upgradeHead).catch(() => {});
    drainStreamInto(stream, socket);
    void pumpIntoStream(socket, stream);
    socket.on("error", () => stream.reset("local_error", "the local WebSocket connection failed"));
    stream.once("close", () => {
      if (stream.error) socket.destroy();
    });
  });
  request.on("error", (error: NodeJS.ErrnoException) => {
    if (stream.closed || responseComplete) return;
    const code = answered ? "local_error" : failureCode(error);
    stream.reset(code, code === "local_unreachable" ? `nothing is listening at ${target.url.origin} (${error.code})` : `local request failed: ${error.message}`);
  });
  stream.once("reset", () => request.destroy());

  if (head.upgrade) {
    request.end();
    return;
  }
  drainStreamInto(stream, request);
}
