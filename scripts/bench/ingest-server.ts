// The ingestion handler alone on node:http (no Next.js), for `npm run bench:ingest`: the cloud
// server's ingestion path (server/http/node-ingest.ts) without Next.js loaded beside it.
import { createServer } from "node:http";
import { serveIngest } from "../../server/http/node-ingest";

const port = Number(process.env.PORT ?? 0);
const server = createServer((req, res) => {
  serveIngest(req, res).catch((e: Error) => {
    res.writeHead(500, { "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "internal", message: e.message } }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === "object" && a ? a.port : port}\n`);
});
// A clean exit on SIGTERM, so that `node --cpu-prof` writes its profile.
process.on("SIGTERM", () => process.exit(0));
