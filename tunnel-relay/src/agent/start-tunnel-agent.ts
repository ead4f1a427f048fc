import http from "node:http";
import { EventEmitter } from "node:events";
import type { Muxer } from "../protocol/muxer";
import { keepMuxerAlive } from "../protocol/ws-transport";
import { TunnelError } from "../protocol/errors";
import type { HelloMessage } from "../protocol/frame";
import { connectToRelay, FATAL_CONNECT_CODES } from "./connect-to-relay";
import { forwardStreamToLocal, type LocalTarget } from "./forward-to-local";
import { reconnectDelay } from "./backoff";
import { AGENT_CLOSED } from "../relay/tunnel-registry";
import { defaultStateFile, forgetName, rememberName, rememberedName, stateKey } from "./state-file";

export type AgentLogger = (level: "debug" | "info" | "warn" | "error", message: string) => void;

export interface TunnelAgentOptions {
  /** Relay base URL, e.g. https://tunnel.tapline.dev or http://127.0.0.1:3100. */
  relayUrl: string;
  apiKey: string;
  /** Stable name to reserve for the key's organization; a name owned by another org fails with `name_taken`. */
  name?: string;
  /** The local server, e.g. new URL("http://localhost:3001"). */
  target: URL;
  /** Where an unnamed tunnel remembers its random name (default ~/.tapline/tunnels.json); false disables. */
  stateFile?: string | false;
  hostHeader?: "preserve" | "rewrite";
  log?: AgentLogger;
  reconnect?: { initialDelayMs?: number; maxDelayMs?: number };
  connectTimeoutMs?: number;
  pingIntervalMs?: number;
}

export interface TunnelAgentEvents {
  /** Reconnected after a drop (the first connection is the resolved promise); `hello.urls` are the public URLs. */
  connected: [HelloMessage];
  disconnected: [TunnelError];
  reconnecting: [{ attempt: number; delayMs: number; error: TunnelError }];
  /** Gave up for good (key revoked, name taken, replaced by another agent); the agent is closed. */
  fatal: [TunnelError];
}

export interface TunnelAgent {
  readonly publicUrl: string;
  readonly urls: string[];
  readonly name: string;
  on<E extends keyof TunnelAgentEvents>(event: E, listener: (...args: TunnelAgentEvents[E]) => void): TunnelAgent;
  close(): Promise<void>;
}

/**
 * Connect a local server to the relay and keep it connected. Resolves once the first connection
 * is up; rejects with a TunnelError (code unauthorized, name_taken, invalid_name, relay_unreachable…)
 * if it cannot be. Afterwards every drop is followed by reconnects with jittered backoff, under the same name.
 */
export async function startTunnelAgent(options: TunnelAgentOptions): Promise<TunnelAgent> {
  const log = options.log ?? (() => {});
  const events = new EventEmitter<TunnelAgentEvents>();
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const initialDelayMs = options.reconnect?.initialDelayMs ?? 250;
  const maxDelayMs = options.reconnect?.maxDelayMs ?? 30_000;
  const stateFile = options.stateFile === false ? undefined : (options.stateFile ?? defaultStateFile());
  const key = stateKey(options.relayUrl, options.target);
  const localAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const target: LocalTarget = { url: options.target, hostHeader: options.hostHeader ?? "preserve", agent: localAgent };

  let closed = false;
  let current: Muxer | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;

  async function firstConnection(): Promise<HelloMessage> {
    const remembered = options.name ? undefined : stateFile && rememberedName(stateFile, key);
    try {
      return await establish(options.name ?? remembered);
    } catch (error) {
      const failure = error as TunnelError;
      if (!remembered || failure.code !== "name_taken") throw failure;
      // Our remembered random name went to someone else (e.g. the relay lost its reservations): take a new one, loudly.
      const message = `remembered tunnel name "${remembered}" is no longer available; the relay will assign a new one`;
      log("warn", message);
      forgetName(stateFile!, key);
      return establish(undefined);
    }
  }

  let hello: HelloMessage;
  async function establish(name: string | undefined): Promise<HelloMessage> {
    const connection = await connectToRelay(options.relayUrl, options.apiKey, name, connectTimeoutMs, (stream, head) => forwardStreamToLocal(stream, head, target));
    if (closed) {
      connection.muxer.destroy();
      throw new TunnelError("closed", "agent closed while connecting");
    }
    current = connection.muxer;
    hello = connection.hello;
    if (hello.assigned && stateFile) rememberName(stateFile, key, hello.name);
    keepMuxerAlive(connection.muxer, options.pingIntervalMs ?? 15_000);
    connection.muxer.once("close", (error) => onDisconnect(connection.muxer, error ?? new TunnelError("connection_closed", "relay connection closed")));
    log("info", `tunnel "${hello.name}" connected: ${hello.urls.join("  ")}`);
    return hello;
  }

  function onDisconnect(muxer: Muxer, error: TunnelError): void {
    if (closed || muxer !== current) return;
    current = undefined;
    events.emit("disconnected", error);
    if (FATAL_CONNECT_CODES.has(error.code)) return giveUp(error);
    log("warn", `tunnel disconnected (${error.message}); reconnecting`);
    scheduleReconnect(0, error);
  }

  function scheduleReconnect(attempt: number, error: TunnelError): void {
    if (closed) return;
    const delayMs = reconnectDelay(attempt, initialDelayMs, maxDelayMs);
    events.emit("reconnecting", { attempt, delayMs, error });
    reconnectTimer = setTimeout(() => {
      establish(hello.name).then(
        (again) => events.emit("connected", again),
        (failure: TunnelError) => {
          if (FATAL_CONNECT_CODES.has(failure.code)) return giveUp(failure);
          log("debug", `reconnect attempt ${attempt + 1} failed: ${failure.message}`);
          scheduleReconnect(attempt + 1, failure);
        },
      );
    }, delayMs);
  }

  function giveUp(error: TunnelError): void {
    log("error", `tunnel stopped: ${error.message}`);
    void agent.close();
    events.emit("fatal", error);
  }

  hello = await firstConnection();

  const agent: TunnelAgent = {
    get publicUrl() {
      return hello.urls[0]!;
    },
    get urls() {
      return hello.urls;
    },
    get name() {
      return hello.name;
    },
    on(event, listener) {
      events.on(event, listener as never);
      return agent;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(reconnectTimer);
      current?.goAway(AGENT_CLOSED, "the tunnel agent was stopped");
      current = undefined;
      localAgent.destroy();
    },
  };
  return agent;
}
