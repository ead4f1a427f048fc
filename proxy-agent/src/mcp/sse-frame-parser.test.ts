import { test } from "node:test";
import assert from "node:assert/strict";
import { SseFrameParser, type SseEvent } from "./sse-frame-parser";

function parseInChunks(stream: string, cut: (text: Buffer) => Buffer[], maxDataBytes = 1 << 20): Array<[string, string | null]> {
  const events: Array<[string, string | null]> = [];
  const parser = new SseFrameParser((e: SseEvent) => events.push([e.type, e.data.text()]), maxDataBytes);
  for (const chunk of cut(Buffer.from(stream))) parser.push(chunk);
  parser.end();
  return events;
}

const whole = (b: Buffer) => [b];
const bytewise = (b: Buffer) => Array.from(b, (_, i) => b.subarray(i, i + 1));

/** Deterministic pseudo-random cut points, so a failure can be replayed. */
function randomCuts(seed: number) {
  return (b: Buffer) => {
    let s = seed;
    const out: Buffer[] = [];
    let i = 0;
    while (i < b.length) {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      const n = 1 + (s % 17);
      out.push(b.subarray(i, i + n));
      i += n;
    }
    return out;
  };
}

const STREAM =
  ": keep-alive comment\n\n" +
  "id: 1\nevent: endpoint\ndata: /message?sessionId=abc\n\n" +
  'event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{"text":"héllo ✓"}}\n\n' +
  'data: {"a":\ndata: 1}\n\n' +
  "retry: 1000\nid: 2\ndata:\n\n" +
  'data:{"no":"space"}\r\n\r\n' +
  'data: {"cr":"only"}\r\r' +
  "data: incomplete at end of stream";

const EXPECTED: Array<[string, string | null]> = [
  ["endpoint", "/message?sessionId=abc"],
  ["message", '{"jsonrpc":"2.0","id":1,"result":{"text":"héllo ✓"}}'],
  ["message", '{"a":\n1}'],
  ["message", ""],
  ["message", '{"no":"space"}'],
  ["message", '{"cr":"only"}'],
];

test("events are the same whether the stream arrives whole, byte by byte or in random chunks", () => {
  assert.deepEqual(parseInChunks(STREAM, whole), EXPECTED);
  assert.deepEqual(parseInChunks(STREAM, bytewise), EXPECTED);
  for (let seed = 1; seed <= 200; seed++) assert.deepEqual(parseInChunks(STREAM, randomCuts(seed)), EXPECTED, `seed ${seed}`);
});

test("several events in one chunk are all delivered, in order", () => {
  const many = Array.from({ length: 50 }, (_, i) => `data: ${i}\n\n`).join("");
  assert.deepEqual(
    parseInChunks(many, whole).map((e) => e[1]),
    Array.from({ length: 50 }, (_, i) => String(i)),
  );
});

test("an event larger than the tap limit is delivered without its text and the next event still parses", () => {
  const big = "x".repeat(10_000);
  const events = parseInChunks(`data: ${big}\n\ndata: small\n\n`, randomCuts(7), 1000);
  assert.deepEqual(events, [
    ["message", null],
    ["message", "small"],
  ]);
});
