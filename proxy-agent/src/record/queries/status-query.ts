import { statSync } from "node:fs";
import type { StoreDb } from "../store-database";
import { userVersion } from "../store-migrations";
import { droppedUnsent } from "../dropped-unsent";
import { SHIP_STATUS_META_KEY, type ShipStatus } from "../../ship/ship-status";

export interface StoreStatus {
  dbPath: string;
  /** Database file plus its WAL. */
  sizeBytes: number;
  schemaVersion: number;
  records: number;
  oldest: number | null;
  newest: number | null;
  servers: { serverId: string; records: number; lastCallAt: number }[];
  /** Cloud shipping, per destination this store ships to; empty when it never shipped. */
  cloud: CloudShippingStatus[];
}

export interface CloudShippingStatus {
  destination: string;
  /** As last reported by the shipper of a running (or the last) proxy. */
  state: ShipStatus["state"] | "unknown";
  lastSuccessAt: number | null;
  lastError: string | null;
  /** Records not yet acknowledged by this destination (read now from the store). */
  backlog: number;
  /** Records dropped before the cloud acknowledged them (disk cap, retention). */
  dropped: number;
}

export function queryStatus(db: StoreDb, dbPath: string): StoreStatus {
  const totals = db.prepare("SELECT count(*) AS records, min(ts) AS oldest, max(ts) AS newest FROM calls").get() as {
    records: number;
    oldest: number | null;
    newest: number | null;
  };
  const servers = db
    .prepare("SELECT server_id AS serverId, count(*) AS records, max(ts) AS lastCallAt FROM calls GROUP BY server_id ORDER BY lastCallAt DESC")
    .all() as StoreStatus["servers"];
  return {
    dbPath,
    sizeBytes: fileSize(dbPath) + fileSize(`${dbPath}-wal`),
    schemaVersion: userVersion(db),
    records: totals.records,
    oldest: totals.oldest,
    newest: totals.newest,
    servers,
    cloud: queryCloudStatus(db),
  };
}

function queryCloudStatus(db: StoreDb): CloudShippingStatus[] {
  const cursors = db.prepare("SELECT destination, calls_seq FROM outbox_cursor ORDER BY updated_at DESC").all() as { destination: string; calls_seq: number }[];
  if (!cursors.length) return [];
  const row = db.prepare("SELECT value FROM meta WHERE key = ?").get(SHIP_STATUS_META_KEY) as { value: string } | undefined;
  let last: ShipStatus | undefined;
  try {
    last = row ? (JSON.parse(row.value) as ShipStatus) : undefined;
  } catch {
    last = undefined;
  }
  const dropped = droppedUnsent(db);
  return cursors.map((c) => {
    const mine = last && new URL(last.cloudUrl).origin === c.destination ? last : undefined;
    return {
      destination: c.destination,
      state: mine?.state ?? "unknown",
      lastSuccessAt: mine?.lastSuccessAt ?? null,
      lastError: mine?.lastError ?? null,
      backlog: (db.prepare("SELECT count(*) AS n FROM calls WHERE row_seq > ?").get(c.calls_seq) as { n: number }).n,
      dropped,
    };
  });
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
