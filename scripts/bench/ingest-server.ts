// The ingestion handler alone on node:http (no Next.js), for `npm run bench:ingest`.
import { createServer } from "node:http";
import { handleIngest } from "../../server/ingest";
import { ingestDeps } from "../../server/ingest";

const port = Number(process.env.PORT ?? 0);
const deps = ingestDeps();
const server = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const request = new Request(`http://localhost${req.url}`, {
    method: req.method,
    headers: req.headers as Record<string, string>,
    body: Buffer.concat(chunks),
  });
  const response = await handleIngest(request, deps).catch(
    (e: Error) => new Response(JSON.stringify({ error: { code: "internal", message: e.message } }), { status: 500 }),
  );
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
});
server.keepAliveTimeout = 60_000;
server.listen(port, "127.0.0.1", () => {
  const a = server.address();
  process.stdout.write(`listening ${typeof a === "object" && a ? a.port : port}\n`);
});
// A clean exit on SIGTERM, so that `node --cpu-prof` writes its profile.
process.on("SIGTERM", () => process.exit(0));
