import pg from "pg";
import { env } from "../env";

/**
 * Plain `pg` pool for the SQL-managed tables (events, sessions, snapshots): ingestion writes
 * them with multi-row statements and analytics reads them with hand-written SQL, where the
 * Prisma client would only add overhead.
 */
export function createPool(connectionString: string, max = Number(process.env.DATABASE_POOL_MAX) || 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on("error", () => {});
  return pool;
}

const g = globalThis as { __taplinePool?: pg.Pool };

export function pool(): pg.Pool {
  g.__taplinePool ??= createPool(env().DATABASE_URL);
  return g.__taplinePool;
}
