import { test } from "node:test";
import assert from "node:assert/strict";
import { UpstreamResponseParser, type ResponseHead } from "./upstream-response-parser";

interface Parsed {
  heads: ResponseHead[];
  body: string;
  ended: boolean;
  rest: number;
}

/** Feeds `wire` split at the given offsets. */
function parse(wire: string, cuts: number[] = [], headRequest = false): Parsed {
  const out: Parsed = { heads: [], body: "", ended: false, rest: 0 };
  const parser = new UpstreamResponseParser(
    {
      onHead: (h) => out.heads.push(h),
      onBody: (b) => (out.body += b.toString("latin1")),
      onEnd: () => (out.ended = true),
    },
    headRequest,
  );
  const bytes = Buffer.from(wire, "latin1");
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    const piece = bytes.subarray(from, cut);
    const used = parser.push(piece);
    out.rest += piece.length - used;
    from = cut;
  }
  return out;
}

const CHUNKED = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\nMcp-Session-Id: s1\r\n\r\n" + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";

test("a chunked body is de-framed, whatever the chunk boundaries", () => {
  const whole = parse(CHUNKED);
  assert.equal(whole.body, "hello, world");
  assert.equal(whole.ended, true);
  assert.deepEqual(whole.heads[0]!.rawHeaders, ["Content-Type", "text/event-stream", "Transfer-Encoding", "chunked", "Mcp-Session-Id", "s1"]);
  assert.deepEqual([whole.heads[0]!.status, whole.heads[0]!.contentType, whole.heads[0]!.sessionId, whole.heads[0]!.framing], [200, "text/event-stream", "s1", "chunked"]);
  for (let i = 1; i < CHUNKED.length; i++) {
    const split = parse(CHUNKED, [i]);
    assert.equal(split.body, "hello, world", `split at ${i}`);
    assert.equal(split.ended, true, `split at ${i}`);
    assert.equal(split.heads.length, 1);
  }
  const bytewise = parse(CHUNKED, Array.from({ length: CHUNKED.length - 1 }, (_, i) => i + 1));
  assert.equal(bytewise.body, "hello, world");
});

test("a Content-Length body ends at its length; what follows is not consumed", () => {
  const wire = "HTTP/1.1 201 Created\r\ncontent-length: 5\r\nKeep-Alive: timeout=5\r\n\r\nabcdeHTTP/1.1";
  const parsed = parse(wire, [10, 40]);
  assert.equal(parsed.body, "abcde");
  assert.equal(parsed.ended, true);
  assert.equal(parsed.rest, "HTTP/1.1".length);
});

test("1xx responses are skipped; 204, 304 and HEAD answers have no body", () => {
  const parsed = parse("HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  assert.deepEqual([parsed.heads.length, parsed.heads[0]!.status, parsed.body], [1, 200, "ok"]);
  assert.equal(parse("HTTP/1.1 204 No Content\r\nContent-Length: 9\r\n\r\n").ended, true);
  assert.equal(parse("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n", [], true).ended, true);
});

test("a body without length or chunking lasts until the connection closes", () => {
  let ended = false;
  let body = "";
  const parser = new UpstreamResponseParser({ onHead: () => {}, onBody: (b) => (body += b), onEnd: () => (ended = true) }, false);
  parser.push(Buffer.from("HTTP/1.0 200 OK\r\n\r\nstream"));
  assert.equal(parser.keepAlive, false);
  assert.equal(ended, false);
  parser.closed();
  assert.deepEqual([body, ended], ["stream", true]);
});

test("malformed responses and early closes are errors", () => {
  assert.throws(() => parse("SSH-2.0-OpenSSH\r\n\r\n"), /not an HTTP/);
  assert.throws(() => parse("HTTP/1.1 200 OK\r\nBad Header : x\r\n\r\n"), /whitespace/);
  assert.throws(() => parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), /chunk size/);
  assert.throws(() => parse("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n"), /Content-Length/);
  const parser = new UpstreamResponseParser({ onHead: () => {}, onBody: () => {}, onEnd: () => {} }, false);
  parser.push(Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
  assert.throws(() => parser.closed(), /mid-response/);
});

test("Connection: close and the Keep-Alive hint are noted", () => {
  const parser = new UpstreamResponseParser({ onHead: () => {}, onBody: () => {}, onEnd: () => {} }, false);
  parser.push(Buffer.from("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nKeep-Alive: timeout=5\r\nContent-Length: 0\r\n\r\n"));
  assert.deepEqual([parser.keepAlive, parser.keepAliveHintMs], [true, 5000]);
  const closing = new UpstreamResponseParser({ onHead: () => {}, onBody: () => {}, onEnd: () => {} }, false);
  closing.push(Buffer.from("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"));
  assert.equal(closing.keepAlive, false);
});
