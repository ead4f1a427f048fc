/**
 * A keep-alive HTTP/1.1 client for load generators, as lean as a load generator should be: requests
 * are written as prepared bytes (head and body in one buffer, built before the clock starts) and
 * answers are framed by Content-Length or chunked encoding, nothing more. On a 2-core machine the
 * client shares the CPU with the server under test, so every microsecond it spends is one the
 * server does not get (undici cost about four times as much per request here).
 */
import { connect, type Socket } from "node:net";

export interface RawResponse {
  status: number;
  body: string;
}

export class RawHttpConnection {
  private readonly socket: Socket;
  private buffered: Buffer = Buffer.alloc(0);
  private pending: { resolve: (r: RawResponse) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => {
      this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
      this.tryComplete();
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      this.pending?.reject(e);
      this.pending = undefined;
    };
    socket.on("error", fail);
    socket.on("close", () => fail(new Error("connection closed by the server")));
  }

  static open(url: URL): Promise<RawHttpConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect(Number(url.port || 80), url.hostname, () => resolve(new RawHttpConnection(socket)));
      socket.once("error", reject);
    });
  }

  /** Sends one prepared request (see `prepareRequest`) and resolves with its answer. One at a time. */
  send(request: Buffer): Promise<RawResponse> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(request);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private tryComplete(): void {
    if (!this.pending) return;
    const headEnd = this.buffered.indexOf("\r\n\r\n");
    if (headEnd < 0) return;
    const head = this.buffered.toString("latin1", 0, headEnd);
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    let body: string;
    let end: number;
    if (length) {
      end = headEnd + 4 + Number(length[1]);
      if (this.buffered.length < end) return;
      body = this.buffered.toString("utf8", headEnd + 4, end);
    } else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
      const parts: Buffer[] = [];
      let at = headEnd + 4;
      for (;;) {
        const lineEnd = this.buffered.indexOf("\r\n", at);
        if (lineEnd < 0) return;
        const size = parseInt(this.buffered.toString("latin1", at, lineEnd), 16);
        if (size === 0) {
          end = lineEnd + 4; // the last chunk's line, then the empty trailer line
          if (this.buffered.length < end) return;
          break;
        }
        if (this.buffered.length < lineEnd + 2 + size + 2) return;
        parts.push(this.buffered.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      body = Buffer.concat(parts).toString("utf8");
    } else {
      // This client frames answers by length only; anything else would be misread, so stop here.
      this.pending.reject(new Error(`answer without Content-Length or chunked encoding: ${head}`));
      this.pending = undefined;
      this.socket.destroy();
      return;
    }
    this.buffered = this.buffered.subarray(end);
    const { resolve } = this.pending;
    this.pending = undefined;
    resolve({ status, body });
  }
}

/** The bytes of a POST with this body, ready for `RawHttpConnection.send`. */
export function prepareRequest(url: URL, path: string, headers: Record<string, string>, body: Buffer): Buffer {
  const lines = [`POST ${path} HTTP/1.1`, `Host: ${url.host}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${body.length}`];
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"), body]);
}
