import type { ServerResponse } from "node:http";
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

/** How long a POST's SSE response headers may wait for the first event, to leave in the same write. */
const SSE_HEADER_GRACE_MS = 10;

/**
 * Streams one upstream response to the client as it arrives: backpressure both ways (a slow client
 * pauses the upstream socket), the client's disconnect aborts the upstream exchange, an upstream
 * failure mid-body destroys the client response.
 */
export class ResponseRelay implements UpstreamHandler {
  exchange: UpstreamExchange | null = null;
  private status: number | null = null;
  private tap: BodyTap | null = null;
  private filter: BodyFilter | null = null;
  private headerTimer: NodeJS.Timeout | null = null;
  private corked = false;
  /** A POST's event-stream head is held for its first event (see `responseStart`). */
  private awaitingFirstEvent = false;
  private clientGone = false;
  private bytesOut = 0;

  constructor(
    private readonly method: string,
    private readonly res: ServerResponse,
    private readonly hooks: RelayHooks,
  ) {
    res.on("close", this.onClientClose);
    res.on("drain", this.onClientDrain);
  }

  private readonly onClientClose = () => {
    if (this.res.writableFinished) return;
    this.clientGone = true;
    this.clearHeaderTimer();
    this.exchange?.abort(new Error("client disconnected"));
  };

  private readonly onClientDrain = () => this.exchange?.resume();

  /** The exchange carrying the request; aborted at once if the client already left. */
  attach(exchange: UpstreamExchange): void {
    this.exchange = exchange;
    if (this.clientGone) exchange.abort(new Error("client disconnected"));
  }

  responseStart(head: ResponseHead): void {
    const statusCode = head.status;
    this.status = statusCode;
    const eventStream = head.contentType.startsWith("text/event-stream");
    const { tap, filter } = this.hooks.started(head, eventStream);
    this.tap = tap;
    this.filter = filter;
    const res = this.res;
    if (res.destroyed) return this.exchange?.abort(new Error("client disconnected"));
    res.writeHead(statusCode, clientResponseHeaders(head.rawHeaders, head.connection, eventStream, head.chunked));
    // Headers normally leave with the first body bytes (one write). A GET stream may carry nothing for
    // hours, so its headers go out at once; a POST stream's go out if no event follows shortly. The
    // first event usually arrives with the head, so the grace timer is armed only when the turn that
    // brought the head ends without one (see `uncork`).
    if (eventStream) {
      if (this.method === "GET") res.flushHeaders();
      else {
        this.awaitingFirstEvent = true;
        this.cork();
      }
    }
  }

  responseData(chunk: Buffer): void {
    this.bytesOut += chunk.length;
    this.awaitingFirstEvent = false;
    if (this.headerTimer !== null) this.clearHeaderTimer();
    // What arrives in one turn of the event loop (often the last event and the end) leaves in one write.
    this.cork();
    const out = this.filter === null ? chunk : this.filter.push(chunk);
    if (out !== null && !this.res.write(out)) this.exchange?.pause();
    this.tap?.push(chunk);
  }

  responseEnd(): void {
    this.clearHeaderTimer();
    const held = this.filter?.flush();
    if (held) this.res.write(held);
    this.res.end();
    this.tap?.end();
    this.hooks.ended(this.status!, this.bytesOut);
  }

  responseError(err: Error): void {
    this.clearHeaderTimer();
    // Mid-body: end the client's response abruptly so it sees an incomplete message.
    if (this.status !== null) this.res.destroy();
    this.hooks.failed(err, this.status, this.bytesOut, this.clientGone);
  }

  bodyDrain(): void {
    this.hooks.bodyDrain();
  }

  private cork(): void {
    if (this.corked) return;
    this.corked = true;
    this.res.cork();
    setImmediate(this.uncork);
  }

  private readonly uncork = () => {
    this.corked = false;
    const res = this.res;
    if (res.writableEnded || res.destroyed) return;
    res.uncork();
    if (this.awaitingFirstEvent) {
      this.awaitingFirstEvent = false;
      this.headerTimer = setTimeout(() => res.flushHeaders(), SSE_HEADER_GRACE_MS);
    }
  };

  private clearHeaderTimer(): void {
    if (this.headerTimer === null) return;
    clearTimeout(this.headerTimer);
    this.headerTimer = null;
  }
}
