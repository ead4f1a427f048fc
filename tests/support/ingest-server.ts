/**
 * The real ingestion handler and database behind a node:http server whose network behaviour a
 * test can break on purpose: refuse connections (down), answer 500/429 at random before storing,
 * or store a batch and then cut the connection before the answer (the agent never hears it).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type pg from "pg";
import { handleIngest, type IngestDeps } from "../../server/ingest/handle-ingest";
import { ingestRateLimiter, INGEST_LIMITS } from "../../server/ingest";
import { ingestRequest, sendResponse } from "../../server/http/node-ingest";
import { PartitionManager } from "../../server/ingest/partitions";
import { markProjectsLive } from "../../server/ingest/mark-live";
import { ApiKeyVerifier } from "../../server/keys";
import { MemoryRateLimiter } from "../../server/ratelimit";
import type { Db } from "../../server/db/client";

export interface Faults {
  /** Probability of answering 500 or 429 (half each) without storing. */
  errorRate?: number;
  /** Probability of storing the batch, then destroying the socket instead of answering. */
  dropAfterStoreRate?: number;
  /** Delay before handling each request. */
  delayMs?: number;
}

export interface IngestServer {
  url: string;
  faults: Faults;
  /** Requests by outcome, for assertions that the faults really happened. */
  counts: { ok: number; injectedError: number; droppedAfterStore: number };
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startIngestServer(pool: pg.Pool, prisma: Db, faults: Faults = {}, seed = 42): Promise<IngestServer> {
  // A seeded generator keeps a failing run reproducible.
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const deps: IngestDeps = {
    pool,
    partitions: new PartitionManager(pool),
    verifyKey: (h) => new ApiKeyVerifier(() => prisma).verify(h),
    limiter: ingestRateLimiter(new MemoryRateLimiter(), 1e9),
    limits: INGEST_LIMITS,
    onFirstEvents: markProjectsLive(pool),
  };
  const counts = { ok: 0, injectedError: 0, droppedAfterStore: 0 };
  const self: IngestServer = { url: "", faults, counts, stop: async () => {}, start: async () => {} };
  let server: Server | undefined;
  let port = 0;

  const make = () =>
    createServer(async (req, res) => {
      const request = await ingestRequest(req);
      if (self.faults.delayMs) await new Promise((r) => setTimeout(r, self.faults.delayMs));
      if (random() < (self.faults.errorRate ?? 0)) {
        counts.injectedError++;
        const busy = random() < 0.5;
        res.writeHead(busy ? 429 : 500, { "content-type": "application/json", ...(busy ? { "retry-after": "0" } : {}) });
        res.end(JSON.stringify({ error: { code: busy ? "rate_limited" : "internal", message: "injected fault" } }));
        return;
      }
      const response = await handleIngest(request, deps);
      if (response.status === 200 && random() < (self.faults.dropAfterStoreRate ?? 0)) {
        counts.droppedAfterStore++;
        req.socket.destroy();
        return;
      }
      counts.ok++;
      await sendResponse(res, response);
    });

  self.start = async () => {
    server = make();
    await new Promise<void>((r) => server!.listen(port, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
    self.url = `http://127.0.0.1:${port}`;
  };
  self.stop = async () => {
    if (!server) return;
    server.closeAllConnections();
    await new Promise((r) => server!.close(r));
    server = undefined;
  };
  await self.start();
  return self;
}
