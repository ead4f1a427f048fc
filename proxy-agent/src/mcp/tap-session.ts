import type { Direction } from "../wire";
import type { PagesInProgress } from "./schema-snapshot-collector";

/** A request seen going one way, waiting for its response from the other side. */
export interface PendingCall {
  /** Changes only when an unnamed session is merged into a named one. */
  session: TapSession;
  readonly direction: Direction;
  readonly rpcId: string;
  readonly method: string;
  readonly target: string | null;
  /** `performance.now()` when the request was seen; the record's ts and duration derive from it. */
  readonly startedAt: number;
  readonly bytesIn: number;
  readonly seq: number;
  /** `params.cursor` of list requests, to chain pages. */
  readonly cursor: unknown;
  /** `params`, kept only when payloads are captured. */
  readonly params: Record<string, unknown> | undefined;
  /** Key in the tap's timeout queue. */
  readonly queueKey: number;
  done: boolean;
}

/** What the tap knows about one MCP session: its client, its request counter and its open calls. */
export class TapSession {
  clientName: string | null = null;
  clientVersion: string | null = null;
  /** Requests seen so far in this session, both directions (a record's `seq`). */
  requests = 0;
  /** Requests the client sent, by JSON-RPC id, until the server answers. */
  readonly clientRequests = new Map<string, PendingCall>();
  /** Requests the server sent (sampling, elicitation, roots, ping), until the client answers. */
  readonly serverRequests = new Map<string, PendingCall>();
  pages: PagesInProgress | null = null;
  lastActive = 0;

  constructor(public id: string | null) {}

  /** Takes over the open calls and client identity of `other` (an unnamed session that turned out to be this one). */
  adopt(other: TapSession): void {
    for (const [own, theirs] of [
      [this.clientRequests, other.clientRequests],
      [this.serverRequests, other.serverRequests],
    ] as const) {
      for (const [id, call] of theirs) {
        call.session = this;
        own.set(id, call);
      }
      theirs.clear();
    }
    if (this.clientName === null) {
      this.clientName = other.clientName;
      this.clientVersion = other.clientVersion;
    }
  }

  /** Requests sent by `side`, where its peer's response will be looked up. */
  requestsSentBy(side: "client" | "server"): Map<string, PendingCall> {
    return side === "client" ? this.clientRequests : this.serverRequests;
  }
}

/**
 * The messages one HTTP request/response pair carried. Requests its (client) body started are listed
 * so that a failed exchange (upstream down, HTTP error without a JSON-RPC answer) can close them.
 */
export class TapExchange {
  constructor(public httpStatus: number | null = null) {}

  readonly calls: PendingCall[] = [];
  /** A JSON-RPC error answered with `"id": null` (the server could not read the request). */
  anonymousError: { code: number | null; message: string | null } | null = null;
}
