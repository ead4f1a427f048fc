import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { assertCan } from "../../auth/rbac";
import { RESERVED_PROJECT_SLUGS, slugify, uniqueSlug } from "../../auth/organization";
import { apiKeyVerifier } from "../../keys";
import { createTRPCRouter, orgProcedure, projectProcedure } from "../init";

const projectName = z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(80, "Name must be at most 80 characters");
const environment = z
  .string()
  .trim()
  .min(1, "Environment is required")
  .max(32, "Environment must be at most 32 characters")
  .regex(/^[a-z0-9][a-z0-9_-]*$/i, "Environment may contain letters, digits, - and _ (e.g. production, staging)");

const projectSelect = { id: true, orgId: true, name: true, slug: true, environment: true, firstEventAt: true, createdAt: true, updatedAt: true } as const;

export const projectRouter = createTRPCRouter({
  list: orgProcedure.query(async ({ ctx }) => {
    assertCan(ctx, "project:read");
    const rows = await ctx.db.project.findMany({
      where: { orgId: ctx.org.id },
      select: { ...projectSelect, _count: { select: { apiKeys: { where: { revokedAt: null } } } } },
      orderBy: { name: "asc" },
    });
    return rows.map(({ _count, ...p }) => ({ ...p, activeKeyCount: _count.apiKeys }));
  }),

  get: projectProcedure.query(async ({ ctx }) => {
    assertCan(ctx, "project:read");
    return { ...ctx.project, org: ctx.org, role: ctx.role };
  }),

  create: orgProcedure.input(z.object({ name: projectName, environment: environment.default("production") })).mutation(async ({ ctx, input }) => {
    assertCan(ctx, "project:manage");
    const slug = await uniqueSlug(slugify(input.name), async (s) => (await ctx.db.project.count({ where: { orgId: ctx.org.id, slug: s } })) > 0, RESERVED_PROJECT_SLUGS);
    return ctx.db.project.create({ data: { orgId: ctx.org.id, name: input.name, slug, environment: input.environment }, select: projectSelect });
  }),

  update: projectProcedure.input(z.object({ name: projectName.optional(), environment: environment.optional() })).mutation(async ({ ctx, input }) => {
    assertCan(ctx, "project:manage");
    if (input.name === undefined && input.environment === undefined) {
      throw new TRPCError({ code: "BAD_REQUEST", message: "Nothing to update: give a name or an environment." });
    }
    return ctx.db.project.update({
      where: { id: ctx.project.id },
      data: { ...(input.name !== undefined && { name: input.name }), ...(input.environment !== undefined && { environment: input.environment }) },
      select: projectSelect,
    });
  }),

  /** Admin+; `confirmName` must repeat the project's name. Its API keys stop working at once. */
  delete: projectProcedure.input(z.object({ confirmName: z.string() })).mutation(async ({ ctx, input }) => {
    assertCan(ctx, "project:manage");
    if (input.confirmName.trim() !== ctx.project.name) {
      throw new TRPCError({ code: "BAD_REQUEST", message: `Type the project's name (${ctx.project.name}) to confirm deletion.` });
    }
    await ctx.db.project.delete({ where: { id: ctx.project.id } });
    apiKeyVerifier().evictProject(ctx.project.id);
    return { id: ctx.project.id };
  }),
});
