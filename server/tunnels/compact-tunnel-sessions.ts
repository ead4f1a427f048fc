/**
 * Folds long-finished tunnel sessions (one row per agent connection, see record-tunnel-usage.ts)
 * into one archive row per tunnel, so a tunnel that reconnects every few minutes for a year does
 * not keep a row per connection. The dashboard's totals (tunnel-usage.ts) sum every row of a
 * tunnel, so they are unchanged. One statement: a crash cannot delete sessions without archiving
 * them. Only sessions ended or stale for longer than any relay keeps reporting are folded, so no
 * report can arrive for them afterwards and re-create one.
 */
import type pg from "pg";

export const ARCHIVE_PREFIX = "archive:";

const COMPACT_SQL = `
WITH old AS (
  DELETE FROM "TunnelSession"
  WHERE "lastSeenAt" < now() - $1::float8 * interval '1 day' AND ("endedAt" IS NOT NULL OR "staleAt" < now())
    AND "id" NOT LIKE '${ARCHIVE_PREFIX}%'
  RETURNING *
), sums AS (
  SELECT "tunnelId", min("connectedAt") AS first, max("lastSeenAt") AS last,
    sum("requests") AS requests, sum("bytesIn") AS bytes_in, sum("bytesOut") AS bytes_out, count(*) AS n
  FROM old GROUP BY "tunnelId"
), archived AS (
  INSERT INTO "TunnelSession" ("id", "tunnelId", "connectedAt", "lastSeenAt", "staleAt", "endedAt", "requests", "bytesIn", "bytesOut")
  SELECT '${ARCHIVE_PREFIX}' || "tunnelId", "tunnelId", first, last, last, last, requests, bytes_in, bytes_out FROM sums
  ON CONFLICT ("id") DO UPDATE SET
    "connectedAt" = least("TunnelSession"."connectedAt", excluded."connectedAt"),
    "lastSeenAt" = greatest("TunnelSession"."lastSeenAt", excluded."lastSeenAt"),
    "staleAt" = greatest("TunnelSession"."staleAt", excluded."staleAt"),
    "endedAt" = greatest("TunnelSession"."endedAt", excluded."endedAt"),
    "requests" = "TunnelSession"."requests" + excluded."requests",
    "bytesIn" = "TunnelSession"."bytesIn" + excluded."bytesIn",
    "bytesOut" = "TunnelSession"."bytesOut" + excluded."bytesOut"
  RETURNING 1
)
SELECT coalesce(sum(n), 0)::int AS folded FROM sums`;

/** Returns how many sessions were folded into archive rows. */
export async function compactTunnelSessions(pool: pg.Pool, olderThanDays = 30): Promise<number> {
  const { rows } = await pool.query<{ folded: number }>(COMPACT_SQL, [olderThanDays]);
  return rows[0]?.folded ?? 0;
}
