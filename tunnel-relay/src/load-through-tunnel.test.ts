import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { createHash, randomBytes } from "node:crypto";
import { startTunnelAgent, type TunnelAgent } from "./agent/start-tunnel-agent";
import type { RunningRelay } from "./relay/start-relay";
import { ACME_KEY, closeServer, listen, startTestRelay, tempKeysFile } from "./testing/tunnel-fixture";

const keys = tempKeysFile();
const CONCURRENT = 1000;
const BIG = 100 * 1024 * 1024;
const block = randomBytes(1024 * 1024);
let relay: RunningRelay;
let local: http.Server;
let agent: TunnelAgent;
let waiting: http.ServerResponse[] = [];

/** 100 MB that is not one repeated block: each 1 MiB block is prefixed with its index. */
function* bigBody(): Generator<Buffer> {
  for (let i = 0; i < BIG / block.length; i++) {
    const piece = Buffer.from(block);
    piece.writeUInt32BE(i, 0);
    yield piece;
  }
}

function bigBodyHash(): string {
  const hash = createHash("sha256");
  for (const piece of bigBody()) hash.update(piece);
  return hash.digest("hex");
}

before(async () => {
  local = http.createServer((req, res) => {
    if (req.url === "/gather") {
      // Answer nobody until all requests are inside the local server at the same time.
      waiting.push(res);
      if (waiting.length === CONCURRENT) {
        for (const [i, r] of waiting.entries()) r.end(String(i));
        waiting = [];
      }
      return;
    }
    if (req.url === "/upload") {
      const hash = createHash("sha256");
      let bytes = 0;
      req.on("data", (c: Buffer) => { hash.update(c); bytes += c.length; });
      req.on("end", () => res.end(JSON.stringify({ bytes, sha256: hash.digest("hex") })));
      return;
    }
    if (req.url === "/download") {
      res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": String(BIG) });
      const pieces = bigBody();
      const pump = () => {
        for (let next = pieces.next(); !next.done; next = pieces.next()) if (!res.write(next.value)) return void res.once("drain", pump);
        res.end();
      };
      return pump();
    }
    res.writeHead(404).end();
  });
  local.maxConnections = CONCURRENT * 2;
  const localUrl = await listen(local);
  relay = await startTestRelay(keys.keysFile, { limits: { maxRequestBodyBytes: 2 * BIG, maxStreamsPerTunnel: CONCURRENT + 24 } });
  agent = await startTunnelAgent({ relayUrl: relay.url, apiKey: ACME_KEY, name: "load", target: localUrl, stateFile: false });
});

after(async () => {
  await agent.close();
  await relay.close();
  await closeServer(local);
  keys.cleanup();
});

test(`${CONCURRENT} concurrent requests are in flight on one tunnel at once`, { timeout: 60_000 }, async () => {
  const pool = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const bodies = await Promise.all(
    Array.from({ length: CONCURRENT }, () =>
      new Promise<string>((resolve, reject) => {
        http.get(`${relay.url}/t/load/gather`, { agent: pool }, (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (body += c));
          res.on("end", () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`status ${res.statusCode}: ${body}`))));
        }).on("error", reject);
      }),
    ),
  );
  pool.destroy();
  assert.equal(new Set(bodies).size, CONCURRENT);
});

test("a 100 MB upload arrives intact (sha256)", { timeout: 60_000 }, async () => {
  const expected = bigBodyHash();
  const reply = await new Promise<string>((resolve, reject) => {
    const req = http.request(`${relay.url}/t/load/upload`, { method: "POST", agent: false, headers: { "Content-Length": String(BIG) } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve(body));
    });
    req.on("error", reject);
    const pieces = bigBody();
    const pump = () => {
      for (let next = pieces.next(); !next.done; next = pieces.next()) if (!req.write(next.value)) return void req.once("drain", pump);
      req.end();
    };
    pump();
  });
  assert.deepEqual(JSON.parse(reply), { bytes: BIG, sha256: expected });
});

test("a 100 MB download arrives intact (sha256)", { timeout: 60_000 }, async () => {
  const expected = bigBodyHash();
  const { bytes, sha256 } = await new Promise<{ bytes: number; sha256: string }>((resolve, reject) => {
    http.get(`${relay.url}/t/load/download`, { agent: false }, (res) => {
      const hash = createHash("sha256");
      let bytes = 0;
      res.on("data", (c: Buffer) => { hash.update(c); bytes += c.length; });
      res.on("end", () => resolve({ bytes, sha256: hash.digest("hex") }));
      res.on("error", reject);
    }).on("error", reject);
  });
  assert.equal(bytes, BIG);
  assert.equal(sha256, expected);
});
