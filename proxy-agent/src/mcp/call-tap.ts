import { performance } from "node:perf_hooks";
import type { CallRecord, CallStatus, Transport } from "../wire";
import { MAX_ERROR_MESSAGE_CHARS, MAX_NAME_CHARS } from "../wire-limits";
import type { RecordSink, TapCounters } from "../record/sink";
import type { Logger } from "../config/types";
import { redactSecrets } from "../record/payload-redaction";
import { uuidv7 } from "../util/uuidv7";
import { normaliseClientName } from "./client-name";
import type { MessageCapture } from "./message-capture";
import { isObject, readCapturedMessages, type RpcMessage } from "./rpc-message";
import { isListMethod, SchemaSnapshotCollector } from "./schema-snapshot-collector";
import { TapExchange, TapSession, type PendingCall } from "./tap-session";

export { TapExchange, TapSession } from "./tap-session";

export interface CallTapOptions {
  serverId: string;
  transport: Transport;
  sink: RecordSink;
  log: Logger;
  counters: TapCounters;
  pairingTimeoutMs: number;
  capturePayloads: boolean;
  redactKeys: RegExp;
}

export type Side = "client" | "server";

type Outcome = {
  status: CallStatus;
  errorCode?: number | null;
  errorMessage?: string | null;
  bytesOut?: number;
  httpStatus?: number | null;
  response?: unknown;
};

const MAX_TARGET_CHARS = 2048;
/** Sessions with nothing pending are forgotten after this long without traffic. */
const SESSION_IDLE_MS = 30 * 60_000;
const CLIENT_INFO_META = "io.modelcontextprotocol/clientInfo";

/**
 * The JSON-RPC tap: it reads copies of the messages both sides exchanged (after they were
 * forwarded), pairs each request with its response by (session, direction, id), and hands one
 * `CallRecord` per request to the sink, plus notification and passthrough records and schema
 * snapshots. Nothing here can delay or alter traffic; a message it cannot read is counted.
 */
export class CallTap {
  private readonly sessions = new Map<string, TapSession>();
  /** Open calls in the order they started, so the timeout sweep stops at the first young one. */
  private readonly openCalls = new Map<number, PendingCall>();
  private nextQueueKey = 0;
  private readonly snapshots: SchemaSnapshotCollector;
  private readonly sweepTimer: NodeJS.Timeout;
  private lastSessionSweep = performance.now();
  private tapErrorLogged = false;
  private recordErrorLogged = false;

  constructor(private readonly options: CallTapOptions) {
    this.snapshots = new SchemaSnapshotCollector(options.serverId, (snapshot) => {
      try {
        options.sink.snapshot(snapshot);
      } catch (err) {
        this.recordFailed(err);
      }
    });
    const interval = Math.min(1000, Math.max(10, Math.floor(options.pairingTimeoutMs / 4)));
    this.sweepTimer = setInterval(() => this.sweep(), interval);
    this.sweepTimer.unref();
  }

  /** The session with this id, created on first sight. */
  session(id: string): TapSession {
    let session = this.sessions.get(id);
    if (session === undefined) {
      session = new TapSession(id);
      this.sessions.set(id, session);
    }
    return session;
  }

  /** A session whose id is not known yet (an `initialize` POST, a legacy SSE stream before its endpoint event). */
  unnamedSession(): TapSession {
    return new TapSession(null);
  }

  /** The id of a session became known (Mcp-Session-Id on the initialize response, legacy `endpoint` event). */
  nameSession(session: TapSession, id: string): TapSession {
    const existing = this.sessions.get(id);
    if (existing !== undefined && existing !== session) {
      // A server that reuses one id (or a client that skipped the header): keep one session, with all its calls.
      existing.adopt(session);
      return existing;
    }
    session.id = id;
    this.sessions.set(id, session);
    return session;
  }

  /** Messages one side sent, as captured by the transport. Never throws. */
  observe(side: Side, session: TapSession, capture: MessageCapture, exchange: TapExchange | null): void {
    try {
      const read = readCapturedMessages(capture);
      if (!read.ok) return this.tapFailed(read.reason);
      this.observeMessages(side, session, read.messages, exchange);
    } catch (err) {
      this.tapFailed((err as Error).message);
    }
  }

  /** Messages already read by a transport that had to parse them itself (the stdio-over-HTTP endpoint). */
  observeMessages(side: Side, session: TapSession, messages: RpcMessage[], exchange: TapExchange | null): void {
    try {
      session.lastActive = performance.now();
      for (const message of messages) this.observeMessage(side, session, message, exchange);
    } catch (err) {
      this.tapFailed((err as Error).message);
    }
  }

  /** A message a transport could not read (counted like the tap's own failures). */
  unreadable(reason: string): void {
    this.tapFailed(reason);
  }

  /** The exchange's upstream request failed (connection refused, reset mid-stream). */
  exchangeFailed(exchange: TapExchange, message: string): void {
    for (const call of exchange.calls) {
      if (!call.done) this.complete(call, { status: "transport_error", errorMessage: message, httpStatus: exchange.httpStatus });
    }
  }

  /**
   * The exchange's response ended. An HTTP error closes the calls its body started: with the
   * JSON-RPC error the server sent for an unreadable request, or as a transport error.
   */
  exchangeEnded(exchange: TapExchange): void {
    const status = exchange.httpStatus;
    if (status === null || status < 400) return;
    const anonymous = exchange.anonymousError;
    for (const call of exchange.calls) {
      if (call.done) continue;
      if (anonymous !== null) {
        this.complete(call, { status: "rpc_error", errorCode: anonymous.code, errorMessage: anonymous.message, httpStatus: status });
      } else {
        this.complete(call, { status: "transport_error", errorMessage: `upstream answered HTTP ${status}`, httpStatus: status });
      }
    }
  }

  /**
   * Closes every open call of a session as a transport error (child process exited, session deleted)
   * and forgets the session. Returns the ids of the client's requests that were closed, so a stdio
   * proxy can answer them.
   */
  endSession(session: TapSession, message: string): string[] {
    const unanswered = [...session.clientRequests.keys()];
    for (const call of [...session.clientRequests.values(), ...session.serverRequests.values()]) {
      this.complete(call, { status: "transport_error", errorMessage: message });
    }
    if (session.id !== null && this.sessions.get(session.id) === session) this.sessions.delete(session.id);
    return unanswered;
  }

  /** A non-MCP HTTP request forwarded untouched (health check, asset, OAuth metadata). */
  passthrough(entry: {
    startedAt: number;
    httpMethod: string;
    path: string;
    httpStatus: number | null;
    bytesIn: number;
    bytesOut: number;
    failure: string | null;
  }): void {
    this.emit({
      id: uuidv7(performance.timeOrigin + entry.startedAt),
      ts: performance.timeOrigin + entry.startedAt,
      durationUs: elapsedUs(entry.startedAt),
      serverId: this.options.serverId,
      transport: this.options.transport,
      kind: "passthrough",
      direction: "c2s",
      sessionId: null,
      clientName: null,
      clientVersion: null,
      method: truncate(entry.httpMethod, MAX_NAME_CHARS) || "GET",
      target: truncate(entry.path, MAX_TARGET_CHARS),
      rpcId: null,
      status: entry.failure === null ? "ok" : "transport_error",
      errorCode: null,
      errorMessage: entry.failure === null ? null : truncate(entry.failure, MAX_ERROR_MESSAGE_CHARS),
      bytesIn: entry.bytesIn,
      bytesOut: entry.bytesOut,
      seq: 0,
      httpStatus: validHttpStatus(entry.httpStatus),
      payload: null,
    });
  }

  /** Stops the timeout sweep and closes what is still open (records are not lost on shutdown). */
  close(): void {
    clearInterval(this.sweepTimer);
    for (const call of [...this.openCalls.values()]) {
      this.complete(call, { status: "transport_error", errorMessage: "proxy stopped before the response" });
    }
    this.sessions.clear();
  }

  /** Open calls (tests, status). */
  get openCallCount(): number {
    return this.openCalls.size;
  }

  private observeMessage(side: Side, session: TapSession, message: RpcMessage, exchange: TapExchange | null): void {
    switch (message.kind) {
      case "request":
        return this.startCall(side, session, message, exchange);
      case "notification":
        return this.notification(side, session, message);
      case "response": {
        if (message.id === null) {
          if (exchange !== null && message.error !== undefined) exchange.anonymousError = message.error;
          return;
        }
        const peer: Side = side === "client" ? "server" : "client";
        const call = session.requestsSentBy(peer).get(message.id);
        if (call === undefined) return;
        this.complete(call, responseOutcome(call, message, exchange));
        if (message.result !== undefined && isListMethod(call.method)) {
          session.pages ??= new Map();
          this.snapshots.page(session.pages, call.method, call.cursor, message.result);
        }
        return;
      }
    }
  }

  private startCall(side: Side, session: TapSession, message: Extract<RpcMessage, { kind: "request" }>, exchange: TapExchange | null): void {
    const params = message.params;
    if (side === "client" && params !== undefined) noteClientInfo(session, message.method, params);
    const pending = session.requestsSentBy(side);
    // A reused id (client bug) closes the older call rather than leaking it.
    const previous = pending.get(message.id);
    if (previous !== undefined) this.complete(previous, { status: "transport_error", errorMessage: "request id reused before a response" });
    const call: PendingCall = {
      session,
      direction: side === "client" ? "c2s" : "s2c",
      rpcId: message.id,
      method: message.method,
      target: params === undefined ? null : targetOf(params),
      startedAt: performance.now(),
      bytesIn: message.bytes,
      seq: ++session.requests,
      cursor: params?.cursor,
      params: this.options.capturePayloads ? params : undefined,
      queueKey: this.nextQueueKey++,
      done: false,
    };
    pending.set(message.id, call);
    this.openCalls.set(call.queueKey, call);
    // Only a client's POST can fail for the calls it carried; server requests outlive the stream they came on.
    if (side === "client") exchange?.calls.push(call);
  }

  private notification(side: Side, session: TapSession, message: Extract<RpcMessage, { kind: "notification" }>): void {
    const method = message.method;
    if (!isCountedNotification(method)) return;
    const params = message.params;
    if (method === "notifications/cancelled" && params !== undefined && params.requestId !== undefined) {
      const key = typeof params.requestId === "number" ? String(params.requestId) : JSON.stringify(params.requestId);
      const call = session.requestsSentBy(side).get(key);
      if (call !== undefined) {
        const reason = typeof params.reason === "string" ? params.reason : null;
        this.complete(call, { status: "cancelled", errorMessage: reason });
      }
    }
    const startedAt = performance.now();
    this.emit({
      id: uuidv7(performance.timeOrigin + startedAt),
      ts: performance.timeOrigin + startedAt,
      durationUs: 0,
      serverId: this.options.serverId,
      transport: this.options.transport,
      kind: "notification",
      direction: side === "client" ? "c2s" : "s2c",
      sessionId: truncate(session.id, MAX_NAME_CHARS),
      clientName: session.clientName,
      clientVersion: session.clientVersion,
      method: truncate(method, MAX_NAME_CHARS)!,
      target: params === undefined ? null : targetOf(params),
      rpcId: null,
      status: "ok",
      errorCode: null,
      errorMessage: null,
      bytesIn: side === "client" ? message.bytes : 0,
      bytesOut: side === "server" ? message.bytes : 0,
      seq: 0,
      httpStatus: null,
      payload: this.options.capturePayloads && params !== undefined ? { request: redactSecrets(params, this.options.redactKeys) } : null,
    });
  }

  private complete(call: PendingCall, outcome: Outcome): void {
    if (call.done) return;
    call.done = true;
    this.openCalls.delete(call.queueKey);
    const pending = call.session.requestsSentBy(call.direction === "c2s" ? "client" : "server");
    if (pending.get(call.rpcId) === call) pending.delete(call.rpcId);
    const session = call.session;
    const ts = performance.timeOrigin + call.startedAt;
    this.emit({
      id: uuidv7(ts),
      ts,
      durationUs: elapsedUs(call.startedAt),
      serverId: this.options.serverId,
      transport: this.options.transport,
      kind: "request",
      direction: call.direction,
      sessionId: truncate(session.id, MAX_NAME_CHARS),
      clientName: session.clientName,
      clientVersion: session.clientVersion,
      method: truncate(call.method, MAX_NAME_CHARS)!,
      target: call.target,
      rpcId: truncate(call.rpcId, MAX_NAME_CHARS),
      status: outcome.status,
      errorCode: outcome.errorCode ?? null,
      errorMessage: truncate(outcome.errorMessage ?? null, MAX_ERROR_MESSAGE_CHARS),
      bytesIn: call.bytesIn,
      bytesOut: outcome.bytesOut ?? 0,
      seq: call.seq,
      httpStatus: validHttpStatus(outcome.httpStatus ?? null),
      payload: this.options.capturePayloads ? this.payloadOf(call, outcome) : null,
    });
  }

  private payloadOf(call: PendingCall, outcome: Outcome): CallRecord["payload"] {
    const keys = this.options.redactKeys;
    return {
      request: call.params === undefined ? undefined : redactSecrets(call.params, keys),
      response: outcome.response === undefined ? undefined : redactSecrets(outcome.response, keys),
    };
  }

  private emit(record: CallRecord): void {
    try {
      this.options.sink.record(record);
    } catch (err) {
      this.recordFailed(err);
    }
  }

  private sweep(): void {
    const now = performance.now();
    const timeout = this.options.pairingTimeoutMs;
    for (const call of this.openCalls.values()) {
      if (now - call.startedAt < timeout) break;
      this.complete(call, { status: "timeout", errorMessage: `no response within ${timeout} ms` });
    }
    if (now - this.lastSessionSweep > 60_000) {
      this.lastSessionSweep = now;
      for (const [id, session] of this.sessions) {
        const idle = session.clientRequests.size === 0 && session.serverRequests.size === 0;
        if (idle && now - session.lastActive > SESSION_IDLE_MS) this.sessions.delete(id);
      }
    }
  }

  private tapFailed(reason: string): void {
    this.options.counters.tapErrors++;
    if (this.tapErrorLogged) return;
    this.tapErrorLogged = true;
    this.options.log.warn(`tap could not read a message (forwarded untouched; further ones are only counted): ${reason}`);
  }

  private recordFailed(err: unknown): void {
    this.options.counters.recordErrors++;
    if (this.recordErrorLogged) return;
    this.recordErrorLogged = true;
    this.options.log.error(`record sink failed (traffic continues; further failures are only counted): ${(err as Error)?.message ?? String(err)}`);
  }
}

function responseOutcome(call: PendingCall, message: Extract<RpcMessage, { kind: "response" }>, exchange: TapExchange | null): Outcome {
  const httpStatus = exchange?.httpStatus ?? null;
  const base = { bytesOut: message.bytes, httpStatus };
  if (message.error !== undefined) {
    return { ...base, status: "rpc_error", errorCode: message.error.code, errorMessage: message.error.message, response: { error: message.error } };
  }
  const result = message.result;
  if (call.method === "tools/call" && result !== undefined && result.isError === true) {
    return { ...base, status: "tool_error", errorMessage: firstText(result.content), response: result };
  }
  return { ...base, status: "ok", response: result };
}

/** A tool error's message is its first text block, the text the model sees. */
function firstText(content: unknown): string | null {
  if (!Array.isArray(content)) return null;
  const first: unknown = content[0];
  return isObject(first) && typeof first.text === "string" ? first.text : null;
}

function noteClientInfo(session: TapSession, method: string, params: Record<string, unknown>): void {
  let info: unknown;
  if (method === "initialize") info = params.clientInfo;
  else if (session.clientName === null && isObject(params._meta)) info = params._meta[CLIENT_INFO_META];
  if (!isObject(info) || typeof info.name !== "string") return;
  session.clientName = truncate(normaliseClientName(info.name), MAX_NAME_CHARS);
  session.clientVersion = typeof info.version === "string" ? truncate(info.version, MAX_NAME_CHARS) : null;
}

/** Tool or prompt name, resource URI: the one field that says what a call was about. */
function targetOf(params: Record<string, unknown>): string | null {
  const target = typeof params.name === "string" ? params.name : typeof params.uri === "string" ? params.uri : null;
  return truncate(target, MAX_TARGET_CHARS);
}

function isCountedNotification(method: string): boolean {
  return (
    method === "notifications/progress" ||
    method === "notifications/cancelled" ||
    method === "notifications/message" ||
    method === "notifications/resources/updated" ||
    method.endsWith("/list_changed")
  );
}

function truncate(value: string | null, max: number): string | null {
  return value !== null && value.length > max ? value.slice(0, max) : value;
}

function elapsedUs(startedAt: number): number {
  return Math.max(0, Math.round((performance.now() - startedAt) * 1000));
}

function validHttpStatus(status: number | null): number | null {
  return status !== null && status >= 100 && status <= 599 ? status : null;
}

