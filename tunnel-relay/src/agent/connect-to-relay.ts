import WebSocket from "ws";
import type { IncomingMessage } from "node:http";
import { muxOverWebSocket } from "../protocol/ws-transport";
import type { Muxer } from "../protocol/muxer";
import type { HelloMessage, RequestHead } from "../protocol/frame";
import type { MuxStream } from "../protocol/stream";
import { TunnelError } from "../protocol/errors";
import { AGENT_CONNECT_PATH, TUNNEL_NAME_HEADER } from "../relay/agent-endpoint";

export interface RelayConnection {
  muxer: Muxer;
  hello: HelloMessage;
}

/** Relay answers that retrying cannot fix: bad key, name owned by someone else, invalid name. */
export const FATAL_CONNECT_CODES = new Set(["unauthorized", "name_taken", "name_revoked", "invalid_name", "replaced"]);

export function agentConnectUrl(relayUrl: string): string {
  const url = new URL(relayUrl);
  url.protocol = url.protocol === "https:" || url.protocol === "wss:" ? "wss:" : "ws:";
  url.pathname = url.pathname.replace(/\/$/, "") + AGENT_CONNECT_PATH;
  return url.toString();
}

function readRefusal(response: IncomingMessage): Promise<TunnelError> {
  return new Promise((resolve) => {
    let body = "";
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => (body += chunk.slice(0, 4096)));
    response.on("end", () => {
      try {
        const parsed = JSON.parse(body) as { error?: { code?: string; message?: string } };
        resolve(new TunnelError(parsed.error?.code ?? `http_${response.statusCode}`, parsed.error?.message ?? `relay answered ${response.statusCode}`));
      } catch {
        resolve(new TunnelError(`http_${response.statusCode}`, `relay answered ${response.statusCode} ${response.statusMessage ?? ""}`.trim()));
      }
    });
    response.on("error", () => resolve(new TunnelError(`http_${response.statusCode}`, `relay answered ${response.statusCode}`)));
  });
}

export type StreamHandler = (stream: MuxStream, head: RequestHead) => void;

/**
 * One attempt: open the WebSocket (key in the Authorization header, never the URL) and wait for
 * HELLO. `onStream` is attached before HELLO is awaited: the relay may send a waiting request's
 * OPEN right behind HELLO, in the same read.
 */
export function connectToRelay(relayUrl: string, apiKey: string, name: string | undefined, timeoutMs: number, onStream: StreamHandler): Promise<RelayConnection> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Authorization: `Bearer ${apiKey}` };
    if (name) headers[TUNNEL_NAME_HEADER] = name;
    const ws = new WebSocket(agentConnectUrl(relayUrl), {
      headers,
      perMessageDeflate: false,
      maxPayload: 1024 * 1024,
      handshakeTimeout: timeoutMs,
      // Masking exists to stop browsers' scripts from crafting bytes that fool plaintext proxies.
      // The agent is not a browser and production relays are wss://, so a zero mask (which ws
      // skips on both ends) saves the XOR over every byte, the top CPU cost of a transfer.
      generateMask: (mask: Buffer) => void mask.fill(0),
    });
    let settled = false;
    const fail = (error: TunnelError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.terminate();
      reject(error);
    };
    const timer = setTimeout(() => fail(new TunnelError("relay_unreachable", `no answer from ${relayUrl} within ${timeoutMs} ms`)), timeoutMs);
    ws.once("unexpected-response", (_request, response) => {
      void readRefusal(response).then(fail);
    });
    ws.once("error", (error) => fail(new TunnelError("relay_unreachable", `cannot reach the relay at ${relayUrl}: ${error.message}`)));
    ws.once("open", () => {
      const muxer = muxOverWebSocket(ws, "agent");
      muxer.on("stream", onStream);
      muxer.once("hello", (hello) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ muxer, hello });
      });
      muxer.once("close", (error) => fail(error ?? new TunnelError("connection_closed", "relay closed the connection before HELLO")));
    });
  });
}
