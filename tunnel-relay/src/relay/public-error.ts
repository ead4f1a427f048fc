import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { STATUS_CODES } from "node:http";
import { formatResponseHead } from "../protocol/http-head";

/**
 * Errors the relay itself answers with: JSON `{"error":{"code","message"}}` plus an
 * `X-Tapline-Error` header, never an HTML interstitial, so API clients can act on them.
 */
export interface PublicError {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
}

function body(error: PublicError): string {
  return JSON.stringify({ error: { code: error.code, message: error.message } });
}

export function sendPublicError(res: ServerResponse, error: PublicError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = body(error);
  res.writeHead(error.status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
    "Cache-Control": "no-store",
    "X-Tapline-Error": error.code,
    ...error.headers,
  });
  res.end(text);
}

/** Same answer on a raw socket (upgrade requests have no ServerResponse). Closes the socket. */
export function writeRawPublicError(socket: Duplex, error: PublicError): void {
  if (socket.destroyed) return;
  const text = body(error);
  const headers = [
    "Content-Type", "application/json; charset=utf-8",
    "Content-Length", String(Buffer.byteLength(text)),
    "X-Tapline-Error", error.code,
    "Connection", "close",
    ...Object.entries(error.headers ?? {}).flat(),
  ];
  socket.end(formatResponseHead(error.status, STATUS_CODES[error.status] ?? "Error", headers) + text);
}

/** How a stream reset from the agent side looks to the public client. */
export function publicErrorForReset(code: string, message: string): PublicError {
  switch (code) {
    case "too_many_streams":
      return { status: 429, code, message, headers: { "Retry-After": "1" } };
    case "local_unreachable":
      return { status: 502, code, message };
    case "headers_too_large":
      return { status: 502, code, message };
    default:
      return { status: 502, code: "upstream_failed", message: `the tunnel could not complete the request (${code}: ${message})` };
  }
}
