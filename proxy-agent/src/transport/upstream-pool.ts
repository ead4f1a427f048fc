import { connect as netConnect, isIP, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { connect as tlsConnect, type ConnectionOptions } from "node:tls";
import { UpstreamResponseParser, type ResponseHead, type ResponseParserEvents } from "./upstream-response-parser";

export type { ResponseHead } from "./upstream-response-parser";

/** What one exchange reports back, in this order: `responseStart`, `responseData`*, then `responseEnd` or `responseError` (once). */
export interface UpstreamHandler {
  responseStart(head: ResponseHead): void;
  /** A decoded body slice, a view into the socket's chunk. */
  responseData(chunk: Buffer): void;
  responseEnd(): void;
  /** Connection refused or reset, a malformed response, the upstream closing mid-body, or `abort()`. */
  responseError(err: Error): void;
  /** The request body may be written again (after `writeBody` returned false). */
  bodyDrain(): void;
}

/**
 * How the request body travels: `null` no body; a Buffer sent whole with the head; `"length"` streamed
 * as is (the client's Content-Length is among the headers); `"chunked"` streamed in chunked encoding.
 */
export type RequestBody = Buffer | null | "length" | "chunked";

export interface UpstreamPoolOptions {
  /** Idle connections older than this are not reused (the upstream's `Keep-Alive: timeout` shortens it). */
  keepAliveMs?: number;
  /** Extra TLS options (a test's CA). */
  tls?: ConnectionOptions;
}

/**
 * Upstreams commonly close idle connections after 5 s (Node's default): reuse stays well inside that, so
 * a POST (never retried) rarely meets a connection the upstream is closing.
 */
const DEFAULT_KEEP_ALIVE_MS = 4_000;
/** Kept between an upstream's announced keep-alive timeout and our last reuse, against the close race. */
const KEEP_ALIVE_MARGIN_MS = 1_000;
const MAX_IDLE_CONNECTIONS = 64;

/**
 * Keep-alive HTTP/1.1 client for one upstream origin, made for forwarding: the request head is written
 * from the client's header lines as they came (plus Host), together with a small body in one write;
 * the response head is read once, and body bytes are handed out as views of what the socket read,
 * de-framed but never copied. No timeouts on responses or idle streams (the peers decide); no cap on
 * connections (every open GET stream holds one). An idempotent request that meets an idle connection
 * the upstream has just closed is sent again on a new one.
 */
export class UpstreamPool {
  readonly host: string;
  private readonly hostname: string;
  private readonly port: number;
  private readonly secure: boolean;
  private readonly tlsOptions: ConnectionOptions | undefined;
  private readonly keepAliveMs: number;
  /** Idle connections, most recently used last. */
  private readonly idle: UpstreamConnection[] = [];
  private readonly open = new Set<UpstreamConnection>();
  private closed = false;

  constructor(origin: string, options: UpstreamPoolOptions = {}) {
    const url = new URL(origin);
    this.secure = url.protocol === "https:";
    this.host = url.host;
    this.port = Number(url.port) || (this.secure ? 443 : 80);
    this.tlsOptions = options.tls;
    this.keepAliveMs = options.keepAliveMs ?? DEFAULT_KEEP_ALIVE_MS;
    this.hostname = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  }

  /**
   * Sends a request. `headers` is the flat [name, value, …] list to send besides Host (no hop-by-hop
   * ones, validated by whoever produced them). For a streamed body, call `writeBody`/`endBody` on the result.
   */
  request(method: string, path: string, headers: readonly string[], body: RequestBody, handler: UpstreamHandler): UpstreamExchange {
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.host}\r\n`;
    for (let i = 0; i < headers.length; i += 2) head += `${headers[i]}: ${headers[i + 1]}\r\n`;
    if (body === "chunked") head += "Transfer-Encoding: chunked\r\n";
    head += "\r\n";
    const exchange = new UpstreamExchange(this, method === "HEAD", IDEMPOTENT.has(method), head, body, handler);
    // Failures reach the handler asynchronously, never from inside this call.
    if (this.closed) queueMicrotask(() => exchange.fail(new Error("upstream pool closed")));
    else this.assign(exchange, true);
    return exchange;
  }

  /** Puts an exchange on a connection: a warm idle one when allowed, else a new one. */
  assign(exchange: UpstreamExchange, mayReuse: boolean): void {
    let connection: UpstreamConnection | undefined;
    if (mayReuse) {
      const now = performance.now();
      while ((connection = this.idle.pop()) !== undefined) {
        if (now - connection.idleSince < connection.keepAliveMs && connection.usable) break;
        connection.destroy();
      }
    }
    connection ??= this.connect();
    connection.start(exchange);
  }

  /** A connection finished an exchange and may take another. */
  release(connection: UpstreamConnection): void {
    if (this.closed || this.idle.length >= MAX_IDLE_CONNECTIONS) return connection.destroy();
    connection.idleSince = performance.now();
    this.idle.push(connection);
  }

  forget(connection: UpstreamConnection): void {
    this.open.delete(connection);
    const at = this.idle.indexOf(connection);
    if (at !== -1) this.idle.splice(at, 1);
  }

  /** Closes every connection, idle or busy (streams in progress end with an error). */
  async close(): Promise<void> {
    this.closed = true;
    for (const connection of [...this.open]) connection.destroy();
    this.idle.length = 0;
  }

  private connect(): UpstreamConnection {
    const socket = this.secure
      ? tlsConnect({
          host: this.hostname,
          port: this.port,
          servername: isIP(this.hostname) === 0 ? this.hostname : undefined,
          ALPNProtocols: ["http/1.1"],
          ...this.tlsOptions,
        })
      : netConnect({ host: this.hostname, port: this.port });
    socket.setNoDelay(true);
    const connection = new UpstreamConnection(this, socket, this.keepAliveMs);
    this.open.add(connection);
    return connection;
  }
}

/** One request/response in flight; the forwarder's handle on it. */
export class UpstreamExchange implements ResponseParserEvents {
  readonly parser: UpstreamResponseParser;
  connection: UpstreamConnection | null = null;
  /** The whole request (head and body) has been handed to the socket. */
  requestSent = false;
  /** Sent on a connection that had served an earlier request (a failure before any answer may be the idle-close race). */
  reused = false;
  /** Some response bytes arrived (a retry is no longer possible). */
  answered = false;
  finished = false;
  paused = false;

  constructor(
    private readonly pool: UpstreamPool,
    headRequest: boolean,
    private readonly idempotent: boolean,
    readonly requestHead: string,
    readonly requestBody: RequestBody,
    private readonly handler: UpstreamHandler,
  ) {
    this.parser = new UpstreamResponseParser(this, headRequest);
  }

  /** Streams a piece of the request body; false when the socket's buffer is full (wait for `bodyDrain`). */
  writeBody(chunk: Buffer): boolean {
    const connection = this.connection;
    if (this.finished || connection === null || chunk.length === 0) return true;
    return connection.writeBody(chunk, this.requestBody === "chunked");
  }

  endBody(): void {
    if (this.finished) return;
    this.connection?.endBody(this.requestBody === "chunked");
  }

  /** Stops reading the response (the client cannot take more yet). */
  pause(): void {
    this.paused = true;
    this.connection?.socket.pause();
  }

  resume(): void {
    this.paused = false;
    this.connection?.socket.resume();
  }

  /** Gives up on the exchange: the connection is closed (never reused) and `responseError(err)` follows. */
  abort(err: Error): void {
    if (this.finished) return;
    const connection = this.connection;
    this.fail(err);
    connection?.destroy();
  }

  /**
   * Whether a failure before any answer may be retried on a fresh connection: an idempotent request
   * (a POST may have run before the upstream dropped the connection: a tool call must not run twice)
   * whose body is still at hand, sent on a reused connection (the upstream closing it while idle).
   */
  get replayable(): boolean {
    return this.idempotent && this.reused && !this.answered && (this.requestBody === null || Buffer.isBuffer(this.requestBody));
  }

  retry(): void {
    this.connection = null;
    this.reused = false;
    this.requestSent = false;
    this.pool.assign(this, false);
  }

  fail(err: Error): void {
    if (this.finished) return;
    this.finished = true;
    this.connection = null;
    this.handler.responseError(err);
  }

  drained(): void {
    if (!this.finished) this.handler.bodyDrain();
  }

  // ResponseParserEvents: the parser's output goes straight to the handler.
  onHead(head: ResponseHead): void {
    this.handler.responseStart(head);
  }

  onBody(slice: Buffer): void {
    this.handler.responseData(slice);
  }

  onEnd(): void {
    this.finished = true;
    const connection = this.connection;
    this.connection = null;
    connection?.exchangeDone(this);
    this.handler.responseEnd();
  }
}

/** Methods whose repetition has the effect of one request (RFC 9110 §9.2.2): safe to send again. */
const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "DELETE", "PUT"]);

const CRLF = Buffer.from("\r\n");
const LAST_CHUNK = Buffer.from("0\r\n\r\n");

/** One socket to the upstream, carrying one exchange at a time. Its listeners are attached once, not per request. */
export class UpstreamConnection {
  exchange: UpstreamExchange | null = null;
  idleSince = 0;
  /** Served at least one exchange. */
  private used = false;
  private broken = false;

  constructor(
    private readonly pool: UpstreamPool,
    readonly socket: Socket,
    public keepAliveMs: number,
  ) {
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => this.onEnd());
    socket.on("error", (err) => this.onClose(err));
    socket.on("close", () => this.onClose(null));
    socket.on("drain", () => this.exchange?.drained());
  }

  get usable(): boolean {
    return !this.broken && !this.socket.destroyed && this.socket.readyState === "open";
  }

  start(exchange: UpstreamExchange): void {
    this.exchange = exchange;
    exchange.connection = this;
    exchange.reused = this.used;
    this.used = true;
    if (exchange.paused) this.socket.pause();
    else if (this.socket.isPaused()) this.socket.resume();
    const socket = this.socket;
    const body = exchange.requestBody;
    if (Buffer.isBuffer(body)) {
      // Head and body leave in one write: one buffer (a copy of a small body is cheaper than a writev of two).
      const head = exchange.requestHead;
      const whole = Buffer.allocUnsafe(head.length + body.length);
      whole.write(head, 0, "latin1");
      body.copy(whole, head.length);
      socket.write(whole);
      exchange.requestSent = true;
    } else {
      socket.write(exchange.requestHead, "latin1");
      exchange.requestSent = body === null;
    }
  }

  writeBody(chunk: Buffer, chunked: boolean): boolean {
    const socket = this.socket;
    if (!chunked) return socket.write(chunk);
    socket.cork();
    socket.write(`${chunk.length.toString(16)}\r\n`, "latin1");
    socket.write(chunk);
    const ok = socket.write(CRLF);
    socket.uncork();
    return ok;
  }

  endBody(chunked: boolean): void {
    if (chunked) this.socket.write(LAST_CHUNK);
    if (this.exchange !== null) this.exchange.requestSent = true;
  }

  /** The response is complete: back to the pool if the connection can carry another request. */
  exchangeDone(exchange: UpstreamExchange): void {
    this.exchange = null;
    const parser = exchange.parser;
    if (!parser.keepAlive || !exchange.requestSent || this.broken) return this.destroy();
    if (parser.keepAliveHintMs !== null) this.keepAliveMs = Math.min(this.keepAliveMs, parser.keepAliveHintMs - KEEP_ALIVE_MARGIN_MS);
    if (this.keepAliveMs <= 0) return this.destroy();
    // An idle connection keeps reading, so an upstream closing it is noticed at once.
    if (this.socket.isPaused()) this.socket.resume();
    this.pool.release(this);
  }

  destroy(): void {
    this.broken = true;
    this.pool.forget(this);
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    const exchange = this.exchange;
    if (exchange === null) {
      // Bytes nobody asked for: the connection's framing cannot be trusted any more.
      return this.destroy();
    }
    exchange.answered = true;
    let used: number;
    try {
      used = exchange.parser.push(chunk);
    } catch (err) {
      this.destroy();
      return exchange.fail(err as Error);
    }
    if (used < chunk.length && !this.broken) this.destroy();
  }

  private onEnd(): void {
    const exchange = this.exchange;
    if (exchange === null) return;
    this.broken = true;
    try {
      exchange.parser.closed();
    } catch (err) {
      this.closedUnder(exchange, err as Error);
    }
  }

  private onClose(err: Error | null): void {
    this.broken = true;
    this.pool.forget(this);
    const exchange = this.exchange;
    this.exchange = null;
    if (exchange === null || exchange.finished || exchange.connection !== this) return;
    if (err === null) {
      try {
        exchange.parser.closed();
        return;
      } catch (closedErr) {
        err = closedErr as Error;
      }
    }
    this.closedUnder(exchange, err);
  }

  /** The connection went away during an exchange: retry a replayable one once on a fresh connection, else fail it. */
  private closedUnder(exchange: UpstreamExchange, err: Error): void {
    this.exchange = null;
    if (exchange.finished || exchange.connection !== this) return;
    if (!this.socket.destroyed) this.socket.destroy();
    if (exchange.replayable) return exchange.retry();
    exchange.fail(err);
  }
}
