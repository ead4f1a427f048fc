import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { assertCan } from "../../auth/rbac";
import { env } from "../../env";
import { NO_USAGE, tunnelUsage } from "../../tunnels/tunnel-usage";
import { createTRPCRouter, id, projectProcedure } from "../init";

/** Where a tunnel name is reachable: path routing on the relay's public URL (subdomains depend on DNS). */
function tunnelUrl(name: string): string | null {
  const base = env().RELAY_PUBLIC_URL;
  return base ? `${base.replace(/\/$/, "")}/t/${name}/` : null;
}

export const tunnelRouter = createTRPCRouter({
  /** Tunnel names this project's keys connected with (names belong to the organization), with live figures from the relays. */
  list: projectProcedure.query(async ({ ctx }) => {
    assertCan(ctx, "tunnel:read");
    const rows = await ctx.db.tunnel.findMany({
      where: { projectId: ctx.project.id },
      select: { id: true, name: true, createdAt: true, lastConnectedAt: true, revokedAt: true },
      orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { lastConnectedAt: { sort: "desc", nulls: "last" } }],
    });
    const usage = await tunnelUsage(ctx.db, rows.map((t) => t.id));
    return rows.map((t) => ({ ...t, url: tunnelUrl(t.name), ...(usage.get(t.id) ?? NO_USAGE) }));
  }),

  /** Admin+. The relay refuses the name from now on (`name_revoked`); other organizations still cannot take it. */
  revoke: projectProcedure.input(z.object({ tunnelId: id("tunnelId") })).mutation(async ({ ctx, input }) => {
    assertCan(ctx, "tunnel:manage");
    const tunnel = await ctx.db.tunnel.findFirst({ where: { id: input.tunnelId, projectId: ctx.project.id }, select: { id: true, revokedAt: true } });
    if (!tunnel) throw new TRPCError({ code: "NOT_FOUND", message: "No tunnel with this id in this project." });
    const revokedAt = tunnel.revokedAt ?? new Date();
    if (!tunnel.revokedAt) await ctx.db.tunnel.update({ where: { id: tunnel.id }, data: { revokedAt } });
    return { id: tunnel.id, revokedAt };
  }),

  /** Admin+. Agents of the organization may connect with the name again. */
  restore: projectProcedure.input(z.object({ tunnelId: id("tunnelId") })).mutation(async ({ ctx, input }) => {
    assertCan(ctx, "tunnel:manage");
    const tunnel = await ctx.db.tunnel.findFirst({ where: { id: input.tunnelId, projectId: ctx.project.id }, select: { id: true } });
    if (!tunnel) throw new TRPCError({ code: "NOT_FOUND", message: "No tunnel with this id in this project." });
    await ctx.db.tunnel.update({ where: { id: tunnel.id }, data: { revokedAt: null } });
    return { id: tunnel.id };
  }),
});
