import { FRAME_HEADER_SIZE, type FrameType } from "./frame";

/**
 * Frames queued for one WebSocket message. Payloads are kept by reference and copied exactly
 * once, into the message buffer, when the batch is taken: encoding each frame on its own and then
 * concatenating the batch copied every body byte twice on the sending side.
 * The caller must not modify a payload after adding it (the data path never does: chunks read
 * from sockets are not reused).
 */
export class FrameBatch {
  private types: number[] = [];
  private flags: number[] = [];
  private streamIds: number[] = [];
  private payloads: Uint8Array[] = [];
  private size = 0;

  /** Encoded size of the batch so far. */
  get bytes(): number {
    return this.size;
  }

  get isEmpty(): boolean {
    return this.payloads.length === 0;
  }

  /** Queues one frame; returns its encoded size. */
  add(type: FrameType, flags: number, streamId: number, payload: Uint8Array): number {
    this.types.push(type);
    this.flags.push(flags);
    this.streamIds.push(streamId);
    this.payloads.push(payload);
    const size = FRAME_HEADER_SIZE + payload.byteLength;
    this.size += size;
    return size;
  }

  /** The batch as one buffer of back-to-back frames; the batch is empty afterwards. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.size);
    let offset = 0;
    for (let i = 0; i < this.payloads.length; i++) {
      const payload = this.payloads[i]!;
      out[offset] = this.types[i]!;
      out[offset + 1] = this.flags[i]!;
      out.writeUInt32BE(this.streamIds[i]!, offset + 2);
      out.writeUInt32BE(payload.byteLength, offset + 6);
      out.set(payload, offset + FRAME_HEADER_SIZE);
      offset += FRAME_HEADER_SIZE + payload.byteLength;
    }
    this.types = [];
    this.flags = [];
    this.streamIds = [];
    this.payloads = [];
    this.size = 0;
    return out;
  }
}
