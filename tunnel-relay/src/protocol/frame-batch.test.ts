import { test } from "node:test";
import assert from "node:assert/strict";
import { FrameBatch } from "./frame-batch";
import { FrameDecoder } from "./decode";
import { encodeFrame } from "./encode";
import { FrameType } from "./frame";

test("a batch is the frames back to back, byte for byte what encoding each one gives", () => {
  const batch = new FrameBatch();
  const frames = [
    { type: FrameType.Open, flags: 0, streamId: 2, payload: Buffer.from('{"method":"GET"}') },
    { type: FrameType.Data, flags: 0, streamId: 2, payload: Buffer.alloc(70_000, 7) },
    { type: FrameType.End, flags: 0, streamId: 2, payload: new Uint8Array(0) },
  ];
  for (const f of frames) batch.add(f.type, f.flags, f.streamId, f.payload);
  assert.equal(batch.bytes, 10 * 3 + 16 + 70_000);
  const message = batch.take();
  assert.deepEqual(message, Buffer.concat(frames.map(encodeFrame)));
  assert.ok(batch.isEmpty);
  assert.equal(batch.bytes, 0);
  const decoded = new FrameDecoder(256 * 1024).push(message);
  assert.deepEqual(
    decoded.map((f) => [f.type, f.streamId, Buffer.from(f.payload).equals(frames[decoded.indexOf(f)]!.payload)]),
    frames.map((f) => [f.type, f.streamId, true]),
  );
});

test("the decoder hands out a big body payload as a view, and copies a small one so it cannot pin the message", () => {
  const batch = new FrameBatch();
  batch.add(FrameType.Headers, 0, 2, Buffer.from('{"status":200,"headers":[]}'));
  batch.add(FrameType.Data, 0, 2, Buffer.alloc(64 * 1024, 1));
  const message = batch.take();
  const [head, body] = new FrameDecoder(256 * 1024).push(message);
  assert.notEqual(head!.payload.buffer, message.buffer, "small payload copied");
  assert.equal(body!.payload.buffer, message.buffer, "body payload shares the message's memory");
});
