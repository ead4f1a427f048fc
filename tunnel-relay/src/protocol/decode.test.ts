import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { FrameDecoder } from "./decode";
import { encodeFrame } from "./encode";
import { FRAME_HEADER_SIZE, FrameType, type Frame } from "./frame";
import { ProtocolError } from "./errors";

function sampleFrames(): Frame[] {
  return [
    { type: FrameType.Open, flags: 0, streamId: 2, payload: Buffer.from('{"method":"GET"}') },
    { type: FrameType.Data, flags: 0, streamId: 2, payload: randomBytes(70_000) },
    { type: FrameType.End, flags: 0, streamId: 2, payload: new Uint8Array(0) },
    { type: FrameType.Ping, flags: 1, streamId: 0, payload: randomBytes(8) },
    { type: FrameType.Window, flags: 0, streamId: 4294967295, payload: Buffer.from([0, 1, 0, 0]) },
  ];
}

function assertSame(actual: Frame[], expected: Frame[]): void {
  assert.equal(actual.length, expected.length);
  actual.forEach((frame, i) => {
    const want = expected[i]!;
    assert.equal(frame.type, want.type);
    assert.equal(frame.flags, want.flags);
    assert.equal(frame.streamId, want.streamId);
    assert.ok(Buffer.from(frame.payload).equals(Buffer.from(want.payload)), `payload of frame ${i}`);
  });
}

test("decodes frames delivered one per chunk", () => {
  const frames = sampleFrames();
  const decoder = new FrameDecoder(1 << 20);
  assertSame(frames.flatMap((f) => decoder.push(encodeFrame(f))), frames);
});

test("decodes several frames arriving in one chunk", () => {
  const frames = sampleFrames();
  const decoder = new FrameDecoder(1 << 20);
  assertSame(decoder.push(Buffer.concat(frames.map(encodeFrame))), frames);
  assert.equal(decoder.bufferedBytes, 0);
});

test("decodes frames fed one byte at a time across header boundaries", () => {
  const frames = sampleFrames().filter((f) => f.payload.byteLength < 100);
  const bytes = Buffer.concat(frames.map(encodeFrame));
  const decoder = new FrameDecoder(1 << 20);
  const out: Frame[] = [];
  for (const byte of bytes) out.push(...decoder.push(Buffer.from([byte])));
  assertSame(out, frames);
});

test("decodes frames fed in random chunk sizes", () => {
  for (let round = 0; round < 50; round++) {
    const frames = sampleFrames();
    const bytes = Buffer.concat(frames.map(encodeFrame));
    const decoder = new FrameDecoder(1 << 20);
    const out: Frame[] = [];
    let offset = 0;
    while (offset < bytes.length) {
      const size = 1 + Math.floor(Math.random() * 20_000);
      out.push(...decoder.push(bytes.subarray(offset, offset + size)));
      offset += size;
    }
    assertSame(out, frames);
  }
});

test("an incomplete frame is kept until its last byte arrives", () => {
  const frame = sampleFrames()[1]!;
  const bytes = encodeFrame(frame);
  const decoder = new FrameDecoder(1 << 20);
  assert.deepEqual(decoder.push(bytes.subarray(0, FRAME_HEADER_SIZE + 5)), []);
  assert.equal(decoder.bufferedBytes, FRAME_HEADER_SIZE + 5);
  assertSame(decoder.push(bytes.subarray(FRAME_HEADER_SIZE + 5)), [frame]);
});

test("rejects a frame larger than the limit as soon as its header is seen", () => {
  const decoder = new FrameDecoder(1024);
  const header = encodeFrame({ type: FrameType.Data, flags: 0, streamId: 1, payload: new Uint8Array(2048) }).subarray(0, FRAME_HEADER_SIZE);
  assert.throws(() => decoder.push(header), (e: unknown) => e instanceof ProtocolError && e.code === "frame_too_large");
});

test("rejects an unknown frame type", () => {
  const decoder = new FrameDecoder(1024);
  const bytes = encodeFrame({ type: 200 as FrameType, flags: 0, streamId: 1, payload: new Uint8Array(0) });
  assert.throws(() => decoder.push(bytes), (e: unknown) => e instanceof ProtocolError && e.code === "protocol_error");
});
