import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

/**
 * An HTTP "MCP server" that misbehaves on request, for the proxy's fault tests. The behaviour is
 * chosen per request by the `x-fixture` header (forwarded by the proxy like any header):
 * - `bad-json`: 200 application/json with a body that is not JSON;
 * - `echo-big`: answers a JSON-RPC request with `result.received` (bytes read) and `result.message` (params.arguments.message);
 * - `headers`: answers with the request headers it received, and sets MCP response headers;
 * - `idle`: an SSE stream: one event, then silence for `x-idle-ms`, then a second event and the end;
 * - `die-mid-stream`: an SSE response that sends one event, then drops the connection;
 * - `hold`: an SSE response that never ends; `closed` resolves when the proxy drops the request.
 * Any other path answers 200 "ok" (a health check).
 */
export interface MisbehavingServer {
  url: string;
  server: Server;
  /** Resolves the next time a `hold` request is closed from the proxy's side. */
  nextHoldClosed(): Promise<void>;
  close(): Promise<void>;
}

export async function startMisbehavingServer(): Promise<MisbehavingServer> {
  let holdClosed: (() => void) | null = null;
  const server = createServer((req, res) => {
    if (!req.url?.startsWith("/mcp")) {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    const mode = String(req.headers["x-fixture"] ?? "");
    readBody(req).then((body) => {
      switch (mode) {
        case "bad-json":
          return void res.writeHead(200, { "content-type": "application/json" }).end("{this is not json");
        case "echo-big": {
          const request = JSON.parse(body.toString("utf8")) as { id: number; params: { arguments: { message: string } } };
          const out = JSON.stringify({ jsonrpc: "2.0", id: request.id, result: { received: body.length, content: [{ type: "text", text: request.params.arguments.message }] } });
          return void res.writeHead(200, { "content-type": "application/json" }).end(out);
        }
        case "headers":
          res.writeHead(401, { "content-type": "application/json", "www-authenticate": 'Bearer resource_metadata="http://x/.well-known/oauth-protected-resource"', "mcp-session-id": "fixture-session" });
          return void res.end(JSON.stringify({ jsonrpc: "2.0", id: 1, result: { headers: req.headers } }));
        case "idle":
          return void idleStream(res, Number(req.headers["x-idle-ms"] ?? 1000));
        case "die-mid-stream":
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.write('event: message\ndata: {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":1,"progress":1}}\n\n');
          return void setTimeout(() => res.socket?.destroy(), 50);
        case "hold":
          res.writeHead(200, { "content-type": "text/event-stream" });
          res.write(": holding\n\n");
          res.on("close", () => holdClosed?.());
          return;
        default:
          res.writeHead(400, { "content-type": "application/json" }).end('{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"unknown fixture mode"}}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    server,
    nextHoldClosed: () => new Promise<void>((resolve) => (holdClosed = resolve)),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

function idleStream(res: ServerResponse, idleMs: number): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  res.write('id: 1\nevent: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"before idle"}}\n\n');
  setTimeout(() => {
    res.end('id: 2\nevent: message\ndata: {"jsonrpc":"2.0","method":"notifications/message","params":{"level":"info","data":"after idle"}}\n\n');
  }, idleMs);
}
