import type { StoreDb } from "./store-database";

/**
 * Records deleted before the cloud acknowledged them (disk cap while the cloud was unreachable,
 * or retention outran a long outage). Cumulative for the life of the store: the shipper sends it
 * with every batch, and the cloud keeps the highest value, so a loss is reported, never silent.
 */
const KEY = "dropped_unsent";

export function droppedUnsent(db: StoreDb): number {
  const row = db.prepare("SELECT value FROM meta WHERE key = ?").get(KEY) as { value: string } | undefined;
  return row ? Number(row.value) : 0;
}

export function addDroppedUnsent(db: StoreDb, n: number): void {
  if (n <= 0) return;
  db.prepare(
    `INSERT INTO meta (key, value) VALUES (?, ?)
     ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + CAST(excluded.value AS INTEGER) AS TEXT)`,
  ).run(KEY, String(n));
}

/** The lowest acknowledged position over all destinations, or null when nothing ships from this store. */
export function lowestAcknowledgedCall(db: StoreDb): number | null {
  const row = db.prepare("SELECT count(*) AS n, min(calls_seq) AS seq FROM outbox_cursor").get() as { n: number; seq: number | null };
  return row.n ? (row.seq ?? 0) : null;
}
