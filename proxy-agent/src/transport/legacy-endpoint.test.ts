import { test } from "node:test";
import assert from "node:assert/strict";
import { EndpointEventRewriter, legacySessionId, rewriteEndpoint } from "./legacy-endpoint";

test("endpoint URLs on the upstream origin become absolute proxy paths, resolved against the upstream SSE URL", () => {
  assert.equal(rewriteEndpoint("http://up:3001/message?sessionId=a", "http://up:3001/sse"), "/message?sessionId=a");
  assert.equal(rewriteEndpoint("/message?sessionId=a", "http://up:3001/sse"), "/message?sessionId=a");
  assert.equal(rewriteEndpoint("messages?sessionId=a", "http://up:3001/mcp/sse"), "/mcp/messages?sessionId=a");
  assert.equal(rewriteEndpoint("https://elsewhere.example/m", "http://up:3001/sse"), "https://elsewhere.example/m");
});

test("the session id comes from the sessionId parameter", () => {
  assert.equal(legacySessionId("/message?sessionId=abc-1"), "abc-1");
  assert.equal(legacySessionId("/mcp/messages/xyz"), "/mcp/messages/xyz");
});

test("the rewriter holds bytes only until the endpoint event is complete", () => {
  const r = new EndpointEventRewriter("http://up:3001/sse");
  const stream = "event: endpoint\ndata: http://up:3001/message?sessionId=s\n\nevent: message\ndata: {}\n\n";
  const out: string[] = [];
  for (let i = 0; i < stream.length; i += 7) {
    const b = r.push(Buffer.from(stream.slice(i, i + 7)));
    if (b !== null) out.push(b.toString());
  }
  assert.equal(out.join(""), "event: endpoint\ndata: /message?sessionId=s\n\nevent: message\ndata: {}\n\n");
  assert.equal(r.flush(), null);
});
