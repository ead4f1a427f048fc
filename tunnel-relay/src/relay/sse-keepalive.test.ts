import { test } from "node:test";
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { SseKeepAlive } from "./sse-keepalive";

function fakeResponse(): { res: ServerResponse; written: string[] } {
  const written: string[] = [];
  const res = { destroyed: false, writableEnded: false, write: (text: string) => written.push(text) } as unknown as ServerResponse;
  return { res, written };
}

const idle = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("sends a comment after idling on an event boundary", async () => {
  const { res, written } = fakeResponse();
  const keepAlive = new SseKeepAlive(res, 30);
  keepAlive.sawBytes(Buffer.from("data: a\n\n"));
  await idle(80);
  keepAlive.stop();
  assert.ok(written.length >= 1);
  assert.ok(written.every((w) => w === ":\n\n"));
});

test("never writes into the middle of an event", async () => {
  const { res, written } = fakeResponse();
  const keepAlive = new SseKeepAlive(res, 30);
  keepAlive.sawBytes(Buffer.from("data: half of an ev"));
  await idle(80);
  keepAlive.stop();
  assert.deepEqual(written, []);
});
