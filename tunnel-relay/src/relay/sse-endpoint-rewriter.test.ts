import { test } from "node:test";
import assert from "node:assert/strict";
import { SseEndpointRewriter } from "./sse-endpoint-rewriter";

function feed(rewriter: SseEndpointRewriter, pieces: string[]): string {
  return pieces.map((p) => rewriter.push(Buffer.from(p)).toString()).join("");
}

test("prefixes an absolute endpoint path, even when the event arrives in pieces", () => {
  const out = feed(new SseEndpointRewriter("/t/app"), ["event: endp", "oint\ndata: /message?sessionId=1", "\n\nevent: message\ndata: {}\n\n"]);
  assert.equal(out, "event: endpoint\ndata: /t/app/message?sessionId=1\n\nevent: message\ndata: {}\n\n");
});

test("leaves other first events, absolute URLs and later events alone", () => {
  assert.equal(feed(new SseEndpointRewriter("/t/app"), ["event: message\ndata: /x\n\n"]), "event: message\ndata: /x\n\n");
  assert.equal(feed(new SseEndpointRewriter("/t/app"), ["event: endpoint\ndata: http://h/message\n\n"]), "event: endpoint\ndata: http://h/message\n\n");
  assert.equal(feed(new SseEndpointRewriter("/t/app"), ["event: endpoint\ndata: /t/app/message\n\n"]), "event: endpoint\ndata: /t/app/message\n\n");
  const r = new SseEndpointRewriter("/t/app");
  feed(r, ["data: a\n\n"]);
  assert.equal(feed(r, ["event: endpoint\ndata: /m\n\n"]), "event: endpoint\ndata: /m\n\n");
});
