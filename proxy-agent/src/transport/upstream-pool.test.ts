import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import { createServer as createNetServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UpstreamPool, type RequestBody, type ResponseHead, type UpstreamPoolOptions } from "./upstream-pool";

interface Answer {
  head: ResponseHead;
  body: string;
}

function send(pool: UpstreamPool, method: string, path: string, headers: string[], body: RequestBody, stream?: (write: (b: Buffer) => void, end: () => void) => void): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let head: ResponseHead | null = null;
    const parts: Buffer[] = [];
    const exchange = pool.request(method, path, headers, body, {
      responseStart: (h) => (head = h),
      responseData: (c) => parts.push(Buffer.from(c)),
      responseEnd: () => resolve({ head: head!, body: Buffer.concat(parts).toString() }),
      responseError: reject,
      bodyDrain: () => {},
    });
    stream?.((b) => exchange.writeBody(b), () => exchange.endBody());
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
}

async function withServer(handler: RequestListener, run: (origin: string, server: Server, options?: UpstreamPoolOptions) => Promise<void>): Promise<void> {
  const server = createServer(handler);
  const origin = await listen(server);
  try {
    await run(origin, server);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => resolve(text));
  });
}

test("sequential requests share one keep-alive connection; Host and the given header lines are sent", async () => {
  const ports = new Set<number>();
  await withServer(
    async (req, res) => {
      ports.add(req.socket.remotePort!);
      const body = await readAll(req);
      res.end(JSON.stringify({ host: req.headers.host, x: req.headers["x-test"], body, url: req.url }));
    },
    async (origin) => {
      const pool = new UpstreamPool(origin);
      for (let i = 0; i < 3; i++) {
        const answer = await send(pool, "POST", "/mcp?q=1", ["X-Test", "v", "Content-Length", "2"], Buffer.from("hi"));
        assert.deepEqual(JSON.parse(answer.body), { host: new URL(origin).host, x: "v", body: "hi", url: "/mcp?q=1" });
      }
      assert.equal(ports.size, 1);
      await pool.close();
    },
  );
});

test("an idempotent request on an idle connection the upstream has just closed is sent again on a new one; a POST is not", async () => {
  const server = createNetServer((socket: Socket) => {
    // Answers one request per connection, then closes it right after (as a keep-alive timeout would).
    socket.once("data", () => {
      socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
      setTimeout(() => socket.destroy(), 20);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  const pool = new UpstreamPool(`http://127.0.0.1:${port}`);
  try {
    assert.equal((await send(pool, "GET", "/", [], null)).body, "ok");
    await new Promise((r) => setTimeout(r, 5));
    // The connection is still pooled; the upstream closes it just after this request is written.
    assert.equal((await send(pool, "GET", "/", [], null)).body, "ok");
    await new Promise((r) => setTimeout(r, 60));
    assert.equal((await send(pool, "POST", "/", ["Content-Length", "1"], Buffer.from("a"))).body, "ok");
    await new Promise((r) => setTimeout(r, 5));
    // A POST may have run: the client gets the failure rather than a second execution.
    await assert.rejects(send(pool, "POST", "/", ["Content-Length", "1"], Buffer.from("b")), /before responding/);
  } finally {
    await pool.close();
    await new Promise((resolve) => server.close(resolve));
  }
});

test("a streamed body of unknown length goes upstream chunked; one of known length as is", async () => {
  await withServer(
    async (req, res) => res.end(JSON.stringify({ te: req.headers["transfer-encoding"] ?? null, body: await readAll(req) })),
    async (origin) => {
      const pool = new UpstreamPool(origin);
      const chunked = await send(pool, "POST", "/", [], "chunked", (write, end) => {
        write(Buffer.from("abc"));
        setTimeout(() => {
          write(Buffer.from("def"));
          end();
        }, 10);
      });
      assert.deepEqual(JSON.parse(chunked.body), { te: "chunked", body: "abcdef" });
      const sized = await send(pool, "POST", "/", ["Content-Length", "4"], "length", (write, end) => {
        write(Buffer.from("wx"));
        write(Buffer.from("yz"));
        end();
      });
      assert.deepEqual(JSON.parse(sized.body), { te: null, body: "wxyz" });
      await pool.close();
    },
  );
});

test("a refused connection is reported as an error with its code", async () => {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  const pool = new UpstreamPool(`http://127.0.0.1:${port}`);
  await assert.rejects(send(pool, "GET", "/", [], null), (err: NodeJS.ErrnoException) => err.code === "ECONNREFUSED");
  await pool.close();
});

test("aborting an exchange closes its upstream connection", async () => {
  let closed!: () => void;
  const wasClosed = new Promise<void>((resolve) => (closed = resolve));
  await withServer(
    (req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write(": open\n\n");
      req.socket.on("close", () => closed());
    },
    async (origin) => {
      const pool = new UpstreamPool(origin);
      const failed = new Promise<Error>((resolve) => {
        const exchange = pool.request("GET", "/", [], null, {
          responseStart: () => {},
          responseData: () => exchange.abort(new Error("client disconnected")),
          responseEnd: () => {},
          responseError: resolve,
          bodyDrain: () => {},
        });
      });
      assert.match((await failed).message, /client disconnected/);
      await wasClosed;
      await pool.close();
    },
  );
});

test("HTTPS upstreams are verified and spoken to over TLS", async () => {
  const dir = mkdtempSync(join(tmpdir(), "tapline-tls-"));
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"], { stdio: "ignore" });
  const cert = readFileSync(join(dir, "cert.pem"));
  const server = createHttpsServer({ key: readFileSync(join(dir, "key.pem")), cert }, (req, res) => res.end(`secure ${req.headers.host}`));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const trusted = new UpstreamPool(`https://localhost:${port}`, { tls: { ca: cert } });
    assert.equal((await send(trusted, "GET", "/", [], null)).body, `secure localhost:${port}`);
    await trusted.close();
    const untrusted = new UpstreamPool(`https://localhost:${port}`);
    await assert.rejects(send(untrusted, "GET", "/", [], null), /self.signed|certificate/i);
    await untrusted.close();
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
