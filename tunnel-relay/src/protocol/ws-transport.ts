import type { WebSocket } from "ws";
import { Muxer, type MuxRole } from "./muxer";
import { TunnelError } from "./errors";
import type { MuxConfig } from "./config";

/** ws close codes carry at most 123 bytes of reason. */
function closeReason(reason: string): string {
  return Buffer.byteLength(reason) <= 120 ? reason : reason.slice(0, 100) + "…";
}

/** Run a muxer over an open WebSocket; the socket closing destroys the muxer and vice versa. */
export function muxOverWebSocket(ws: WebSocket, role: MuxRole, config: Partial<MuxConfig> = {}): Muxer {
  const muxer = new Muxer(
    {
      send(data, done) {
        if (ws.readyState !== ws.OPEN) return done(new Error("websocket is not open"));
        ws.send(data, { binary: true }, done);
      },
      close(reason) {
        if (ws.readyState === ws.OPEN) ws.close(1000, closeReason(reason));
        else if (ws.readyState === ws.CONNECTING) ws.terminate();
      },
    },
    role,
    config,
  );
  ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
    if (Array.isArray(data)) for (const part of data) muxer.receive(part);
    else muxer.receive(data instanceof ArrayBuffer ? new Uint8Array(data) : data);
  });
  ws.once("close", (code, reason) => {
    muxer.destroy(new TunnelError("connection_closed", `tunnel websocket closed (${code}${reason.length ? `: ${reason}` : ""})`));
  });
  ws.on("error", () => {
    /* 'close' follows and carries the outcome */
  });
  return muxer;
}

/** Ping every intervalMs; two missed answers mean the peer is gone (half-open TCP is otherwise silent). */
export function keepMuxerAlive(muxer: Muxer, intervalMs: number): () => void {
  const timer = setInterval(() => {
    muxer.ping(intervalMs * 2).catch((error: TunnelError) => muxer.destroy(error));
  }, intervalMs);
  timer.unref();
  muxer.once("close", () => clearInterval(timer));
  return () => clearInterval(timer);
}
