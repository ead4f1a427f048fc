/**
 * Wire format of `POST /api/v1/tunnels/usage`: the relay tells the cloud what each tunnel
 * connection carried. Shared by the relay (sender) and the cloud route (validator).
 *
 * Counts are cumulative per connection ("session"), never deltas: the cloud keeps the largest value
 * it has seen for a session id, so a retried or reordered report cannot double-count, and a lost
 * one is made good by the next. A tunnel's totals are the sum over its sessions; a request that
 * crosses two relay instances is counted only by the instance holding the agent's connection.
 */
import { z } from "zod";

/** How often a relay reports each live tunnel connection (it also reports at connect and disconnect). */
export const USAGE_REPORT_INTERVAL_MS = 15_000;
/** A session with no report for this many intervals counts as gone (its relay died without saying so). */
export const USAGE_STALE_INTERVALS = 3;
/** Sessions per POST; a relay with more connections on one key sends several. */
export const MAX_SESSIONS_PER_REPORT = 500;

const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const TunnelSessionUsage = z.object({
  /** Random per agent connection on one relay instance (a UUID). */
  sessionId: z.uuid(),
  name: z.string().min(3).max(63),
  /**
   * How long ago the agent connected, by the relay's clock. A duration rather than a timestamp,
   * so the cloud dates the session on its own clock and relay clock skew does not matter.
   */
  connectedForMs: count,
  /** Public requests (HTTP and upgrades) sent into the tunnel on this connection. */
  requests: count,
  /** Body bytes public client → local server. */
  bytesIn: count,
  /** Body bytes local server → public client. */
  bytesOut: count,
  /** The connection is closed; this is its last report. */
  ended: z.boolean(),
  /** Without a newer report by then, the session is shown as offline (the relay may have died). */
  staleAfterMs: z.number().int().positive().max(3_600_000),
});
export type TunnelSessionUsage = z.infer<typeof TunnelSessionUsage>;

export const TunnelUsageReport = z.object({
  sessions: z.array(TunnelSessionUsage).min(1).max(MAX_SESSIONS_PER_REPORT),
});
export type TunnelUsageReport = z.infer<typeof TunnelUsageReport>;
