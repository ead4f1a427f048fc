/**
 * The cloud's HTTP server as `npm start` runs it (server/http): ingestion answered from node:http
 * before Next.js, everything else by Next.js. The fast path must answer exactly as the Next.js
 * route does (which a bare `next start` still serves), refuse oversize bodies without reading them
 * whole, and keep its checks in the handler's order (key before size).
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import { gzipSync } from "node:zlib";
import { startAppServer, type AppServer } from "./support/app-server";
import { createPrismaClient, type Db } from "../server/db/client";
import { createPool } from "../server/db/pool";
import { generateApiKey } from "../server/keys";
import { makeBatch, makeRecord } from "./support/records";

interface Running {
  app: AppServer;
  db: Db;
  key: string;
  projectId: string;
  stored(): Promise<number>;
  close(): Promise<void>;
}

async function start(entry: "cloud" | "next-start"): Promise<Running> {
  const app = await startAppServer({ entry, env: { TAPLINE_JOBS: "off" } });
  const db = createPrismaClient(app.database.url, { max: 2 });
  const pool = createPool(app.database.url, 1);
  const org = await db.organization.create({ data: { name: "Acme", slug: "acme" } });
  const project = await db.project.create({ data: { orgId: org.id, name: "Weather", slug: "weather" } });
  const k = generateApiKey();
  await db.apiKey.create({ data: { projectId: project.id, name: "agent", prefix: k.prefix, hash: k.hash } });
  return {
    app,
    db,
    key: k.key,
    projectId: project.id,
    stored: async () => (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM call_events WHERE project_id = $1", [project.id])).rows[0]!.n,
    close: async () => {
      await pool.end();
      await db.$disconnect();
      await app.stop();
    },
  };
}

function ingest(r: Running, body: Buffer | string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${r.app.url}/api/v1/ingest`, {
    method: "POST",
    headers: { authorization: `Bearer ${r.key}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
}

/** A raw POST whose body is sent in chunks with no Content-Length. */
function chunkedPost(r: Running, key: string, chunks: number, chunkBytes: number): Promise<{ status: number; body: string }> {
  const url = new URL(`${r.app.url}/api/v1/ingest`);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: "127.0.0.1", port: url.port, path: url.pathname, method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "transfer-encoding": "chunked" } },
      (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) => (e.code === "EPIPE" || e.code === "ECONNRESET" ? undefined : reject(e)));
    const chunk = Buffer.alloc(chunkBytes, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < chunks) {
        sent++;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

const batch = () => makeBatch(Array.from({ length: 20 }, (_, i) => makeRecord({ target: `tool_${i % 3}` })));

describe("cloud server (npm start): ingestion before Next.js", () => {
  let cloud: Running;
  let bare: Running;
  before(async () => {
    [cloud, bare] = await Promise.all([start("cloud"), start("next-start")]);
  });
  after(async () => {
    await Promise.all([cloud?.close(), bare?.close()]);
  });

  test("a batch is stored and answered the same through the fast path and through the Next.js route", async () => {
    const sent = batch();
    const answers = [];
    for (const r of [cloud, bare]) {
      const body = gzipSync(JSON.stringify(sent));
      const first = await ingest(r, body, { "content-encoding": "gzip" });
      const again = await ingest(r, body, { "content-encoding": "gzip" });
      const unknownKey = await ingest(r, JSON.stringify(sent), { authorization: `Bearer ${generateApiKey().key}` });
      const garbage = await ingest(r, "{not json");
      answers.push({
        first: [first.status, await first.json()],
        again: [again.status, await again.json()],
        unknownKey: [unknownKey.status, unknownKey.headers.get("www-authenticate"), ((await unknownKey.json()) as { error: { code: string } }).error.code],
        garbage: [garbage.status, ((await garbage.json()) as { error: { code: string } }).error.code],
        stored: await r.stored(),
      });
    }
    assert.deepEqual(answers[0]!.first, [200, { accepted: 20, duplicates: 0, snapshots: 0 }], cloud.app.output());
    assert.deepEqual(answers[0]!.again, [200, { accepted: 0, duplicates: 20, snapshots: 0 }]);
    assert.deepEqual(answers[0]!.unknownKey.slice(0, 2), [401, 'Bearer realm="tapline"']);
    assert.equal(answers[0]!.garbage[0], 400);
    assert.equal(answers[0]!.stored, 20);
    assert.deepEqual(answers[1], answers[0], "the Next.js route answers as the fast path does");
  });

  test("a body declared over the limit is refused with 413 from its header, nothing stored, and the server goes on", async () => {
    const before = await cloud.stored();
    const res = await ingest(cloud, Buffer.alloc(50 * 1024 * 1024, 0x20));
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, "payload_too_large");
    assert.equal(await cloud.stored(), before);
    const ok = await ingest(cloud, JSON.stringify(batch()));
    assert.equal(ok.status, 200);
  });

  test("a chunked body that grows past the limit gets a 413 it can read, and a 50 MB one too", async () => {
    for (const chunks of [160, 800]) {
      const res = await chunkedPost(cloud, cloud.key, chunks, 64 * 1024);
      assert.equal(res.status, 413, res.body);
      assert.match(res.body, /payload_too_large/);
    }
  });

  test("the key is checked before the size: an oversize body with an unknown key is a 401", async () => {
    const res = await chunkedPost(cloud, generateApiKey().key, 160, 64 * 1024);
    assert.equal(res.status, 401, res.body);
    const declared = await ingest(cloud, Buffer.alloc(50 * 1024 * 1024, 0x20), { authorization: "Bearer nope" });
    assert.equal(declared.status, 401);
  });

  test("everything else is Next.js: pages, the health check and other API routes", async () => {
    const health = await fetch(`${cloud.app.url}/api/health`);
    assert.equal(health.status, 200);
    const whoami = await fetch(`${cloud.app.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${cloud.key}` } });
    assert.equal(whoami.status, 200);
    const signin = await fetch(`${cloud.app.url}/signin`);
    assert.equal(signin.status, 200);
    assert.match(await signin.text(), /<html/);
    const getIngest = await fetch(`${cloud.app.url}/api/v1/ingest`);
    assert.equal(getIngest.status, 405, "GET is not ingestion: the Next.js route answers it");
  });
});
