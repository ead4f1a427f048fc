import { FRAME_HEADER_SIZE, type Frame } from "./frame";

export function encodeFrame(frame: Frame): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER_SIZE + frame.payload.byteLength);
  out.writeUInt8(frame.type, 0);
  out.writeUInt8(frame.flags, 1);
  out.writeUInt32BE(frame.streamId, 2);
  out.writeUInt32BE(frame.payload.byteLength, 6);
  out.set(frame.payload, FRAME_HEADER_SIZE);
  return out;
}

export function encodeWindowIncrement(increment: number): Uint8Array {
  const payload = Buffer.allocUnsafe(4);
  payload.writeUInt32BE(increment, 0);
  return payload;
}

export function decodeWindowIncrement(payload: Uint8Array): number {
  return Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).readUInt32BE(0);
}
