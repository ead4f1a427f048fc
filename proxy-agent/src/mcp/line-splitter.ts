import { MessageCapture } from "./message-capture";

const LF = 10;

/**
 * Splits a copy of a newline-delimited JSON stream (stdio transport) into messages. A line
 * split across chunks is joined; a line longer than `maxLineBytes` is delivered oversized
 * (head and tail only). Empty lines are skipped.
 */
export class LineSplitter {
  private current: MessageCapture | null = null;

  constructor(
    private readonly onLine: (line: MessageCapture) => void,
    private readonly maxLineBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let i = 0;
    for (;;) {
      const lf = chunk.indexOf(LF, i);
      if (lf === -1) {
        if (i < chunk.length) this.take(chunk.subarray(i));
        return;
      }
      if (lf > i) this.take(chunk.subarray(i, lf));
      const line = this.current;
      this.current = null;
      if (line !== null) this.onLine(line);
      i = lf + 1;
    }
  }

  private take(part: Buffer): void {
    if (this.current === null) this.current = new MessageCapture(this.maxLineBytes);
    this.current.append(part);
  }
}
