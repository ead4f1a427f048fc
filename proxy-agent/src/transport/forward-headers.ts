import type { ClientRequestHead } from "./client-request-head";

// Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, never the next one. `Expect: 100-continue`
// is answered on our side (client-connection).
const HOP_BY_HOP = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "http2-settings", "expect"]);

const ONLY_PERSISTENCE = /^(?:keep-alive|close)$/i;

export interface UpstreamHeaderOptions {
  /** Headers set on every upstream request (`--headers`), replacing the client's of the same name. */
  extra: Record<string, string>;
  /** Sent as `Authorization: Bearer …` when the client sent no Authorization of its own. */
  bearerToken: string | undefined;
}

/**
 * The client's headers as a flat [name, value, …] list for the upstream request, in their original spelling,
 * minus hop-by-hop ones and Host, plus X-Forwarded-For/Host/Proto.
 */
export function upstreamRequestHeaders(
  head: Pick<ClientRequestHead, "rawHeaders" | "connection" | "host">,
  clientAddress: string,
  options: UpstreamHeaderOptions,
): string[] {
  const raw = head.rawHeaders;
  const dropped = connectionListed(head.connection);
  const extraKeys = Object.keys(options.extra);
  const extraNames = extraKeys.length === 0 ? null : extraKeys.map((k) => k.toLowerCase());
  const out: string[] = [];
  let forwardedFor: string | null = null;
  let forwardedHost = false;
  let forwardedProto = false;
  let authorization = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || lower === "host" || dropped?.has(lower) || extraNames?.includes(lower)) continue;
    const value = raw[i + 1]!;
    if (lower === "x-forwarded-for") {
      forwardedFor = forwardedFor === null ? value : `${forwardedFor}, ${value}`;
      continue;
    }
    if (lower === "x-forwarded-host") forwardedHost = true;
    else if (lower === "x-forwarded-proto") forwardedProto = true;
    else if (lower === "authorization") authorization = true;
    out.push(name, value);
  }
  out.push("x-forwarded-for", forwardedFor === null ? clientAddress : `${forwardedFor}, ${clientAddress}`);
  if (!forwardedHost && head.host !== undefined) out.push("x-forwarded-host", head.host);
  if (!forwardedProto) out.push("x-forwarded-proto", "http");
  for (const name of extraKeys) out.push(name, options.extra[name]!);
  if (!authorization && options.bearerToken !== undefined && extraNames?.includes("authorization") !== true) {
    out.push("authorization", `Bearer ${options.bearerToken}`);
  }
  return out;
}

/**
 * Upstream response header lines for the client ("Name: value\r\n" each), in their original spelling
 * and order, minus hop-by-hop ones (and Content-Length when the client's body is framed anew).
 */
export function clientResponseHeaders(raw: readonly string[], connection: string | undefined, eventStream: boolean, dropContentLength: boolean): string {
  let out = "";
  const dropped = connectionListed(connection);
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || dropped?.has(lower) || (dropContentLength && lower === "content-length")) continue;
    out += `${name}: ${raw[i + 1]!}\r\n`;
  }
  // Tells nginx-style buffers in front of us not to hold SSE events back.
  if (eventStream) out += "x-accel-buffering: no\r\n";
  return out;
}

function connectionListed(connection: string | undefined): Set<string> | null {
  // The usual values name no other header: answered without splitting.
  if (connection === undefined || ONLY_PERSISTENCE.test(connection)) return null;
  const names = connection
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "" && s !== "close" && s !== "keep-alive");
  return names.length === 0 ? null : new Set(names);
}
