/**
 * Worker thread entry: ships the local store to the cloud. Its own SQLite connection and its own
 * event loop, so reading batches, gzip and HTTP never run on the thread that forwards traffic.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openStoreForWriting, type StoreDb } from "../record/store-database";
import { IngestClient } from "./ingest-client";
import { OutboxShipper } from "./outbox-shipper";
import { SqliteOutbox } from "./sqlite-outbox";
import { SHIP_STATUS_META_KEY, type ShipStatus } from "./ship-status";
import type { FromShipper, ShipWorkerData, ToShipper } from "./ship-protocol";

const data = workerData as ShipWorkerData;
const port = parentPort!;
const post = (m: FromShipper) => port.postMessage(m);
const log = (level: "info" | "warn" | "error", message: string) => post({ type: "log", level, message });

// The writer thread may be creating the file and applying migrations at the same moment.
async function openStore(): Promise<StoreDb> {
  for (let attempt = 0; ; attempt++) {
    try {
      return openStoreForWriting(data.dbPath);
    } catch (e) {
      if (attempt >= 20) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

let db: StoreDb;
try {
  db = await openStore();
} catch (e) {
  log("error", `cloud shipping disabled: cannot open ${data.dbPath}: ${(e as Error).message}`);
  post({ type: "closed" });
  port.close();
  throw e;
}

const persist = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
const client = new IngestClient({ cloudUrl: data.cloudUrl, apiKey: data.apiKey, userAgent: `tapline/${data.agentVersion}` });
const shipper = new OutboxShipper(new SqliteOutbox(db, new URL(data.cloudUrl).origin), client, {
  serverId: data.serverId,
  agentVersion: data.agentVersion,
  cloudUrl: data.cloudUrl,
  batchSize: data.batchSize,
  intervalMs: data.intervalMs,
  maxDiskBytes: data.maxDiskBytes,
  log,
  onStatus: (status: ShipStatus) => {
    post({ type: "status", status });
    try {
      persist.run(SHIP_STATUS_META_KEY, JSON.stringify(status));
    } catch {
      // Status is informational; a busy or full database must not stop shipping.
    }
  },
});
shipper.start();

port.on("message", async (m: ToShipper) => {
  if (m.type !== "close") return;
  await shipper.close({ drain: m.drain, drainMs: m.drainMs });
  await client.close();
  db.close();
  post({ type: "closed" });
  port.close();
});
