import { MessageCapture } from "./message-capture";

export interface SseEvent {
  /** `event:` field; "message" when absent, as in the EventSource spec. */
  type: string;
  data: MessageCapture;
}

const LF = 10;
const CR = 13;
const COLON = 58;
const SPACE = 32;
const NEWLINE = Buffer.from("\n");
const DATA = Buffer.from("data");
/** Longest non-data line kept (event names, ids, retry); longer ones are ignored. */
const MAX_FIELD_LINE = 1024;

/**
 * Incremental `text/event-stream` reader for the tap: it is fed a copy of the bytes the proxy
 * forwards, in whatever chunks the network delivered, and calls `onEvent` once per complete event.
 * Data lines stream straight into a bounded `MessageCapture`, so a huge event never sits in memory
 * whole. Lines end in LF, CRLF or CR (a CRLF split across chunks is handled).
 */
export class SseFrameParser {
  private lineParts: Buffer[] = [];
  private lineBytes = 0;
  /** The current line is a `data:` line whose value streams into `data`. */
  private inDataLine = false;
  private valueStarted = false;
  private skipLeadingLf = false;
  private type: string | null = null;
  private data: MessageCapture | null = null;

  constructor(
    private readonly onEvent: (event: SseEvent) => void,
    private readonly maxDataBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let i = 0;
    if (this.skipLeadingLf) {
      this.skipLeadingLf = false;
      if (chunk[0] === LF) i = 1;
    }
    let nextCr = chunk.indexOf(CR, i);
    while (i < chunk.length) {
      const lf = chunk.indexOf(LF, i);
      if (nextCr !== -1 && nextCr < i) nextCr = chunk.indexOf(CR, i);
      const eol = nextCr === -1 ? lf : lf === -1 ? nextCr : Math.min(lf, nextCr);
      if (eol === -1) {
        this.takeLinePart(chunk.subarray(i));
        return;
      }
      if (eol > i) this.takeLinePart(chunk.subarray(i, eol));
      this.endLine();
      i = eol + 1;
      if (chunk[eol] === CR) {
        if (i === chunk.length) this.skipLeadingLf = true;
        else if (chunk[i] === LF) i++;
      }
    }
  }

  /** End of stream: an event without its terminating blank line is discarded, per the spec. */
  end(): void {
    this.lineParts = [];
    this.lineBytes = 0;
    this.inDataLine = false;
    this.type = null;
    this.data = null;
  }

  private takeLinePart(part: Buffer): void {
    if (this.inDataLine) {
      this.appendValue(part);
      return;
    }
    if (this.lineBytes > MAX_FIELD_LINE) return;
    this.lineParts.push(part);
    this.lineBytes += part.length;
    // Once a line is known to be `data:`, its value bypasses the line buffer.
    if (this.lineBytes > DATA.length) {
      const line = this.joinLine();
      if (line.indexOf(COLON) === DATA.length && line.subarray(0, DATA.length).equals(DATA)) {
        this.lineParts = [];
        this.lineBytes = 0;
        this.startDataLine();
        this.appendValue(line.subarray(DATA.length + 1));
      }
    }
  }

  private startDataLine(): void {
    this.inDataLine = true;
    this.valueStarted = false;
    if (this.data === null) this.data = new MessageCapture(this.maxDataBytes);
    else this.data.append(NEWLINE);
  }

  private appendValue(part: Buffer): void {
    if (!this.valueStarted && part.length > 0) {
      this.valueStarted = true;
      if (part[0] === SPACE) part = part.subarray(1);
    }
    if (part.length > 0) this.data!.append(part);
  }

  private endLine(): void {
    if (this.inDataLine) {
      this.inDataLine = false;
      return;
    }
    const line = this.joinLine();
    this.lineParts = [];
    this.lineBytes = 0;
    if (line.length === 0) return this.dispatch();
    if (line[0] === COLON || line.length > MAX_FIELD_LINE) return;
    const colon = line.indexOf(COLON);
    const field = (colon === -1 ? line : line.subarray(0, colon)).toString("latin1");
    let value = colon === -1 ? Buffer.alloc(0) : line.subarray(colon + 1);
    if (value[0] === SPACE) value = value.subarray(1);
    if (field === "event") this.type = value.toString("utf8");
    else if (field === "data") {
      this.startDataLine();
      this.appendValue(value);
      this.inDataLine = false;
    }
  }

  private joinLine(): Buffer {
    return this.lineParts.length === 1 ? this.lineParts[0]! : Buffer.concat(this.lineParts);
  }

  private dispatch(): void {
    const data = this.data;
    const type = this.type || "message";
    this.data = null;
    this.type = null;
    if (data !== null) this.onEvent({ type, data });
  }
}
