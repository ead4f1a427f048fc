/**
 * Live figures per tunnel for the dashboard, from the sessions relays report
 * (record-tunnel-usage.ts). Online = a connection that has not ended and whose relay reported
 * recently enough; a relay that died stops reporting, so its tunnels turn offline by themselves.
 */
import type { Db } from "../db/client";

export interface TunnelUsage {
  online: boolean;
  /** Start of the oldest live connection; null when offline. */
  connectedSince: Date | null;
  /** Live agent connections (normally 1; briefly 2 while one relay instance hands over to another). */
  agents: number;
  lastSeenAt: Date | null;
  /** All-time totals over every connection the relays reported. */
  requests: number;
  bytesIn: number;
  bytesOut: number;
}

export const NO_USAGE: TunnelUsage = { online: false, connectedSince: null, agents: 0, lastSeenAt: null, requests: 0, bytesIn: 0, bytesOut: 0 };

export async function tunnelUsage(db: Db, tunnelIds: string[], now = new Date()): Promise<Map<string, TunnelUsage>> {
  const usage = new Map<string, TunnelUsage>();
  if (tunnelIds.length === 0) return usage;
  const [totals, live] = await Promise.all([
    db.tunnelSession.groupBy({
      by: ["tunnelId"],
      where: { tunnelId: { in: tunnelIds } },
      _sum: { requests: true, bytesIn: true, bytesOut: true },
      _max: { lastSeenAt: true },
    }),
    db.tunnelSession.findMany({ where: { tunnelId: { in: tunnelIds }, endedAt: null, staleAt: { gt: now } }, select: { tunnelId: true, connectedAt: true } }),
  ]);
  for (const t of totals) {
    usage.set(t.tunnelId, {
      ...NO_USAGE,
      lastSeenAt: t._max.lastSeenAt,
      requests: Number(t._sum.requests ?? 0),
      bytesIn: Number(t._sum.bytesIn ?? 0),
      bytesOut: Number(t._sum.bytesOut ?? 0),
    });
  }
  for (const session of live) {
    const u = usage.get(session.tunnelId);
    if (!u) continue;
    u.online = true;
    u.agents += 1;
    if (!u.connectedSince || session.connectedAt < u.connectedSince) u.connectedSince = session.connectedAt;
  }
  return usage;
}
