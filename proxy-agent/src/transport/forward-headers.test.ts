import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRequestHead } from "./client-request-head";
import { clientResponseHeaders, upstreamRequestHeaders } from "./forward-headers";

function request(rawHeaders: string[]) {
  const lines = ["POST /mcp HTTP/1.1"];
  for (let i = 0; i < rawHeaders.length; i += 2) lines.push(`${rawHeaders[i]}: ${rawHeaders[i + 1]}`);
  return parseRequestHead(lines.join("\r\n"));
}

function lines(text: string): string[] {
  return text.split("\r\n").filter(Boolean).flatMap((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]);
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
      "10.0.0.9",
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
    upstreamRequestHeaders(request(["X-Forwarded-For", "1.2.3.4", "X-Api", "client", "Host", "h"]), "10.0.0.9", { extra: { "x-api": "config" }, bearerToken: "tok" }),
  );
  assert.equal(out["x-forwarded-for"], "1.2.3.4, 10.0.0.9");
  assert.equal(out["x-api"], "config");
  assert.equal(out["X-Api"], undefined);
  assert.equal(out.authorization, "Bearer tok");
});

test("response headers keep their spelling, order and repeats, lose hop-by-hop ones, and SSE gets X-Accel-Buffering: no", () => {
  const raw = ["Content-Type", "text/event-stream", "Connection", "keep-alive, X-Hop", "X-Hop", "1", "Transfer-Encoding", "chunked", "Mcp-Session-Id", "s", "Set-Cookie", "a=1", "Set-Cookie", "b=2"];
  const out = lines(clientResponseHeaders(raw, "keep-alive, X-Hop", true, true));
  assert.deepEqual(out, ["Content-Type", "text/event-stream", "Mcp-Session-Id", "s", "Set-Cookie", "a=1", "Set-Cookie", "b=2", "x-accel-buffering", "no"]);
});

test("Content-Length passes unless the client's body is framed anew", () => {
  assert.equal(clientResponseHeaders(["Content-Length", "2"], undefined, false, false), "Content-Length: 2\r\n");
  assert.equal(clientResponseHeaders(["Content-Length", "2", "Transfer-Encoding", "chunked"], undefined, false, true), "");
});
