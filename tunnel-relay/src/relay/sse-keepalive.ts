import type { ServerResponse } from "node:http";

/**
 * Load balancers cut connections idle for 60 s (ALB) to ~5 min (Cloudflare), which kills quiet
 * MCP SSE streams. After `idleMs` without bytes we send an SSE comment line (`:`), which clients
 * ignore, but only on an event boundary so we never split an event the server is still writing.
 */
export class SseKeepAlive {
  private timer: NodeJS.Timeout | undefined;
  private atEventBoundary = true;

  constructor(
    private readonly res: ServerResponse,
    private readonly idleMs: number,
  ) {
    this.arm();
  }

  /** Call with every chunk written to the client. */
  sawBytes(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const tail = chunk.subarray(-2).toString("latin1");
    this.atEventBoundary = tail === "\n\n" || chunk.subarray(-4).toString("latin1") === "\r\n\r\n";
    this.arm();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.res.destroyed || this.res.writableEnded) return;
      if (this.atEventBoundary) this.res.write(":\n\n");
      this.arm();
    }, this.idleMs);
    this.timer.unref();
  }
}
