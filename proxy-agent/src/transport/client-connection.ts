import { STATUS_CODES } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { ClientProtocolError, MAX_REQUEST_HEAD_BYTES, parseRequestHead, type ClientRequestHead } from "./client-request-head";
import { UpstreamResponseParser } from "./upstream-response-parser";

/**
 * The proxy's HTTP/1.1 server side, on plain sockets. Node's `http` server costs more per call than
 * everything else the proxy does (an IncomingMessage stream, a ServerResponse, header objects, a
 * few ticks per request); a forwarder needs none of it: the request head is parsed once, a small body
 * arrives with it and is handed over whole, and what the relay writes in one turn leaves in one write.
 * One request at a time per connection: pipelined requests wait, held, until the response ends.
 */

/** What a request's body is: none, complete (small, length-delimited), or streamed through `onData`/`onEnd`. */
export type ClientRequestBody = Buffer | null | "stream";

export type ClientRequestHandler = (req: ClientRequest, res: ClientResponse) => void;

/** Bodies up to this size with a Content-Length are gathered and handed over whole. */
const SMALL_BODY_BYTES = 64 * 1024;
/** Pipelined bytes held while a response is in flight before the socket stops being read. */
const MAX_HELD_BYTES = 64 * 1024;
/** Idle keep-alive connections (and heads that never complete) are closed after this; node's server uses 65 s too. */
const KEEP_ALIVE_MS = 65_000;
const SWEEP_INTERVAL_MS = 5_000;
/** How long a head waits for body bytes to leave with it (an SSE answer's first event) before it goes alone. */
const HEAD_HOLD_MS = 10;
/** Below this, queued pieces are copied into one buffer (one write); above, they go as one writev. */
const COALESCE_BYTES = 16 * 1024;

const HEAD_END = Buffer.from("\r\n\r\n");
const CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n";
const LAST_CHUNK = "0\r\n\r\n";

export class ClientRequest {
  /** Set by the handler for a streamed body. */
  onData: ((chunk: Buffer) => void) | null = null;
  onEnd: (() => void) | null = null;

  constructor(
    readonly head: ClientRequestHead,
    readonly remoteAddress: string,
    readonly body: ClientRequestBody,
    private readonly connection: ClientConnection,
  ) {}

  /** Stops reading the body (the upstream cannot take more yet). */
  pause(): void {
    this.connection.socket.pause();
  }

  resume(): void {
    this.connection.socket.resume();
  }
}

/** How the response body is framed for the client. */
export type ClientBodyFraming = "none" | "length" | "chunked";

/** One response; calls after it finished (or after the client left) do nothing. */
export class ClientResponse {
  headersSent = false;
  finished = false;
  /** The client went away before the response finished. */
  onClose: (() => void) | null = null;
  /** The client's socket drained after `write` returned false. */
  onDrain: (() => void) | null = null;
  private chunked = false;

  constructor(
    private readonly connection: ClientConnection,
    /** HTTP/1.0 clients get close-delimited bodies instead of chunked ones. */
    private readonly http10: boolean,
    private readonly keepAlive: boolean,
  ) {}

  /**
   * Queues the status line and `headerLines` ("Name: value\r\n" each; Content-Length among them for
   * "length" framing). `hold`: wait briefly for body bytes to leave in the same write.
   */
  writeHead(status: number, headerLines: string, framing: ClientBodyFraming, hold = false): void {
    if (this.headersSent || this.finished) return;
    this.headersSent = true;
    let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Unknown"}\r\n${headerLines}`;
    if (framing === "chunked") {
      if (this.http10) this.connection.closeAfterResponse();
      else {
        this.chunked = true;
        head += "Transfer-Encoding: chunked\r\n";
      }
    }
    if (!this.keepAlive || this.connection.closing) head += "Connection: close\r\n";
    this.connection.queue(head + "\r\n", hold);
  }

  /** Queues body bytes; false when the client is not keeping up (wait for `onDrain`). */
  write(chunk: Buffer): boolean {
    if (this.finished || chunk.length === 0) return true;
    const connection = this.connection;
    if (this.chunked) {
      connection.queue(`${chunk.length.toString(16)}\r\n`, false);
      connection.queue(chunk, false);
      connection.queue("\r\n", false);
    } else connection.queue(chunk, false);
    return !connection.socket.writableNeedDrain;
  }

  /** A complete response with a small body (the proxy's own answers: 401, 502). */
  send(status: number, headerLines: string, body: string): void {
    this.writeHead(status, `${headerLines}Content-Length: ${Buffer.byteLength(body)}\r\n`, "length");
    if (body !== "") this.write(Buffer.from(body));
    this.end();
  }

  end(): void {
    if (this.finished) return;
    if (this.chunked) this.connection.queue(LAST_CHUNK, false);
    this.finished = true;
    this.connection.responseEnded(this);
  }

  /** Ends the response abruptly (the upstream failed mid-body): the client sees an incomplete message. */
  destroy(): void {
    if (this.finished) return;
    this.finished = true;
    this.connection.socket.destroy();
  }

  /** @internal The connection closed under this response. */
  clientGone(): void {
    if (this.finished) return;
    this.finished = true;
    this.onClose?.();
  }
}

const enum Phase {
  /** Reading a request head. */
  Head,
  /** Gathering a small length-delimited body before handing the request over. */
  GatherBody,
  /** Handing body bytes to the handler as they arrive. */
  StreamBody,
  /** The request is complete; its response is in flight. Anything that arrives is held. */
  Responding,
  Closed,
}

class ClientConnection {
  private phase = Phase.Head;
  /** Received bytes not yet parsed: a partial head, or pipelined requests waiting for the response. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private head: ClientRequestHead | null = null;
  private request: ClientRequest | null = null;
  private response: ClientResponse | null = null;
  private requestComplete = false;
  private bodyRemaining = 0;
  private bodyParts: Buffer[] = [];
  private chunkDecoder: UpstreamResponseParser | null = null;
  /** Queued output, written together at the end of the current turn. */
  private out: (string | Buffer)[] = [];
  private outBytes = 0;
  private flushScheduled = false;
  private holdTimer: NodeJS.Timeout | null = null;
  private headHeld = false;
  closing = false;
  lastActive = performance.now();
  private readonly remoteAddress: string;

  constructor(
    readonly socket: Socket,
    private readonly handler: ClientRequestHandler,
    private readonly forget: (connection: ClientConnection) => void,
    private readonly handlerFailed: (err: unknown) => void,
  ) {
    this.remoteAddress = socket.remoteAddress ?? "unknown";
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => this.onEnd());
    socket.on("error", () => {});
    socket.on("close", () => this.onClose());
    socket.on("drain", () => this.response?.onDrain?.());
  }

  /** Closes the connection if it has sat between requests past the keep-alive time. */
  sweep(now: number): void {
    if ((this.phase === Phase.Head || this.phase === Phase.GatherBody) && this.response === null && now - this.lastActive > KEEP_ALIVE_MS) this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    if (this.phase === Phase.Responding || this.phase === Phase.Closed) return this.hold(chunk, 0);
    this.consume(chunk);
  }

  private consume(chunk: Buffer): void {
    let i = 0;
    try {
      while (i < chunk.length) {
        switch (this.phase) {
          case Phase.Head:
            i = this.readHead(chunk, i);
            break;
          case Phase.GatherBody:
            i = this.gatherBody(chunk, i);
            break;
          case Phase.StreamBody:
            i = this.streamBody(chunk, i);
            break;
          case Phase.Responding:
            return this.hold(chunk, i);
          case Phase.Closed:
            return;
        }
      }
    } catch (err) {
      this.protocolError(err);
    }
  }

  private hold(chunk: Buffer, from: number): void {
    if (from >= chunk.length || this.phase === Phase.Closed) return;
    const part = from === 0 ? chunk : chunk.subarray(from);
    this.held.push(part);
    this.heldBytes += part.length;
    if (this.phase === Phase.Head && this.heldBytes > MAX_REQUEST_HEAD_BYTES) throw new ClientProtocolError(431, "request head too large");
    if (this.heldBytes > MAX_HELD_BYTES) this.socket.pause();
  }

  private readHead(chunk: Buffer, start: number): number {
    if (this.held.length === 0) {
      // Blank lines before a request line are ignored (RFC 9112 §2.2).
      while (start < chunk.length && (chunk[start] === 13 || chunk[start] === 10)) start++;
      const end = chunk.indexOf(HEAD_END, start);
      if (end === -1) {
        this.hold(chunk, start);
        return chunk.length;
      }
      if (end - start > MAX_REQUEST_HEAD_BYTES) throw new ClientProtocolError(431, "request head too large");
      return this.startRequest(parseRequestHead(chunk.toString("latin1", start, end)), chunk, end + 4);
    }
    // The head straddles chunks.
    const heldBytes = this.heldBytes;
    const buffer = Buffer.concat([...this.held, start === 0 ? chunk : chunk.subarray(start)]);
    this.held = [];
    this.heldBytes = 0;
    const end = buffer.indexOf(HEAD_END, Math.max(0, heldBytes - 3));
    if (end === -1) {
      this.hold(buffer, 0);
      return chunk.length;
    }
    if (end > MAX_REQUEST_HEAD_BYTES) throw new ClientProtocolError(431, "request head too large");
    const head = parseRequestHead(buffer.toString("latin1", 0, end));
    // Continue in `buffer` (it holds the rest of `chunk` too), then tell the caller the chunk is used up.
    const rest = this.startRequest(head, buffer, end + 4);
    if (rest < buffer.length) this.consumeLater(buffer.subarray(rest));
    return chunk.length;
  }

  /** A parsed head: dispatch at once (no body, a small body already here, a streamed body) or gather first. */
  private startRequest(head: ClientRequestHead, chunk: Buffer, at: number): number {
    this.head = head;
    this.requestComplete = false;
    if (!head.keepAlive) this.closing = true;
    const length = head.contentLength;
    if (!head.chunked && length <= 0) {
      this.requestComplete = true;
      this.dispatch(null);
      return at;
    }
    if (head.expectContinue) this.queue(CONTINUE, false);
    if (!head.chunked && length <= SMALL_BODY_BYTES) {
      if (chunk.length - at >= length) {
        this.requestComplete = true;
        this.dispatch(chunk.subarray(at, at + length));
        return at + length;
      }
      this.phase = Phase.GatherBody;
      this.bodyRemaining = length;
      this.bodyParts = [];
      return at;
    }
    this.bodyRemaining = length;
    this.chunkDecoder = head.chunked
      ? UpstreamResponseParser.chunkedBody({ onHead: () => {}, onBody: (slice) => this.request?.onData?.(slice), onEnd: () => this.bodyEnded() })
      : null;
    this.phase = Phase.StreamBody;
    this.dispatch("stream");
    return at;
  }

  private gatherBody(chunk: Buffer, start: number): number {
    const take = Math.min(this.bodyRemaining, chunk.length - start);
    this.bodyParts.push(chunk.subarray(start, start + take));
    this.bodyRemaining -= take;
    if (this.bodyRemaining === 0) {
      const parts = this.bodyParts;
      this.bodyParts = [];
      this.requestComplete = true;
      this.dispatch(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    }
    return start + take;
  }

  private streamBody(chunk: Buffer, start: number): number {
    if (this.chunkDecoder !== null) {
      const used = this.chunkDecoder.push(start === 0 ? chunk : chunk.subarray(start));
      return start + used;
    }
    const take = Math.min(this.bodyRemaining, chunk.length - start);
    this.bodyRemaining -= take;
    this.request?.onData?.(start === 0 && take === chunk.length ? chunk : chunk.subarray(start, start + take));
    if (this.bodyRemaining === 0) this.bodyEnded();
    return start + take;
  }

  private bodyEnded(): void {
    this.chunkDecoder = null;
    this.requestComplete = true;
    // An answer that came before the whole body has closed the connection already (see responseEnded).
    if (this.phase !== Phase.Closed) this.phase = Phase.Responding;
    this.request?.onEnd?.();
  }

  private dispatch(body: ClientRequestBody): void {
    const head = this.head!;
    if (body !== "stream") this.phase = Phase.Responding;
    const request = new ClientRequest(head, this.remoteAddress, body, this);
    const response = new ClientResponse(this, head.http10, head.keepAlive);
    this.request = request;
    this.response = response;
    try {
      this.handler(request, response);
    } catch (err) {
      // A handler bug must not leave the client waiting forever, nor go unnoticed.
      this.socket.destroy();
      this.handlerFailed(err);
    }
  }

  /** A request the proxy cannot read: answer it (when nothing else is on the way) and close. */
  private protocolError(err: unknown): void {
    if (this.phase === Phase.Closed) return;
    if (this.response !== null || !(err instanceof ClientProtocolError)) {
      this.socket.destroy();
      return;
    }
    const body = `${err.message}\n`;
    this.queue(`HTTP/1.1 ${err.status} ${STATUS_CODES[err.status]}\r\nContent-Type: text/plain\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`, false);
    this.flush();
    this.phase = Phase.Closed;
    this.socket.end();
  }

  /** The next request may follow unless this one asked to close. */
  closeAfterResponse(): void {
    this.closing = true;
  }

  /** @internal From ClientResponse.end. */
  responseEnded(response: ClientResponse): void {
    if (response !== this.response) return;
    this.flush();
    this.response = null;
    this.request = null;
    this.lastActive = performance.now();
    // A body still arriving after its answer: the connection's framing is past saving cheaply.
    if (!this.requestComplete || this.closing) {
      this.phase = Phase.Closed;
      this.socket.end();
      return;
    }
    this.nextRequest();
  }

  private nextRequest(): void {
    this.phase = Phase.Head;
    this.head = null;
    if (this.held.length === 0) return;
    const held = this.held.length === 1 ? this.held[0]! : Buffer.concat(this.held);
    this.held = [];
    this.heldBytes = 0;
    if (this.socket.isPaused()) this.socket.resume();
    this.consumeLater(held);
  }

  /** Parses held bytes after the current call stack (a response may end from inside a handler). */
  private consumeLater(bytes: Buffer): void {
    queueMicrotask(() => {
      if (this.phase === Phase.Responding || this.phase === Phase.Closed) this.hold(bytes, 0);
      else this.consume(bytes);
    });
  }

  /** @internal Output for the client, written at the end of the current turn (or when the head hold expires). */
  queue(piece: string | Buffer, holdHead: boolean): void {
    this.out.push(piece);
    this.outBytes += piece.length;
    if (holdHead) {
      this.headHeld = true;
      this.holdTimer = setTimeout(() => {
        this.holdTimer = null;
        this.headHeld = false;
        this.flush();
      }, HEAD_HOLD_MS);
      return;
    }
    this.headHeld = false;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(this.flushTask);
    }
  }

  private readonly flushTask = () => {
    this.flushScheduled = false;
    if (!this.headHeld) this.flush();
  };

  private flush(): void {
    if (this.holdTimer !== null) {
      clearTimeout(this.holdTimer);
      this.holdTimer = null;
      this.headHeld = false;
    }
    const out = this.out;
    if (out.length === 0) return;
    this.out = [];
    const total = this.outBytes;
    this.outBytes = 0;
    const socket = this.socket;
    if (socket.destroyed) return;
    if (out.length === 1) {
      const only = out[0]!;
      socket.write(only, typeof only === "string" ? "latin1" : undefined);
      return;
    }
    if (total <= COALESCE_BYTES) {
      const buffer = Buffer.allocUnsafe(total);
      let at = 0;
      for (const piece of out) at += typeof piece === "string" ? buffer.write(piece, at, "latin1") : piece.copy(buffer, at);
      socket.write(buffer);
      return;
    }
    socket.cork();
    for (const piece of out) socket.write(piece, typeof piece === "string" ? "latin1" : undefined);
    socket.uncork();
  }

  private onEnd(): void {
    // Like node's server (httpAllowHalfOpen off): a client that stops sending has gone; a stream in flight is abandoned.
    this.socket.destroy();
  }

  private onClose(): void {
    this.phase = Phase.Closed;
    if (this.holdTimer !== null) clearTimeout(this.holdTimer);
    this.forget(this);
    const response = this.response;
    this.response = null;
    this.request = null;
    response?.clientGone();
  }
}

/** A listening socket server whose connections speak HTTP/1.1 to `handler`. */
export class ClientServer {
  readonly server: Server;
  private readonly connections = new Set<ClientConnection>();
  private readonly sweeper: NodeJS.Timeout;

  /** `handlerFailed`: told of an exception thrown by `handler` (its connection is closed). */
  constructor(handler: ClientRequestHandler, handlerFailed: (err: unknown) => void) {
    const forget = (connection: ClientConnection) => this.connections.delete(connection);
    this.server = createServer({ allowHalfOpen: true }, (socket) => this.connections.add(new ClientConnection(socket, handler, forget, handlerFailed)));
    this.sweeper = setInterval(() => {
      const now = performance.now();
      for (const connection of this.connections) connection.sweep(now);
    }, SWEEP_INTERVAL_MS).unref();
  }

  /** Stops accepting and drops open connections (SSE streams would otherwise keep `close` waiting). */
  close(): Promise<void> {
    clearInterval(this.sweeper);
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const connection of this.connections) connection.socket.destroy();
    });
  }
}
