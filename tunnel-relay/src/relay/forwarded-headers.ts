import type { IncomingMessage } from "node:http";
import { headerValue, stripHopByHop, withoutHeaders } from "../protocol/http-head";
import type { TunnelRoute } from "./route-request";

/** Marks a request one relay instance forwarded to another, so it is never forwarded twice. */
export const HOP_HEADER = "Tapline-Hop";

export function isPeerHop(req: IncomingMessage): boolean {
  return req.headers[HOP_HEADER.toLowerCase()] !== undefined;
}

export function appendForwardedFor(raw: readonly string[], address: string | undefined): string[] {
  const previous = headerValue(raw, "x-forwarded-for");
  const rest = withoutHeaders(raw, ["x-forwarded-for"]);
  const chain = [previous, address].filter(Boolean).join(", ");
  return chain ? [...rest, "X-Forwarded-For", chain] : rest;
}

/**
 * The request head the local server receives: the client's headers (Host, Origin, Authorization,
 * Mcp-Session-Id, Last-Event-ID… untouched) minus hop-by-hop ones, plus X-Forwarded-*.
 * X-Forwarded-Host/Proto/Prefix are set by us, not trusted from the client. A peer hop already
 * appended the client's address to X-Forwarded-For, so it is not appended again.
 */
export function forwardedRequestHeaders(req: IncomingMessage, proto: string, route: TunnelRoute, upgrade: boolean): string[] {
  let raw = withoutHeaders(stripHopByHop(req.rawHeaders, upgrade), [HOP_HEADER, "x-forwarded-host", "x-forwarded-proto", "x-forwarded-prefix"]);
  if (!isPeerHop(req)) raw = appendForwardedFor(raw, req.socket.remoteAddress);
  if (req.headers.host) raw.push("X-Forwarded-Host", req.headers.host);
  raw.push("X-Forwarded-Proto", proto);
  if (route.prefix) raw.push("X-Forwarded-Prefix", route.prefix);
  return raw;
}
