/**
 * Path mode only: the legacy MCP HTTP+SSE transport announces its POST URL in a first
 * `event: endpoint` whose data is usually an absolute path (`/message?sessionId=…`). Behind
 * `/t/<name>/` that path must gain the prefix, or the client posts to the relay's root.
 * Only the first event is examined; everything after it passes through untouched and unbuffered.
 */
export class SseEndpointRewriter {
  private pending = "";
  private done = false;

  constructor(private readonly prefix: string) {}

  /** Returns the bytes to send now (possibly empty while the first event is incomplete). */
  push(chunk: Buffer): Buffer {
    if (this.done) return chunk;
    this.pending += chunk.toString("utf8");
    const boundary = /\r?\n\r?\n/.exec(this.pending);
    if (!boundary) {
      // Not an endpoint event after all, or a peculiar server: stop holding bytes back.
      if (this.pending.length > 16 * 1024) return this.flush(this.pending);
      return Buffer.alloc(0);
    }
    const end = boundary.index + boundary[0].length;
    return this.flush(this.rewriteEvent(this.pending.slice(0, end)) + this.pending.slice(end));
  }

  private flush(text: string): Buffer {
    this.done = true;
    this.pending = "";
    return Buffer.from(text, "utf8");
  }

  private rewriteEvent(event: string): string {
    if (!/^event:\s*endpoint\s*$/m.test(event)) return event;
    return event.replace(/^data:\s?(\/[^\r\n]*)$/m, (_line, path: string) => (path.startsWith(this.prefix + "/") ? `data: ${path}` : `data: ${this.prefix}${path}`));
  }
}
