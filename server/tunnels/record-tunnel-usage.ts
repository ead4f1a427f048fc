/**
 * Stores what a relay reports about tunnel connections (POST /api/v1/tunnels/usage). The relay
 * sends each report with the agent's own API key, so figures are accepted only for names that
 * belong to that key's organization.
 */
import type pg from "pg";
import type { TunnelSessionUsage } from "@tapline/tunnel-relay/usage-report";
import type { VerifiedApiKey } from "../keys";

export type UsageRecording = { ok: true; sessions: number } | { ok: false; status: 403; code: string; message: string };

// Counts only ever rise and an ended session stays ended, so a retried, duplicated or late report
// changes nothing it should not. Times come from the database's clock, never the relay's. The
// WHERE keeps a session id bound to the tunnel that first reported it.
const UPSERT_SESSIONS = `
INSERT INTO "TunnelSession" ("id", "tunnelId", "connectedAt", "lastSeenAt", "staleAt", "endedAt", "requests", "bytesIn", "bytesOut")
SELECT id, tunnel_id, now() - connected_for_ms * interval '1 millisecond', now(), now() + stale_after_ms * interval '1 millisecond',
       CASE WHEN ended THEN now() END, requests, bytes_in, bytes_out
FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::bool[], $6::int8[], $7::int8[], $8::int8[])
  AS t(id, tunnel_id, connected_for_ms, stale_after_ms, ended, requests, bytes_in, bytes_out)
ON CONFLICT ("id") DO UPDATE SET
  "lastSeenAt" = greatest("TunnelSession"."lastSeenAt", excluded."lastSeenAt"),
  "staleAt" = greatest("TunnelSession"."staleAt", excluded."staleAt"),
  "endedAt" = coalesce("TunnelSession"."endedAt", excluded."endedAt"),
  "requests" = greatest("TunnelSession"."requests", excluded."requests"),
  "bytesIn" = greatest("TunnelSession"."bytesIn", excluded."bytesIn"),
  "bytesOut" = greatest("TunnelSession"."bytesOut", excluded."bytesOut")
WHERE "TunnelSession"."tunnelId" = excluded."tunnelId"`;

export async function recordTunnelUsage(pool: pg.Pool, key: VerifiedApiKey, sessions: TunnelSessionUsage[]): Promise<UsageRecording> {
  const names = [...new Set(sessions.map((s) => s.name))];
  const { rows } = await pool.query<{ id: string; name: string }>(`SELECT id, name FROM "Tunnel" WHERE name = ANY($1::text[]) AND "orgId" = $2`, [names, key.orgId]);
  const tunnelIds = new Map(rows.map((r) => [r.name, r.id]));
  const foreign = names.filter((n) => !tunnelIds.has(n));
  if (foreign.length) {
    return { ok: false, status: 403, code: "not_your_tunnel", message: `no tunnel named ${foreign.map((n) => `"${n}"`).join(", ")} belongs to this key's organization` };
  }
  await pool.query(UPSERT_SESSIONS, [
    sessions.map((s) => s.sessionId),
    sessions.map((s) => tunnelIds.get(s.name)!),
    sessions.map((s) => s.connectedForMs),
    sessions.map((s) => s.staleAfterMs),
    sessions.map((s) => s.ended),
    sessions.map((s) => s.requests),
    sessions.map((s) => s.bytesIn),
    sessions.map((s) => s.bytesOut),
  ]);
  return { ok: true, sessions: sessions.length };
}
