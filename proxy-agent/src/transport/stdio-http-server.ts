import type { ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { ListenAddress, ProxyRuntime, RunningProxy } from "../config/types";
import { TapExchange, type CallTap, type TapSession } from "../mcp/call-tap";
import { LineSplitter } from "../mcp/line-splitter";
import { toRpcMessage, type RpcMessage } from "../mcp/rpc-message";
import { uuidv7 } from "../util/uuidv7";
import { expectedBearer, isAuthorized, rejectUnauthorized } from "./bearer-auth";
import { jsonRpcErrorBody, PROXY_ERROR } from "./jsonrpc-error-body";
import { closeServer, listenOn, runningServer } from "./listen";
import { describeExit, spawnStdioServer, stopStdioServer, type StdioUpstream } from "./stdio-child";

export const STDIO_HTTP_PATH = "/mcp";
/** Largest POST body accepted (the proxy terminates HTTP here, so it has to hold a body to frame it as a line). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Server-initiated messages kept while no stream is open to deliver them. */
const MAX_BACKLOG = 1000;

/** A POST waiting for the responses to the requests it carried. */
class PostReply {
  private readonly jsonParts: string[] = [];
  private started = false;

  constructor(
    readonly res: ServerResponse,
    readonly eventStream: boolean,
    readonly sessionId: string,
    readonly awaiting: Set<string>,
    private readonly batch: boolean,
  ) {}

  /** One message line for this POST; returns true when the POST is complete. */
  deliver(line: string, responseTo: string | null): boolean {
    if (this.eventStream) {
      this.start();
      this.res.write(`event: message\ndata: ${line}\n\n`);
    } else if (responseTo !== null) this.jsonParts.push(line);
    if (responseTo !== null) this.awaiting.delete(responseTo);
    if (this.awaiting.size > 0) return false;
    if (this.eventStream) this.res.end();
    else {
      const body = this.batch ? `[${this.jsonParts.join(",")}]` : this.jsonParts[0]!;
      this.res.writeHead(200, { "content-type": "application/json", "mcp-session-id": this.sessionId, "content-length": Buffer.byteLength(body) });
      this.res.end(body);
    }
    return true;
  }

  /** The server is gone: 502 when nothing was sent yet, else error events for what is left. */
  fail(message: string): void {
    if (!this.started && !this.res.headersSent) {
      const first = this.awaiting.values().next().value ?? null;
      const body = jsonRpcErrorBody(first, PROXY_ERROR.upstreamUnavailable, message);
      this.res.writeHead(502, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      this.res.end(body);
      return;
    }
    for (const id of this.awaiting) this.res.write(`event: message\ndata: ${jsonRpcErrorBody(id, PROXY_ERROR.upstreamUnavailable, message)}\n\n`);
    this.res.end();
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    // No flush: the headers leave with the first event, in one write.
    this.res.writeHead(200, eventStreamHeaders(this.sessionId));
  }
}

/** One client session = one run of the stdio server. */
class ChildSession {
  readonly id = uuidv7();
  readonly tapSession: TapSession;
  readonly child: ChildProcess;
  readonly replies = new Map<string, PostReply>();
  getStream: ServerResponse | null = null;
  backlog: string[] = [];
  down: string | null = null;

  constructor(
    private readonly owner: StdioHttpServer,
    upstream: StdioUpstream,
  ) {
    this.tapSession = owner.tap.session(this.id);
    this.child = spawnStdioServer(upstream);
    const lines = new LineSplitter((capture) => {
      const text = capture.text();
      if (text === null) return owner.tap.unreadable("server line larger than the tap limit (dropped: cannot frame it for HTTP)");
      this.fromServer(text);
    }, MAX_BODY_BYTES);
    this.child.stdout!.on("data", (chunk: Buffer) => lines.push(chunk));
    this.child.stdin!.on("error", () => {});
    this.child.once("error", (err: NodeJS.ErrnoException) => this.ended(`cannot start upstream server "${upstream.command}": ${err.code ?? err.message}`));
    this.child.once("exit", (code, signal) => this.ended(`upstream server process exited (${describeExit(code, signal)})`));
  }

  send(line: string): void {
    if (this.down === null) this.child.stdin!.write(line + "\n");
  }

  private fromServer(line: string): void {
    let message: RpcMessage | null;
    try {
      message = toRpcMessage(JSON.parse(line), Buffer.byteLength(line));
    } catch {
      return this.owner.tap.unreadable("server wrote a line that is not JSON");
    }
    if (message === null) return;
    this.owner.tap.observeMessages("server", this.tapSession, [message], this.owner.exchangeOk);
    if (message.kind === "response") {
      // A response whose POST is gone (client disconnected) has nowhere to go: the client stopped waiting.
      const reply = message.id === null ? undefined : this.replies.get(message.id);
      if (reply !== undefined) {
        this.replies.delete(message.id!);
        reply.deliver(line, message.id);
      }
      return;
    }
    this.serverInitiated(line);
  }

  /** Requests and notifications from the server go on the GET stream, else on an open POST stream, else wait. */
  private serverInitiated(line: string): void {
    if (this.getStream !== null) {
      this.getStream.write(`event: message\ndata: ${line}\n\n`);
      return;
    }
    for (const reply of this.replies.values()) {
      if (reply.eventStream && !reply.res.destroyed) {
        reply.deliver(line, null);
        return;
      }
    }
    this.backlog.push(line);
    if (this.backlog.length > MAX_BACKLOG) this.backlog.shift();
  }

  openGetStream(res: ServerResponse): void {
    this.getStream = res;
    res.writeHead(200, eventStreamHeaders(this.id));
    res.flushHeaders();
    for (const line of this.backlog) res.write(`event: message\ndata: ${line}\n\n`);
    this.backlog = [];
    res.on("close", () => {
      if (this.getStream === res) this.getStream = null;
    });
  }

  /** The client deleted the session: it is unknown from now on, and its child is stopped. */
  terminate(): void {
    this.ended("session deleted by the client");
    void stopStdioServer(this.child);
  }

  private ended(reason: string): void {
    if (this.down !== null) return;
    this.down = reason;
    this.owner.runtime.log.info(`session ${this.id}: ${reason}`);
    this.owner.tap.endSession(this.tapSession, reason);
    for (const reply of new Set(this.replies.values())) reply.fail(`tapline: ${reason}`);
    this.replies.clear();
    this.getStream?.end();
    this.owner.forget(this);
  }
}

/**
 * Serves a stdio MCP server over Streamable HTTP at `/mcp`. Here the proxy terminates HTTP (stdio
 * has no HTTP to forward): `initialize` starts a child process and a session, POST bodies become
 * lines on its stdin, its responses go back on the POST (JSON or SSE per the client's Accept) and
 * whatever it initiates goes on the GET stream. DELETE stops the child.
 */
class StdioHttpServer {
  readonly sessions = new Map<string, ChildSession>();
  /** Responses from the server are delivered with status 200 (server messages never add calls to an exchange). */
  readonly exchangeOk = new TapExchange(200);
  private readonly bearer: Buffer | null;

  constructor(
    readonly runtime: ProxyRuntime,
    readonly tap: CallTap,
    private readonly upstream: StdioUpstream,
  ) {
    this.bearer = expectedBearer(runtime.config.bearerToken);
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    if (!isAuthorized(req.headers.authorization, this.bearer)) return rejectUnauthorized(res);
    const path = (req.url ?? "/").split("?")[0];
    if (path !== STDIO_HTTP_PATH) return answerError(res, 404, null, -32601, `Not found: the MCP endpoint is ${STDIO_HTTP_PATH}`);
    if (req.method === "POST") return this.post(req, res);
    const session = this.sessionOf(req, res);
    if (session === null) return;
    if (req.method === "GET") {
      if (!String(req.headers.accept ?? "").includes("text/event-stream")) return answerError(res, 406, null, -32000, "Not Acceptable: GET needs Accept: text/event-stream");
      if (session.getStream !== null) return answerError(res, 409, null, -32000, "Conflict: only one GET stream per session");
      return session.openGetStream(res);
    }
    if (req.method === "DELETE") {
      session.terminate();
      res.writeHead(200).end();
      return;
    }
    res.writeHead(405, { allow: "GET, POST, DELETE" }).end();
  }

  forget(session: ChildSession): void {
    this.sessions.delete(session.id);
  }

  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => stopStdioServer(s.child)));
  }

  private post(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_BODY_BYTES) return answerError(res, 413, null, -32600, `Request body over ${MAX_BODY_BYTES} bytes`);
      this.postBody(req, res, Buffer.concat(chunks).toString("utf8"));
    });
  }

  private postBody(req: IncomingMessage, res: ServerResponse, body: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      this.tap.unreadable("client POST body is not JSON");
      return answerError(res, 400, null, -32700, "Parse error: the body is not JSON");
    }
    const batch = Array.isArray(parsed);
    const items: unknown[] = batch ? (parsed as unknown[]) : [parsed];
    const messages = items.map((item) => toRpcMessage(item, batch ? Buffer.byteLength(JSON.stringify(item)) : Buffer.byteLength(body)));
    if (messages.some((m) => m === null) || messages.length === 0) return answerError(res, 400, null, -32600, "Invalid Request: not a JSON-RPC message");
    const rpc = messages as RpcMessage[];
    const initializing = rpc.some((m) => m.kind === "request" && m.method === "initialize");
    let session: ChildSession | null;
    if (initializing && req.headers["mcp-session-id"] === undefined) {
      session = new ChildSession(this, this.upstream);
      this.sessions.set(session.id, session);
    } else session = this.sessionOf(req, res);
    if (session === null) return;

    this.tap.observeMessages("client", session.tapSession, rpc, new TapExchange(200));
    // stdio frames one message per line: a batch is sent as its elements, a pretty-printed body re-serialised.
    if (batch) for (const item of items) session.send(JSON.stringify(item));
    else session.send(body.includes("\n") ? JSON.stringify(parsed) : body);

    const requestIds = rpc.flatMap((m) => (m.kind === "request" ? [m.id] : []));
    if (requestIds.length === 0) {
      res.writeHead(202, { "mcp-session-id": session.id }).end();
      return;
    }
    const eventStream = String(req.headers.accept ?? "").includes("text/event-stream");
    const reply = new PostReply(res, eventStream, session.id, new Set(requestIds), batch);
    for (const id of requestIds) session.replies.set(id, reply);
    res.on("close", () => {
      for (const id of reply.awaiting) if (session.replies.get(id) === reply) session.replies.delete(id);
    });
    if (session.down !== null) reply.fail(`tapline: ${session.down}`);
  }

  private sessionOf(req: IncomingMessage, res: ServerResponse): ChildSession | null {
    const id = req.headers["mcp-session-id"];
    if (typeof id !== "string" || id === "") {
      answerError(res, 400, null, -32000, "Bad Request: Mcp-Session-Id header is required");
      return null;
    }
    const session = this.sessions.get(id);
    if (session === undefined) {
      answerError(res, 404, null, -32001, "Session not found");
      return null;
    }
    return session;
  }
}

export async function startStdioHttpServer(runtime: ProxyRuntime, tap: CallTap, upstream: StdioUpstream, listen: ListenAddress): Promise<RunningProxy> {
  const endpoint = new StdioHttpServer(runtime, tap, upstream);
  const server = createServer({ requestTimeout: 0, keepAliveTimeout: 65_000 }, (req, res) => endpoint.handle(req, res));
  const origin = await listenOn(server, listen);
  runtime.log.debug(`tapline serving ${upstream.command} over Streamable HTTP at ${origin}${STDIO_HTTP_PATH}`);
  return runningServer(() => closeServer(server), origin + STDIO_HTTP_PATH, () => endpoint.close());
}

function eventStreamHeaders(sessionId: string): Record<string, string> {
  return {
    "content-type": "text/event-stream",
    "cache-control": "no-cache, no-transform",
    "x-accel-buffering": "no",
    "mcp-session-id": sessionId,
  };
}

function answerError(res: ServerResponse, status: number, rpcId: string | null, code: number, message: string): void {
  const body = jsonRpcErrorBody(rpcId, code, message);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
