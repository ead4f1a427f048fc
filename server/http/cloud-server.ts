/**
 * The cloud's HTTP server in production (`npm start`): Next.js for everything, except ingestion,
 * which is answered from node:http first (node-ingest.ts). One port, one process, one set of
 * services: both ways in share the process-wide pools and caches (server/ingest/index.ts).
 */
import { createServer, type Server } from "node:http";
import next from "next";
import { INGEST_PATH, serveIngest } from "./node-ingest";

export interface CloudServerOptions {
  /** The app's root (where .next and next.config.ts are). */
  dir: string;
  port: number;
  hostname?: string;
}

export interface CloudServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startCloudServer(options: CloudServerOptions): Promise<CloudServer> {
  // As `next start`: without a hostname, listen on every interface (IPv6 and IPv4 where available).
  const hostname = options.hostname;
  const app = next({ dev: false, dir: options.dir, hostname: hostname ?? "localhost", port: options.port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = createServer((req, res) => {
    if (req.method === "POST" && isIngestPath(req.url)) {
      serveIngest(req, res).catch((e: unknown) => {
        // Only reading the request can fail here (the client went away mid-body); the handler itself answers every error.
        console.error(`ingest request failed: ${(e as Error).message}`);
        if (res.headersSent) return void res.destroy();
        res.writeHead(400, { "content-type": "application/json", connection: "close" });
        res.end(JSON.stringify({ error: { code: "bad_request", message: "the request body could not be read" } }));
      });
      return;
    }
    void handle(req, res);
  });
  // Agents keep one connection open and ship every few seconds: keep it longer than Node's 5 s.
  server.keepAliveTimeout = 65_000;
  // Kept above the keep-alive timeout, as Node advises, so the headers timer never closes a connection the keep-alive timer still holds open.
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    if (hostname) server.listen(options.port, hostname, () => resolve());
    else server.listen(options.port, () => resolve());
  });
  return {
    server,
    url: `http://${!hostname || hostname === "0.0.0.0" || hostname === "::" ? "localhost" : hostname}:${options.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }).then(() => app.close()),
  };
}

function isIngestPath(url: string | undefined): boolean {
  if (!url?.startsWith(INGEST_PATH)) return false;
  const rest = url.slice(INGEST_PATH.length);
  return rest === "" || rest[0] === "?";
}
