import { test } from "node:test";
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import { clientResponseHeaders, upstreamRequestHeaders } from "./forward-headers";

function request(rawHeaders: string[]): IncomingMessage {
  const headers: Record<string, string> = {};
  for (let i = 0; i < rawHeaders.length; i += 2) headers[rawHeaders[i]!.toLowerCase()] = rawHeaders[i + 1]!;
  return { rawHeaders, headers, socket: { remoteAddress: "10.0.0.9" } } as unknown as IncomingMessage;
}

function asMap(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < flat.length; i += 2) out[flat[i]!] = flat[i + 1]!;
  return out;
}

test("hop-by-hop, Connection-listed, Host and Expect headers are not forwarded; MCP headers keep their spelling", () => {
  const out = asMap(
    upstreamRequestHeaders(
      request(["Host", "proxy:8787", "Connection", "keep-alive, X-Hop", "X-Hop", "1", "Expect", "100-continue", "Mcp-Session-Id", "s", "MCP-Protocol-Version", "2025-11-25", "Transfer-Encoding", "chunked"]),
      { extra: {}, bearerToken: undefined },
    ),
  );
  assert.deepEqual(out, {
    "Mcp-Session-Id": "s",
    "MCP-Protocol-Version": "2025-11-25",
    "x-forwarded-for": "10.0.0.9",
    "x-forwarded-host": "proxy:8787",
    "x-forwarded-proto": "http",
  });
});

test("X-Forwarded-For is appended to; configured headers replace the client's; the bearer token fills a missing Authorization", () => {
  const out = asMap(
    upstreamRequestHeaders(request(["X-Forwarded-For", "1.2.3.4", "X-Api", "client", "Host", "h"]), { extra: { "x-api": "config" }, bearerToken: "tok" }),
  );
  assert.equal(out["x-forwarded-for"], "1.2.3.4, 10.0.0.9");
  assert.equal(out["x-api"], "config");
  assert.equal(out["X-Api"], undefined);
  assert.equal(out.authorization, "Bearer tok");
});

test("response headers keep their spelling, order and repeats, lose hop-by-hop ones, and SSE gets X-Accel-Buffering: no", () => {
  const raw = ["Content-Type", "text/event-stream", "Connection", "keep-alive, X-Hop", "X-Hop", "1", "Transfer-Encoding", "chunked", "Mcp-Session-Id", "s", "Set-Cookie", "a=1", "Set-Cookie", "b=2"];
  const out = clientResponseHeaders(raw, "keep-alive, X-Hop", true, true);
  assert.deepEqual(out, ["Content-Type", "text/event-stream", "Mcp-Session-Id", "s", "Set-Cookie", "a=1", "Set-Cookie", "b=2", "x-accel-buffering", "no"]);
});

test("Content-Length passes unless the upstream body was chunked", () => {
  assert.deepEqual(clientResponseHeaders(["Content-Length", "2"], undefined, false, false), ["Content-Length", "2"]);
  assert.deepEqual(clientResponseHeaders(["Content-Length", "2", "Transfer-Encoding", "chunked"], undefined, false, true), []);
});
