/** How much of an oversized message is kept at each end so its id and method can still be sniffed. */
export const SNIFF_HEAD_BYTES = 512;
export const SNIFF_TAIL_BYTES = 256;

/**
 * The tap's copy of one message (an HTTP body, an SSE event's data, a stdio line), collected
 * chunk by chunk. Chunks are referenced, not copied, until `text()` joins them. Past `limit`
 * bytes the copy stops growing: only a head and a tail are kept, enough to sniff the id.
 */
export class MessageCapture {
  bytes = 0;
  private chunks: Buffer[] = [];
  private head: Buffer | null = null;
  private tail: Buffer | null = null;

  constructor(private readonly limit: number) {}

  get oversized(): boolean {
    return this.bytes > this.limit;
  }

  append(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.bytes <= this.limit) {
      this.chunks.push(chunk);
      return;
    }
    if (this.head === null) {
      // First overflow: everything so far plus this chunk yields the head; from now on only the tail moves.
      this.chunks.push(chunk);
      const all = Buffer.concat(this.chunks);
      this.chunks = [];
      this.head = Buffer.from(all.subarray(0, SNIFF_HEAD_BYTES));
      this.tail = Buffer.from(all.subarray(-SNIFF_TAIL_BYTES));
      return;
    }
    this.tail = keepTail(this.tail, chunk);
  }

  /** The whole message as UTF-8, or null when it was too large to keep. */
  text(): string | null {
    if (this.oversized) return null;
    if (this.chunks.length === 1) return this.chunks[0]!.toString("utf8");
    return Buffer.concat(this.chunks).toString("utf8");
  }

  /** Both ends of a message: the whole text when it fit, else the kept head and tail. */
  ends(): { head: string; tail: string } {
    if (!this.oversized) {
      const all = this.text() ?? "";
      return { head: all, tail: all };
    }
    return { head: this.head?.toString("utf8") ?? "", tail: this.tail?.toString("utf8") ?? "" };
  }
}

function keepTail(previous: Buffer | null, chunk: Buffer): Buffer {
  if (chunk.length >= SNIFF_TAIL_BYTES || previous === null) return Buffer.from(chunk.subarray(-SNIFF_TAIL_BYTES));
  return Buffer.concat([previous, chunk]).subarray(-SNIFF_TAIL_BYTES);
}
