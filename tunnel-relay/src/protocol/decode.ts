import { FRAME_HEADER_SIZE, FrameType, type Frame } from "./frame";
import { ProtocolError } from "./errors";

const KNOWN_TYPES = new Set<number>(Object.values(FrameType).filter((v): v is number => typeof v === "number"));

/**
 * A view when the payload is most of the chunk (body bytes: the common case, and most of the
 * bytes), a copy when it is a small part of it, so that a retained small payload (a header, a
 * slow reader's queued chunk) does not pin a whole received message in memory.
 */
function payloadOf(buffer: Buffer, start: number, length: number): Uint8Array {
  if (length * 8 >= buffer.length) return buffer.subarray(start, start + length);
  return Uint8Array.prototype.slice.call(buffer, start, start + length);
}

/**
 * Incremental frame decoder: push byte chunks cut anywhere, get whole frames back.
 * Keeps at most one partial frame (bounded by maxFramePayload) between calls.
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxFramePayload: number) {}

  /** Returns the frames completed by this chunk; throws ProtocolError on a malformed header. */
  push(chunk: Uint8Array): Frame[] {
    if (chunk.byteLength === 0) return [];
    this.pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.pendingBytes += chunk.byteLength;
    const frames: Frame[] = [];
    let buffer = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    let offset = 0;
    while (buffer.length - offset >= FRAME_HEADER_SIZE) {
      const type = buffer.readUInt8(offset);
      const length = buffer.readUInt32BE(offset + 6);
      if (!KNOWN_TYPES.has(type)) throw new ProtocolError("protocol_error", `unknown frame type ${type}`);
      if (length > this.maxFramePayload) {
        throw new ProtocolError("frame_too_large", `frame of ${length} bytes exceeds the ${this.maxFramePayload}-byte limit`);
      }
      if (buffer.length - offset < FRAME_HEADER_SIZE + length) break;
      const start = offset + FRAME_HEADER_SIZE;
      frames.push({
        type: type as FrameType,
        flags: buffer.readUInt8(offset + 1),
        streamId: buffer.readUInt32BE(offset + 2),
        payload: payloadOf(buffer, start, length),
      });
      offset = start + length;
    }
    buffer = buffer.subarray(offset);
    this.pending = buffer.length ? [buffer] : [];
    this.pendingBytes = buffer.length;
    return frames;
  }

  get bufferedBytes(): number {
    return this.pendingBytes;
  }
}
