import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { assertCan, can } from "../../auth/rbac";
import { apiKeyVerifier, generateApiKey } from "../../keys";
import { createTRPCRouter, id, projectProcedure } from "../init";

export const apiKeyRouter = createTRPCRouter({
  /** Never returns a key or its hash: prefix, name and dates only. */
  list: projectProcedure.query(async ({ ctx }) => {
    assertCan(ctx, "apiKey:read");
    const rows = await ctx.db.apiKey.findMany({
      where: { projectId: ctx.project.id },
      select: { id: true, name: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true, createdBy: { select: { id: true, name: true, email: true } } },
      orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    });
    return rows.map(({ createdBy, ...k }) => ({
      ...k,
      createdBy: createdBy ? { id: createdBy.id, name: createdBy.name ?? createdBy.email } : null,
      revoked: k.revokedAt !== null,
    }));
  }),

  /** Member+. The returned `key` is shown exactly once: only its SHA-256 is stored. */
  create: projectProcedure
    .input(z.object({ name: z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(80, "Name must be at most 80 characters") }))
    .mutation(async ({ ctx, input }) => {
      assertCan(ctx, "apiKey:create");
      const { key, prefix, hash } = generateApiKey();
      const row = await ctx.db.apiKey.create({
        data: { projectId: ctx.project.id, name: input.name, prefix, hash, createdById: ctx.session.user.id },
        select: { id: true, name: true, prefix: true, scopes: true, createdAt: true },
      });
      return { ...row, key };
    }),

  /** Admin+ for any key; members for the keys they created. Takes effect at once on this instance, within 5 s elsewhere. */
  revoke: projectProcedure.input(z.object({ keyId: id("keyId") })).mutation(async ({ ctx, input }) => {
    assertCan(ctx, "apiKey:revokeOwn");
    const key = await ctx.db.apiKey.findFirst({ where: { id: input.keyId, projectId: ctx.project.id }, select: { id: true, createdById: true, revokedAt: true } });
    if (!key) throw new TRPCError({ code: "NOT_FOUND", message: "No API key with this id in this project." });
    if (key.createdById !== ctx.session.user.id && !can(ctx.role, "apiKey:revokeAny")) {
      throw new TRPCError({ code: "FORBIDDEN", message: `Your role (${ctx.role}) can revoke only the keys you created. Ask an admin to revoke this one.` });
    }
    const revokedAt = key.revokedAt ?? new Date();
    if (!key.revokedAt) await ctx.db.apiKey.update({ where: { id: key.id }, data: { revokedAt } });
    apiKeyVerifier().evict(key.id);
    return { id: key.id, revokedAt };
  }),
});
