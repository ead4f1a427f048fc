import { test, after } from "node:test";
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { ClientServer, type ClientRequest, type ClientResponse } from "./client-connection";

/** Answers every request with what it received; `x-framing` picks the response framing, `x-hold` holds the head. */
function echo(req: ClientRequest, res: ClientResponse): void {
  const reply = (body: string) => {
    const text = JSON.stringify({ method: req.head.method, target: req.head.target, body });
    const framing = req.head.rawHeaders.includes("x-framing") ? "chunked" : "length";
    if (framing === "length") return res.send(200, "Content-Type: application/json\r\n", text);
    res.writeHead(200, "Content-Type: application/json\r\n", "chunked", req.head.rawHeaders.includes("x-hold"));
    res.write(Buffer.from(text.slice(0, 5)));
    res.write(Buffer.from(text.slice(5)));
    res.end();
  };
  if (req.body !== "stream") return reply(req.body?.toString() ?? "");
  const parts: Buffer[] = [];
  req.onData = (chunk) => parts.push(Buffer.from(chunk));
  req.onEnd = () => reply(Buffer.concat(parts).toString());
}

const closedResponses: string[] = [];
const handlerErrors: string[] = [];
const server = new ClientServer((req, res) => {
  if (req.head.target === "/throws") throw new Error("handler bug");
  if (req.head.target === "/held-alone") {
    // An event stream whose first event is slow to come: its held head must still reach the client.
    res.writeHead(200, "Content-Type: text/event-stream\r\n", "chunked", true);
    return;
  }
  if (req.head.target === "/hang") {
    res.onClose = () => closedResponses.push(req.head.target);
    res.writeHead(200, "Content-Type: text/event-stream\r\n", "chunked");
    res.write(Buffer.from("data: first\n\n"));
    return;
  }
  echo(req, res);
}, (err) => handlerErrors.push((err as Error).message));
await new Promise<void>((resolve) => server.server.listen(0, "127.0.0.1", resolve));
const port = (server.server.address() as { port: number }).port;
after(() => server.close());

/** Sends `parts` (one write each) and collects everything until the server closes or `until` matches. */
function exchange(parts: (string | Buffer)[], until?: RegExp): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, "127.0.0.1");
    let text = "";
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ text, closed });
    };
    socket.on("data", (chunk) => {
      text += chunk.toString("latin1");
      if (until?.test(text)) finish(false);
    });
    socket.on("close", () => finish(true));
    socket.on("error", reject);
    socket.on("connect", async () => {
      for (const part of parts) {
        socket.write(part);
        await new Promise((r) => setTimeout(r, 5));
      }
    });
  });
}

function bodies(text: string): string[] {
  return [...text.matchAll(/\{"method".*?\}(?=HTTP|$|\r)/g)].map((m) => m[0]);
}

test("requests on one keep-alive connection, sent apart or pipelined in one write, are answered in order", async () => {
  const post = (id: number) => `POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: ${String(id).length}\r\n\r\n${id}`;
  const apart = await exchange([post(1), post(22)], /"body":"22"/);
  assert.deepEqual(bodies(apart.text).map((b) => JSON.parse(b).body), ["1", "22"]);
  assert.equal(apart.closed, false);
  const pipelined = await exchange([post(1) + post(22) + "GET /after?q=1 HTTP/1.1\r\nHost: x\r\n\r\n"], /"target":"\/after\?q=1"/);
  assert.deepEqual(bodies(pipelined.text).map((b) => JSON.parse(b).target), ["/mcp", "/mcp", "/after?q=1"]);
});

test("a head and body trickling in byte by byte are put together", async () => {
  const request = 'POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 13\r\n\r\n{"id":"slow"}';
  const { text } = await exchange([...request].map((c) => c), /slow/);
  assert.equal(JSON.parse(bodies(text)[0]!).body, '{"id":"slow"}');
});

test("a chunked request body is decoded and the pipelined request after it still answered", async () => {
  const chunked = "POST /mcp HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n";
  const { text } = await exchange([chunked + "GET /next HTTP/1.1\r\nHost: x\r\n\r\n"], /"target":"\/next"/);
  const [first, second] = bodies(text).map((b) => JSON.parse(b));
  assert.equal(first.body, "hello world");
  assert.equal(second.target, "/next");
});

test("a body over 64 KiB is streamed to the handler whole", async () => {
  const body = "x".repeat(200_000);
  const { text } = await exchange([`POST /big HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`, body.slice(0, 70_000), body.slice(70_000)], /"\}$/);
  assert.equal(JSON.parse(bodies(text)[0]!).body.length, 200_000);
});

test("chunked responses are framed for HTTP/1.1 and close-delimited for HTTP/1.0", async () => {
  const v11 = await exchange(["GET /c HTTP/1.1\r\nHost: x\r\nx-framing: 1\r\n\r\n"], /0\r\n\r\n$/);
  assert.match(v11.text, /Transfer-Encoding: chunked\r\n/);
  assert.match(v11.text, /\r\n5\r\n\{"met\r\n/);
  const v10 = await exchange(["GET /c HTTP/1.0\r\nx-framing: 1\r\n\r\n"]);
  assert.equal(v10.closed, true);
  assert.doesNotMatch(v10.text, /Transfer-Encoding/);
  assert.match(v10.text, /Connection: close\r\n\r\n\{"method":"GET","target":"\/c","body":""\}$/);
});

test("Connection: close is honoured after the response", async () => {
  const { text, closed } = await exchange(["GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"]);
  assert.equal(closed, true);
  assert.deepEqual(bodies(text).map((b) => JSON.parse(b).target), ["/a"]);
  assert.match(text, /Connection: close/);
});

test("Expect: 100-continue gets its interim answer before the body is sent", async () => {
  const { text } = await exchange(["POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n", "ok"], /"body":"ok"/);
  assert.ok(text.startsWith("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n"));
});

test("requests that could be read two ways, or not at all, get a 4xx/5xx and the connection closes", async () => {
  const cases: [string, number][] = [
    ["POST /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n", 400],
    ["GET /mcp HTTP/1.1\r\nHost: x\r\nX-Bad: a\nInjected: b\r\n\r\n", 400],
    ["GET /mcp HTTP/1.1\r\nHost: x\r\n Folded: line\r\n\r\n", 400],
    ["GET /mcp HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400],
    ["GET /mcp HTTP/1.1\r\nHost : x\r\n\r\n", 400],
    ["GET /mcp HTTP/2.0\r\nHost: x\r\n\r\n", 505],
    ["POST /mcp HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501],
    ["POST /mcp HTTP/1.1\r\nHost: x\r\nExpect: magic\r\n\r\n", 417],
    [`GET /mcp HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, 431],
  ];
  for (const [request, status] of cases) {
    const { text, closed } = await exchange([request]);
    assert.ok(text.startsWith(`HTTP/1.1 ${status} `), `${JSON.stringify(request.slice(0, 60))} → ${text.slice(0, 40)}`);
    assert.equal(closed, true);
  }
});

test("a client leaving mid-response is reported to the response's owner", async () => {
  await exchange(["GET /hang HTTP/1.1\r\nHost: x\r\n\r\n"], /first/);
  for (let i = 0; i < 100 && closedResponses.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(closedResponses, ["/hang"]);
});

test("a held head goes out with the body that follows it, framed once", async () => {
  const { text } = await exchange(["GET /h HTTP/1.1\r\nHost: x\r\nx-framing: 1\r\nx-hold: 1\r\n\r\n"], /0\r\n\r\n$/);
  assert.match(text, /^HTTP\/1\.1 200 OK\r\nContent-Type: application\/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n/);
  assert.equal(text.match(/HTTP\/1\.1/g)?.length, 1);
});

test("a held head with no body after it still reaches the client on its own", async () => {
  const { text, closed } = await exchange(["GET /held-alone HTTP/1.1\r\nHost: x\r\n\r\n"], /\r\n\r\n$/);
  assert.equal(closed, false);
  assert.equal(text, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
});

test("a handler that throws closes its connection and is reported, and the server keeps serving", async () => {
  const { text, closed } = await exchange(["GET /throws HTTP/1.1\r\nHost: x\r\n\r\n"]);
  assert.deepEqual([text, closed], ["", true]);
  assert.deepEqual(handlerErrors, ["handler bug"]);
  const after = await exchange(["GET /ok HTTP/1.1\r\nHost: x\r\n\r\n"], /"target":"\/ok"/);
  assert.equal(after.closed, false);
});
