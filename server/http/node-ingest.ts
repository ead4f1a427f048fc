/**
 * POST /api/v1/ingest served straight from node:http, beside Next.js (see cloud-server.ts). The
 * same `handleIngest` as the Next.js route, minus what Next.js costs per request on the busiest
 * endpoint: turning the Node request into a web stream chunk by chunk, routing, its tracing and
 * response piping (bench:ingest: 6–10 ms of CPU per 1,000 records, about 40 % of the app's).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { INGEST_LIMITS, respondToIngest } from "../ingest";

export const INGEST_PATH = "/api/v1/ingest";

export async function serveIngest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  await sendResponse(res, await respondToIngest(await ingestRequest(req)));
}

/**
 * The node request as the `Request` the ingest handler takes. A body over the limit is handed over
 * cut just past it: the handler answers with its own checks in its own order (key, content type,
 * then 413), and the rest of the body is read and dropped meanwhile.
 */
export async function ingestRequest(req: IncomingMessage): Promise<Request> {
  const body = await readBodyUpTo(req, INGEST_LIMITS.maxWireBytes);
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return new Request(`http://localhost${req.url ?? INGEST_PATH}`, {
    method: req.method ?? "POST",
    headers,
    body: new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length),
  });
}

/** Writes a handler's `Response` (small, already complete) as one node response with its length. */
export async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  const out = Buffer.from(await response.arrayBuffer());
  headers["content-length"] = String(out.length);
  res.writeHead(response.status, headers);
  res.end(out);
}

/**
 * How much of a refused body is read and thrown away so that the client, still sending, gets to
 * read the answer (closing on unread data resets the connection, and clients then report a
 * network error instead of the 413). Past this the connection is cut.
 */
const DISCARD_AT_MOST = 64 * 1024 * 1024;

/**
 * The body, or, when it is longer than `max`, its first `max` bytes and a little more (nothing at
 * all when its declared length is over `max`): the rest is read and dropped while the answer goes out.
 */
function readBodyUpTo(req: IncomingMessage, max: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > max) {
    discardRest(req, 0);
    return Promise.resolve(Buffer.alloc(0));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      total += chunk.length;
      if (total > max) {
        req.off("data", onData);
        req.off("end", onEnd);
        discardRest(req, total);
        resolve(Buffer.concat(chunks, total));
      }
    };
    const onEnd = () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total));
    req.on("data", onData);
    req.once("end", onEnd);
    req.once("error", reject);
  });
}

function discardRest(req: IncomingMessage, alreadyRead: number): void {
  let read = alreadyRead;
  req.on("data", (chunk: Buffer) => {
    read += chunk.length;
    if (read > DISCARD_AT_MOST) req.socket.destroy();
  });
  req.resume();
}
