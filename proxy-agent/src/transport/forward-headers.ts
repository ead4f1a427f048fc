import type { IncomingMessage } from "node:http";

// Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, never the next one. `Expect: 100-continue`
// is answered by Node's server on our side.
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
export function upstreamRequestHeaders(req: IncomingMessage, options: UpstreamHeaderOptions): string[] {
  const raw = req.rawHeaders;
  const dropped = connectionListed(req.headers.connection);
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
  const clientAddress = req.socket.remoteAddress ?? "unknown";
  out.push("x-forwarded-for", forwardedFor === null ? clientAddress : `${forwardedFor}, ${clientAddress}`);
  if (!forwardedHost && req.headers.host !== undefined) out.push("x-forwarded-host", req.headers.host);
  if (!forwardedProto) out.push("x-forwarded-proto", "http");
  for (const name of extraKeys) out.push(name, options.extra[name]!);
  if (!authorization && options.bearerToken !== undefined && extraNames?.includes("authorization") !== true) {
    out.push("authorization", `Bearer ${options.bearerToken}`);
  }
  return out;
}

/**
 * Upstream response header lines for `res.writeHead`, as a flat [name, value, …] list in their
 * original spelling and order, minus hop-by-hop ones (and Content-Length when the body was chunked:
 * the client's response is framed anew).
 */
export function clientResponseHeaders(raw: readonly string[], connection: string | undefined, eventStream: boolean, chunked: boolean): string[] {
  const out: string[] = [];
  const dropped = connectionListed(connection);
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || dropped?.has(lower) || (chunked && lower === "content-length")) continue;
    out.push(name, raw[i + 1]!);
  }
  // Tells nginx-style buffers in front of us not to hold SSE events back.
  if (eventStream) out.push("x-accel-buffering", "no");
  return out;
}

function connectionListed(connection: string | string[] | undefined): Set<string> | null {
  // The usual values name no other header: answered without splitting.
  if (connection === undefined || ONLY_PERSISTENCE.test(connection as string)) return null;
  const text = Array.isArray(connection) ? connection.join(",") : connection;
  const names = text
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== "" && s !== "close" && s !== "keep-alive");
  return names.length === 0 ? null : new Set(names);
}
