/**
 * Tunnel names belong to organizations: the first organization to reserve a name keeps it, and
 * any project key of that organization may connect with it again. Called by the relay with the
 * agent's own API key (tunnel-relay/src/relay/cloud-authorizer.ts).
 */
import { tunnelNameProblem } from "@tapline/tunnel-relay/tunnel-name";
import type { Db } from "../db/client";
import type { VerifiedApiKey } from "../keys";

export type Reservation = { ok: true } | { ok: false; status: 400 | 403 | 409; code: string; message: string };

export async function reserveTunnelName(db: Db, key: VerifiedApiKey, name: string): Promise<Reservation> {
  const problem = tunnelNameProblem(name);
  if (problem) return { ok: false, status: 400, code: "invalid_name", message: problem };
  // Insert-or-read in one statement each way: two organizations racing for a name cannot both win.
  await db.tunnel.upsert({
    where: { name },
    create: { name, orgId: key.orgId, projectId: key.projectId, lastConnectedAt: new Date() },
    update: {},
  });
  const row = await db.tunnel.findUniqueOrThrow({ where: { name } });
  if (row.orgId !== key.orgId) return { ok: false, status: 409, code: "name_taken", message: `the tunnel name "${name}" belongs to another organization` };
  if (row.revokedAt) return { ok: false, status: 403, code: "name_revoked", message: `the tunnel name "${name}" was revoked by an admin of your organization` };
  await db.tunnel.update({ where: { id: row.id }, data: { lastConnectedAt: new Date(), projectId: key.projectId } });
  return { ok: true };
}
