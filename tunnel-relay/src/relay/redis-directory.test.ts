import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { once } from "node:events";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import WebSocket, { WebSocketServer } from "ws";
import { startTunnelAgent, type TunnelAgent } from "../agent/start-tunnel-agent";
import type { RunningRelay } from "./start-relay";
import { RedisDirectory } from "./redis-directory";
import { ACME_KEY, closeServer, listen, request, startTestRelay, tempKeysFile } from "../testing/tunnel-fixture";
import { freePort } from "../testing/free-port";

const REDIS_URL = process.env.TAPLINE_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `tapline-test:${randomUUID()}:`;
const keys = tempKeysFile();
let holder: RunningRelay;
let other: RunningRelay;
let local: http.Server;
let localUrl: URL;
let agent: TunnelAgent;

async function relayWithRedis(): Promise<RunningRelay> {
  const port = await freePort();
  const directory = new RedisDirectory({ redisUrl: REDIS_URL, instanceUrl: `http://127.0.0.1:${port}`, keyPrefix: prefix, ttlMs: 3000 });
  return startTestRelay(keys.keysFile, { port, directory, limits: { reconnectWaitMs: 300 } });
}

before(async () => {
  local = http.createServer((req, res) => {
    if (req.url === "/events") {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.write("data: one\n\n");
      return; // held open
    }
    res.end(`served ${req.method} ${req.url} host=${req.headers["x-forwarded-host"]} for=${req.headers["x-forwarded-for"]}`);
  });
  new WebSocketServer({ server: local }).on("connection", (socket) => socket.on("message", (data) => socket.send(`echo ${data}`)));
  localUrl = await listen(local);
  [holder, other] = await Promise.all([relayWithRedis(), relayWithRedis()]);
  agent = await startTunnelAgent({ relayUrl: holder.url, apiKey: ACME_KEY, name: "spread", target: localUrl, stateFile: false });
});

after(async () => {
  await agent.close();
  await Promise.all([holder.close(), other.close()]);
  await closeServer(local);
  const redis = new Redis(REDIS_URL);
  const leftovers = await redis.keys(`${prefix}*`);
  if (leftovers.length) await redis.del(...leftovers);
  await redis.quit();
  keys.cleanup();
});

test("a request landing on the instance without the tunnel is forwarded to the holder", async () => {
  const res = await request(`${other.url}/t/spread/hello?x=1`);
  assert.equal(res.status, 200);
  assert.equal(res.body.toString(), `served GET /hello?x=1 host=127.0.0.1:${other.port} for=127.0.0.1`);
  const res2 = await request(`${other.url}/x`, { method: "POST", headers: { Host: `spread.tunnel.test:${other.port}` }, body: "b" });
  assert.equal(res2.body.toString(), `served POST /x host=spread.tunnel.test:${other.port} for=127.0.0.1`);
  assert.match((await request(`${other.url}/metrics`)).body.toString(), /^tapline_tunnel_peer_forwards_total [1-9]/m);
});

test("SSE through the inner hop arrives while the response is still open", async () => {
  const req = http.get(`${other.url}/t/spread/events`, { agent: false });
  const [res] = (await once(req, "response")) as [http.IncomingMessage];
  const [chunk] = (await once(res, "data")) as [Buffer];
  assert.equal(chunk.toString(), "data: one\n\n");
  req.destroy();
});

test("a WebSocket upgrade is forwarded to the holder too", async () => {
  const ws = new WebSocket(`${other.url.replace("http", "ws")}/t/spread/ws`);
  await once(ws, "open");
  ws.send("ping");
  const [reply] = (await once(ws, "message")) as [Buffer];
  assert.equal(reply.toString(), "echo ping");
  ws.close();
});

test("Redis holds only the name → instance record", async () => {
  const redis = new Redis(REDIS_URL);
  const stored = await redis.keys(`${prefix}*`);
  assert.deepEqual(stored, [`${prefix}name:spread`]);
  assert.equal(await redis.get(stored[0]!), holder.url);
  await redis.quit();
});

test("the same name connecting to another instance takes over; the old instance lets go", async () => {
  const fatal = new Promise<{ code: string }>((resolve) => agent.on("fatal", resolve));
  const second = await startTunnelAgent({ relayUrl: other.url, apiKey: ACME_KEY, name: "spread", target: localUrl, stateFile: false });
  assert.equal((await fatal).code, "replaced");
  const viaOld = await request(`${holder.url}/t/spread/moved`);
  assert.equal(viaOld.status, 200);
  assert.match(viaOld.body.toString(), /^served GET \/moved/);
  await second.close();
});
