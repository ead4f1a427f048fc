import { validateHeaderName, validateHeaderValue } from "node:http";
import { performance } from "node:perf_hooks";
import type { ProxyRuntime, RunningProxy } from "../config/types";
import { CallTap, TapExchange, type TapSession } from "../mcp/call-tap";
import { MessageCapture } from "../mcp/message-capture";
import { SseFrameParser, type SseEvent } from "../mcp/sse-frame-parser";
import { expectedBearer, isAuthorized, UNAUTHORIZED } from "./bearer-auth";
import { ClientServer, type ClientRequest, type ClientResponse } from "./client-connection";
import { upstreamRequestHeaders } from "./forward-headers";
import { ResponseRelay, type BodyTap, type RelayHooks } from "./response-relay";
import { jsonRpcErrorBody, PROXY_ERROR } from "./jsonrpc-error-body";
import { EndpointEventRewriter, endpointPathname, legacySessionId } from "./legacy-endpoint";
import { listenOn, runningServer } from "./listen";
import { TransportError } from "./transport-error";
import { routeRequest, upstreamRoute, type RoutedRequest, type UpstreamRoute } from "./upstream-route";
import { UpstreamPool, type ResponseHead, type UpstreamPoolOptions } from "./upstream-pool";

/** What the tap follows for one MCP request: its session (may gain an id mid-way) and its exchange. */
interface TapContext {
  session: TapSession;
  readonly exchange: TapExchange;
}

/**
 * Forwards HTTP to one upstream MCP server (Streamable HTTP, or legacy HTTP+SSE) byte for byte:
 * request and response bodies are streamed as they arrive, with backpressure both ways; the tap
 * gets a copy. No proxy-side timeout applies to a request or an idle stream: the upstream and
 * the client decide when a stream ends (the pairing timeout only closes the record).
 */
export class HttpForwarder {
  private readonly route: UpstreamRoute;
  private readonly pool: UpstreamPool;
  private readonly bearer: Buffer | null;
  /** Legacy SSE: pathnames the upstream named in `endpoint` events (where clients POST messages). */
  private readonly legacyPostPaths = new Set<string>();

  constructor(
    private readonly runtime: ProxyRuntime,
    private readonly tap: CallTap,
    private readonly kind: "http" | "sse",
    private readonly remoteUrl: string,
    poolOptions: UpstreamPoolOptions = {},
  ) {
    this.route = upstreamRoute(remoteUrl, kind);
    this.bearer = expectedBearer(runtime.config.bearerToken);
    // Header lines are written upstream as given: configured ones are checked once, here.
    for (const [name, value] of Object.entries(runtime.config.headers)) {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    }
    if (runtime.config.bearerToken !== undefined) validateHeaderValue("authorization", `Bearer ${runtime.config.bearerToken}`);
    // Keep-alive pool without timeouts on headers or body: a tool may run for minutes, a GET stream idles for hours.
    // No connection cap either: every open GET stream holds one upstream connection.
    this.pool = new UpstreamPool(this.route.origin, poolOptions);
  }

  get endpointPath(): string {
    return this.route.endpointPath;
  }

  handle(req: ClientRequest, res: ClientResponse): void {
    const head = req.head;
    if (!isAuthorized(head.authorization, this.bearer)) {
      return res.send(401, `Content-Type: application/json\r\nWWW-Authenticate: ${UNAUTHORIZED.challenge}\r\n`, UNAUTHORIZED.body);
    }
    const startedAt = performance.now();
    const method = head.method;
    const routed = routeRequest(this.route, head.target);
    const ctx = this.isMcpRequest(routed, method) ? this.tapContext(head.sessionId, routed, method) : null;
    const body = req.body;
    let bytesIn = Buffer.isBuffer(body) ? body.length : 0;
    let bodyEnded = body !== "stream";
    let onBodyEnd: (() => void) | null = null;

    const recordPassthrough = (httpStatus: number | null, bytesOut: number, failure: string | null) => {
      if (ctx === null) this.tap.passthrough({ startedAt, httpMethod: method, path: routed.pathname, httpStatus, bytesIn, bytesOut, failure });
    };
    const hooks: RelayHooks = {
      started: (head, eventStream) => {
        if (ctx === null) return { tap: null, filter: null };
        this.responseStarted(ctx, head);
        const filter = this.kind === "sse" && eventStream && method === "GET" ? new EndpointEventRewriter(this.remoteUrl) : null;
        return { tap: this.bodyTap(ctx, head.contentType, eventStream), filter };
      },
      ended: (status, bytesOut) => {
        if (ctx !== null) this.responseEnded(method, ctx);
        recordPassthrough(status, bytesOut, null);
      },
      failed: (err, status, bytesOut, clientGone) => {
        if (clientGone) return recordPassthrough(status, bytesOut, "client disconnected");
        if (status !== null) {
          const failure = `upstream failed mid-response: ${describeError(err)}`;
          if (ctx !== null) this.tap.exchangeFailed(ctx.exchange, failure);
          return recordPassthrough(status, bytesOut, failure);
        }
        const failure = `upstream ${this.route.origin} unreachable: ${describeError(err)}`;
        // Answer once the request body is in, so the error can echo the request's JSON-RPC id.
        const answer = () => {
          this.answerUpstreamDown(res, ctx, failure);
          recordPassthrough(null, 0, failure);
        };
        if (bodyEnded) answer();
        else {
          onBodyEnd = answer;
          req.resume();
        }
      },
      bodyDrain: () => req.resume(),
    };
    const capture = ctx !== null && method === "POST" ? new MessageCapture(this.runtime.config.maxTapBytes) : null;
    const bodyComplete = () => {
      bodyEnded = true;
      if (capture !== null && ctx !== null) this.tap.observe("client", ctx.session, capture, ctx.exchange);
      onBodyEnd?.();
    };
    const relay = new ResponseRelay(method, res, hooks);
    const headers = upstreamRequestHeaders(head, req.remoteAddress, { extra: this.runtime.config.headers, bearerToken: this.runtime.config.bearerToken });

    if (body !== "stream") {
      // The usual JSON-RPC POST: its small body came with the head and leaves with the upstream request's head, in one write.
      // The request leaves first; the tap reads its copy after (a failure is reported asynchronously, after that).
      relay.attach(this.pool.request(method, routed.upstreamPath, headers, body, relay));
      if (body !== null) capture?.append(body);
      bodyComplete();
      return;
    }
    const exchange = this.pool.request(method, routed.upstreamPath, headers, head.chunked ? "chunked" : "length", relay);
    relay.attach(exchange);
    req.onData = (chunk) => {
      bytesIn += chunk.length;
      capture?.append(chunk);
      if (!exchange.writeBody(chunk)) req.pause();
    };
    req.onEnd = () => {
      exchange.endBody();
      bodyComplete();
    };
  }

  private isMcpRequest(routed: RoutedRequest, method: string): boolean {
    // Preflights (OPTIONS) and HEAD carry no JSON-RPC: they are recorded as passthrough.
    if (this.kind === "http") return routed.isEndpoint && (method === "POST" || method === "GET" || method === "DELETE");
    if (method === "POST") return this.legacyPostPaths.has(routed.pathname);
    return routed.isEndpoint && method === "GET";
  }

  private tapContext(sessionId: string | undefined, routed: RoutedRequest, method: string): TapContext {
    const exchange = new TapExchange();
    if (this.kind === "http") {
      return { session: sessionId !== undefined && sessionId !== "" ? this.tap.session(sessionId) : this.tap.unnamedSession(), exchange };
    }
    if (method === "POST") return { session: this.tap.session(legacySessionId(routed.upstreamPath)), exchange };
    return { session: this.tap.unnamedSession(), exchange };
  }

  /** The session id may arrive on the initialize response; records of this exchange carry the HTTP status. */
  private responseStarted(ctx: TapContext, head: ResponseHead): void {
    ctx.exchange.httpStatus = head.status;
    const sessionId = head.sessionId;
    if (this.kind === "http" && sessionId !== undefined && ctx.session.id === null) {
      ctx.session = this.tap.nameSession(ctx.session, sessionId);
    }
  }

  private bodyTap(ctx: TapContext, contentType: string, eventStream: boolean): BodyTap | null {
    const max = this.runtime.config.maxTapBytes;
    if (eventStream) return this.guarded(new SseFrameParser((event) => this.serverEvent(ctx, event), max));
    if (!contentType.includes("json")) return null;
    const capture = new MessageCapture(max);
    return this.guarded({
      push: (chunk) => capture.append(chunk),
      end: () => {
        if (capture.bytes > 0) this.tap.observe("server", ctx.session, capture, ctx.exchange);
      },
    });
  }

  /** A tap failure must never reach the relay (it would abort the forwarding): count it and carry on. */
  private guarded(inner: BodyTap): BodyTap {
    return new GuardedTap(inner, (reason) => this.tap.unreadable(reason));
  }

  private serverEvent(ctx: TapContext, event: SseEvent): void {
    if (event.type === "endpoint" && this.kind === "sse") {
      const endpoint = event.data.text();
      if (endpoint === null || endpoint === "") return;
      this.legacyPostPaths.add(endpointPathname(endpoint, this.remoteUrl));
      ctx.session = this.tap.nameSession(ctx.session, legacySessionId(endpoint));
      return;
    }
    // Priming events (id only, empty data) carry no message.
    if (event.type !== "message" || event.data.bytes === 0) return;
    this.tap.observe("server", ctx.session, event.data, ctx.exchange);
  }

  private responseEnded(method: string, ctx: TapContext): void {
    this.tap.exchangeEnded(ctx.exchange);
    const status = ctx.exchange.httpStatus ?? 0;
    if (this.kind === "http" && method === "DELETE" && status >= 200 && status < 300) {
      this.tap.endSession(ctx.session, "session deleted by the client");
    }
  }

  private answerUpstreamDown(res: ClientResponse, ctx: TapContext | null, failure: string): void {
    if (!res.headersSent) {
      const body = jsonRpcErrorBody(ctx?.exchange.calls[0]?.rpcId ?? null, PROXY_ERROR.upstreamUnavailable, `tapline: ${failure}`);
      res.send(502, "Content-Type: application/json\r\n", body);
    }
    if (ctx !== null) this.tap.exchangeFailed(ctx.exchange, failure);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** Listens for clients and forwards to an HTTP or legacy SSE upstream. */
export async function startHttpForwarding(runtime: ProxyRuntime, tap: CallTap, kind: "http" | "sse", remoteUrl: string): Promise<RunningProxy> {
  const listen = runtime.config.listen;
  if (listen === undefined) throw new TransportError("invalid_upstream", `an ${kind} upstream needs a listen address`);
  if (!URL.canParse(remoteUrl) || !/^https?:$/.test(new URL(remoteUrl).protocol)) {
    throw new TransportError("invalid_upstream", `upstream URL "${remoteUrl}" is not an http(s) URL`);
  }
  const forwarder = new HttpForwarder(runtime, tap, kind, remoteUrl);
  const clients = new ClientServer(
    (req, res) => forwarder.handle(req, res),
    (err) => runtime.log.error(`tapline: a request could not be forwarded (${(err as Error).message ?? String(err)}); its connection was closed`),
  );
  const origin = await listenOn(clients.server, listen);
  runtime.log.debug(`tapline forwarding ${origin}${forwarder.endpointPath} → ${remoteUrl} (${kind})`);
  return runningServer(() => clients.close(), origin + forwarder.endpointPath, () => forwarder.close());
}

/** Runs a body tap, and stops it (reporting once) at its first exception. */
class GuardedTap implements BodyTap {
  private broken = false;

  constructor(
    private readonly inner: BodyTap,
    private readonly report: (reason: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.broken) return;
    try {
      this.inner.push(chunk);
    } catch (err) {
      this.fail(err);
    }
  }

  end(): void {
    if (this.broken) return;
    try {
      this.inner.end();
    } catch (err) {
      this.fail(err);
    }
  }

  private fail(err: unknown): void {
    this.broken = true;
    this.report(`response tap failed: ${(err as Error).message}`);
  }
}

function describeError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code ?? (err.cause as NodeJS.ErrnoException | undefined)?.code;
  return code === undefined ? err.message : `${code} (${err.message})`;
}
