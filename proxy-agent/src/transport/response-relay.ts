import type { ClientBodyFraming, ClientResponse } from "./client-connection";
import { clientResponseHeaders } from "./forward-headers";
import type { ResponseHead, UpstreamExchange, UpstreamHandler } from "./upstream-pool";

/** A copy of a response body for the tap: JSON captured whole, or SSE parsed event by event. */
export interface BodyTap {
  push(chunk: Buffer): void;
  end(): void;
}

/** Something that may change the bytes the client receives (the legacy `endpoint` rewrite), else null. */
export interface BodyFilter {
  push(chunk: Buffer): Buffer | null;
  flush(): Buffer | null;
}

/** What the forwarder does around one relayed response; the relay itself only moves bytes. */
export interface RelayHooks {
  /** Status and headers arrived (before anything is written to the client). */
  started(head: ResponseHead, eventStream: boolean): { tap: BodyTap | null; filter: BodyFilter | null };
  /** The upstream response ended normally. */
  ended(status: number, bytesOut: number): void;
  /**
   * The exchange failed: before a response (`status` null: connection refused, reset) or mid-body.
   * `clientGone` when the client's disconnect caused it.
   */
  failed(err: Error, status: number | null, bytesOut: number, clientGone: boolean): void;
  /** The request body may flow again (the upstream socket drained). */
  bodyDrain(): void;
}

/**
 * Streams one upstream response to the client as it arrives: backpressure both ways (a slow client
 * pauses the upstream socket), the client's disconnect aborts the upstream exchange, an upstream
 * failure mid-body ends the client's response abruptly. What arrives in one turn leaves in one write
 * (the client connection queues it); a POST's event-stream head waits briefly for its first event.
 */
export class ResponseRelay implements UpstreamHandler {
  exchange: UpstreamExchange | null = null;
  private status: number | null = null;
  private tap: BodyTap | null = null;
  private filter: BodyFilter | null = null;
  private clientGone = false;
  private bytesOut = 0;

  constructor(
    private readonly method: string,
    private readonly res: ClientResponse,
    private readonly hooks: RelayHooks,
  ) {
    res.onClose = () => {
      this.clientGone = true;
      this.exchange?.abort(new Error("client disconnected"));
    };
    res.onDrain = () => this.exchange?.resume();
  }

  /** The exchange carrying the request; aborted at once if the client already left. */
  attach(exchange: UpstreamExchange): void {
    this.exchange = exchange;
    if (this.clientGone) exchange.abort(new Error("client disconnected"));
  }

  responseStart(head: ResponseHead): void {
    this.status = head.status;
    const eventStream = head.contentType.startsWith("text/event-stream");
    const { tap, filter } = this.hooks.started(head, eventStream);
    this.tap = tap;
    this.filter = filter;
    if (this.res.finished) return this.exchange?.abort(new Error("client disconnected"));
    // The body is framed anew unless it is passed on exactly as the upstream framed it (a Content-Length body, unfiltered).
    const framing: ClientBodyFraming = head.framing === "none" ? "none" : head.framing === "length" && filter === null ? "length" : "chunked";
    const lines = clientResponseHeaders(head.rawHeaders, head.connection, eventStream, framing === "chunked");
    // A GET stream may carry nothing for hours: its head goes at once. A POST's stream usually brings its
    // first event with the head; waiting a moment for it saves a write (and a packet) per call.
    this.res.writeHead(head.status, lines, framing, eventStream && this.method !== "GET");
  }

  // The tap and the hooks run in microtasks queued after the client's write: parsing a copy of the
  // answer and recording it stay off the path to the client, and run in the order they were queued.

  responseData(chunk: Buffer): void {
    this.bytesOut += chunk.length;
    const out = this.filter === null ? chunk : this.filter.push(chunk);
    if (out !== null && !this.res.write(out)) this.exchange?.pause();
    const tap = this.tap;
    if (tap !== null) queueMicrotask(() => tap.push(chunk));
  }

  responseEnd(): void {
    const held = this.filter?.flush();
    if (held) this.res.write(held);
    this.res.end();
    const bytesOut = this.bytesOut;
    queueMicrotask(() => {
      this.tap?.end();
      this.hooks.ended(this.status!, bytesOut);
    });
  }

  responseError(err: Error): void {
    // Mid-body: end the client's response abruptly so it sees an incomplete message.
    if (this.status !== null) this.res.destroy();
    const [status, bytesOut, clientGone] = [this.status, this.bytesOut, this.clientGone];
    queueMicrotask(() => this.hooks.failed(err, status, bytesOut, clientGone));
  }

  bodyDrain(): void {
    this.hooks.bodyDrain();
  }
}
