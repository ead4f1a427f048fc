/**
 * Embedded PostgreSQL for a single user trying Tapline with no database server: PGlite
 * (PostgreSQL compiled to WebAssembly) persisted in a data directory and served on a local
 * TCP port with the PostgreSQL wire protocol, so the app talks to it exactly as to a real server.
 *
 * Limits (docs/database.md): one backend session shared by every connection, so queries are
 * serialised and an open transaction blocks the others; no COPY over the socket.
 */
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export async function startEmbeddedPostgres(options: { dataDir: string; port?: number; host?: string }): Promise<EmbeddedPostgres> {
  mkdirSync(options.dataDir, { recursive: true });
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? (await freePort(host));
  const db = await PGlite.create(options.dataDir);
  // Far above any client pool: at maxConnections equal to the pool size PGlite resets connections.
  const server = new PGLiteSocketServer({ db, host, port, maxConnections: 200 });
  await server.start();
  return {
    url: `postgresql://postgres@${host}:${port}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
