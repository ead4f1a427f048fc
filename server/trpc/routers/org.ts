import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { assertCan, forbidden } from "../../auth/rbac";
import { createOrganization } from "../../auth/organization";
import { apiKeyVerifier } from "../../keys";
import { createTRPCRouter, orgProcedure, protectedProcedure } from "../init";

export const orgName = z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(80, "Name must be at most 80 characters");

export const orgRouter = createTRPCRouter({
  /** The caller's organizations with their role in each. */
  list: protectedProcedure.query(async ({ ctx }) => {
    const memberships = await ctx.db.membership.findMany({
      where: { userId: ctx.session.user.id },
      select: { role: true, org: { select: { id: true, name: true, slug: true, createdAt: true, _count: { select: { projects: true, memberships: true } } } } },
      orderBy: { org: { name: "asc" } },
    });
    return memberships.map(({ role, org: { _count, ...org } }) => ({ ...org, role, projectCount: _count.projects, memberCount: _count.memberships }));
  }),

  /** Any signed-in user may create an organization; they become its owner. */
  create: protectedProcedure.input(z.object({ name: orgName })).mutation(async ({ ctx, input }) => {
    const org = await createOrganization(ctx.db, ctx.session.user.id, input.name);
    return { ...org, role: "owner" as const };
  }),

  get: orgProcedure.query(async ({ ctx }) => {
    assertCan(ctx, "org:read");
    return { ...ctx.org, role: ctx.role };
  }),

  rename: orgProcedure.input(z.object({ name: orgName })).mutation(async ({ ctx, input }) => {
    assertCan(ctx, "org:rename");
    return ctx.db.organization.update({ where: { id: ctx.org.id }, data: { name: input.name }, select: { id: true, name: true, slug: true } });
  }),

  /** Owner only; `confirmName` must repeat the organization's name. Deletes projects, keys, members. */
  delete: orgProcedure.input(z.object({ confirmName: z.string() })).mutation(async ({ ctx, input }) => {
    if (ctx.role !== "owner") throw forbidden(ctx.role, "org:delete");
    if (input.confirmName.trim() !== ctx.org.name) {
      throw new TRPCError({ code: "BAD_REQUEST", message: `Type the organization's name (${ctx.org.name}) to confirm deletion.` });
    }
    const projects = await ctx.db.project.findMany({ where: { orgId: ctx.org.id }, select: { id: true } });
    await ctx.db.organization.delete({ where: { id: ctx.org.id } });
    for (const p of projects) apiKeyVerifier().evictProject(p.id);
    return { id: ctx.org.id };
  }),
});
