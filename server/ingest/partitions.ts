/**
 * Daily partitions of `call_events`. Ingestion asks for the days a batch touches before writing;
 * retention drops whole partitions (never row-by-row deletes).
 */
import type pg from "pg";

const DAY_MS = 86_400_000;
export const PARTITION_PREFIX = "call_events_p";

/** UTC day of an epoch-ms timestamp as YYYYMMDD. */
export function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, "");
}

/** The distinct UTC days (YYYYMMDD) of the records' timestamps; one date formatting per day, not per record. */
export function dayKeys(records: Iterable<{ ts: number }>): Set<string> {
  const days = new Set<number>();
  for (const x of records) days.add(Math.floor(x.ts / DAY_MS));
  return new Set([...days].map((d) => dayKey(d * DAY_MS)));
}

function dayStart(key: string): Date {
  return new Date(`${key.slice(0, 4)}-${key.slice(4, 6)}-${key.slice(6, 8)}T00:00:00.000Z`);
}

export class PartitionManager {
  private readonly known = new Set<string>();

  constructor(
    private readonly pool: pg.Pool,
    /** Days ahead of now that get a partition; rows further in the future go to the default partition. */
    private readonly aheadDays = 2,
    private readonly retentionDays = 90,
  ) {}

  /** Makes sure every day in `days` that is within [now - retention, now + ahead] has its partition. */
  async ensure(days: Iterable<string>, now = Date.now()): Promise<void> {
    const lo = dayKey(now - this.retentionDays * DAY_MS);
    const hi = dayKey(now + this.aheadDays * DAY_MS);
    for (const day of days) {
      if (this.known.has(day) || day < lo || day > hi) continue;
      await this.create(day);
      this.known.add(day);
    }
  }

  private async create(day: string): Promise<void> {
    const name = `${PARTITION_PREFIX}${day}`;
    const from = dayStart(day).toISOString();
    const to = new Date(dayStart(day).getTime() + DAY_MS).toISOString();
    const client = await this.pool.connect();
    try {
      const exists = await client.query(`SELECT 1 FROM pg_class WHERE relname = $1`, [name]);
      if (exists.rowCount) return;
      await client.query("BEGIN");
      // Serialise partition creation between concurrent ingest requests and instances.
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('tapline.partitions'))`);
      const again = await client.query(`SELECT 1 FROM pg_class WHERE relname = $1`, [name]);
      if (!again.rowCount) {
        // Rows of this day may already sit in the default partition (written before the day had
        // its own); PostgreSQL refuses to create the partition over them, so move them with it.
        await client.query(`CREATE TABLE "${name}" (LIKE "call_events" INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
        await client.query(
          `WITH moved AS (DELETE FROM "call_events_default" WHERE ts >= $1 AND ts < $2 RETURNING *)
           INSERT INTO "${name}" SELECT * FROM moved`,
          [from, to],
        );
        await client.query(`ALTER TABLE "call_events" ATTACH PARTITION "${name}" FOR VALUES FROM ('${from}') TO ('${to}')`);
      }
      await client.query("COMMIT");
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  /** Drops the partitions wholly older than the retention period; returns their names. */
  async dropExpired(now = Date.now()): Promise<string[]> {
    const cutoff = dayKey(now - this.retentionDays * DAY_MS);
    const { rows } = await this.pool.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'call_events'::regclass AND c.relname LIKE $1`,
      [`${PARTITION_PREFIX}%`],
    );
    const expired = rows.map((r) => r.name).filter((n) => n.slice(PARTITION_PREFIX.length) < cutoff);
    for (const name of expired) {
      await this.pool.query(`DROP TABLE IF EXISTS "${name}"`);
      this.known.delete(name.slice(PARTITION_PREFIX.length));
    }
    // The default partition only holds stray timestamps; trimming it row-wise stays cheap.
    await this.pool.query(`DELETE FROM "call_events_default" WHERE ts < $1`, [dayStart(cutoff).toISOString()]);
    return expired;
  }
}
