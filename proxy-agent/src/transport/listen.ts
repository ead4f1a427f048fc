import type { Server as HttpServer } from "node:http";
import type { Server } from "node:net";
import type { ListenAddress, RunningProxy } from "../config/types";
import { TransportError } from "./transport-error";

/** Starts `server` on `address` and returns the origin clients use (`http://127.0.0.1:8787`). */
export function listenOn(server: Server, address: ListenAddress): Promise<string> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new TransportError("listen_failed", `cannot listen on ${address.host}:${address.port}: ${err.code ?? err.message}`, err));
    };
    server.once("error", onError);
    server.listen(address.port, address.host, () => {
      server.off("error", onError);
      const bound = server.address();
      const port = typeof bound === "object" && bound !== null ? bound.port : address.port;
      const host = address.host.includes(":") ? `[${address.host}]` : address.host;
      resolve(`http://${host}:${port}`);
    });
  });
}

/** Stops accepting and drops open connections (SSE streams would otherwise keep `close` waiting). */
export function closeServer(server: HttpServer): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/**
 * The RunningProxy of an HTTP listener: it never ends on its own, so `done` resolves (0) when
 * `close` has stopped the server (`stop`) and then run `release` (upstream pools, child processes).
 */
export function runningServer(stop: () => Promise<void>, url: string, release: () => Promise<void>): RunningProxy {
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  let closing: Promise<void> | null = null;
  return {
    url,
    done,
    close() {
      closing ??= Promise.all([stop(), release()]).then(() => resolveDone(0));
      return closing;
    },
  };
}
