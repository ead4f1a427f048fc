/**
 * Members of an organization. Last-owner rule: an organization always keeps at least one owner,
 * so its last owner cannot leave, be removed or be demoted. The owner rows are locked
 * (SELECT … FOR UPDATE) while checking, so two concurrent demotions can't both pass.
 */
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { assertCan, forbidden, ROLES, type Role } from "../../auth/rbac";
import type { Db } from "../../db/client";
import { createTRPCRouter, id, orgProcedure } from "../init";

type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

const LAST_OWNER = "An organization needs at least one owner: make another member owner first (or transfer ownership).";

async function lockOwners(tx: Tx, orgId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ userId: string }[]>`SELECT "userId" FROM "Membership" WHERE "orgId" = ${orgId} AND "role" = 'owner' FOR UPDATE`;
  return rows.map((r) => r.userId);
}

async function targetMembership(tx: Tx, orgId: string, userId: string) {
  const m = await tx.membership.findUnique({ where: { orgId_userId: { orgId, userId } }, select: { id: true, role: true, userId: true } });
  if (!m) throw new TRPCError({ code: "NOT_FOUND", message: "This person is not a member of the organization." });
  return m;
}

/** May `actor` change or remove a member whose role is `target` (to `next`, when changing)? */
function assertMayManage(actor: Role, target: Role, next?: Role): void {
  if (target === "owner" || next === "owner") {
    if (actor !== "owner") throw forbidden(actor, "member:manageOwners");
    return;
  }
  if (actor !== "owner") assertCan({ role: actor }, "member:manage");
}

const roleInput = z.enum(ROLES, { error: `Role must be one of: ${ROLES.join(", ")}` });

export const memberRouter = createTRPCRouter({
  list: orgProcedure.query(async ({ ctx }) => {
    assertCan(ctx, "member:read");
    const rows = await ctx.db.membership.findMany({
      where: { orgId: ctx.org.id },
      select: { role: true, createdAt: true, user: { select: { id: true, name: true, email: true, image: true } } },
      orderBy: [{ createdAt: "asc" }],
    });
    return rows.map((m) => ({ userId: m.user.id, name: m.user.name, email: m.user.email, image: m.user.image, role: m.role, joinedAt: m.createdAt, isYou: m.user.id === ctx.session.user.id }));
  }),

  updateRole: orgProcedure.input(z.object({ userId: id("userId"), role: roleInput })).mutation(async ({ ctx, input }) => {
    assertCan(ctx, "member:manage");
    return ctx.db.$transaction(async (tx) => {
      const owners = await lockOwners(tx, ctx.org.id);
      const target = await targetMembership(tx, ctx.org.id, input.userId);
      assertMayManage(ctx.role, target.role, input.role);
      if (target.role === "owner" && input.role !== "owner" && owners.length <= 1) {
        throw new TRPCError({ code: "PRECONDITION_FAILED", message: LAST_OWNER });
      }
      await tx.membership.update({ where: { id: target.id }, data: { role: input.role } });
      return { userId: input.userId, role: input.role };
    });
  }),

  remove: orgProcedure.input(z.object({ userId: id("userId") })).mutation(async ({ ctx, input }) => {
    assertCan(ctx, "member:manage");
    return ctx.db.$transaction(async (tx) => {
      const owners = await lockOwners(tx, ctx.org.id);
      const target = await targetMembership(tx, ctx.org.id, input.userId);
      assertMayManage(ctx.role, target.role);
      if (target.role === "owner" && owners.length <= 1) throw new TRPCError({ code: "PRECONDITION_FAILED", message: LAST_OWNER });
      await tx.membership.delete({ where: { id: target.id } });
      return { userId: input.userId };
    });
  }),

  /** Anyone may leave, except the last owner. */
  leave: orgProcedure.mutation(async ({ ctx }) => {
    return ctx.db.$transaction(async (tx) => {
      const owners = await lockOwners(tx, ctx.org.id);
      if (ctx.role === "owner" && owners.length <= 1) {
        throw new TRPCError({ code: "PRECONDITION_FAILED", message: `You are the last owner of ${ctx.org.name}: transfer ownership first, or delete the organization.` });
      }
      await tx.membership.delete({ where: { orgId_userId: { orgId: ctx.org.id, userId: ctx.session.user.id } } });
      return { orgId: ctx.org.id };
    });
  }),

  /** Owner only: the target becomes owner and the caller becomes admin. */
  transferOwnership: orgProcedure.input(z.object({ userId: id("userId") })).mutation(async ({ ctx, input }) => {
    if (ctx.role !== "owner") throw forbidden(ctx.role, "member:manageOwners");
    if (input.userId === ctx.session.user.id) throw new TRPCError({ code: "BAD_REQUEST", message: "You already own this organization: choose another member." });
    return ctx.db.$transaction(async (tx) => {
      await lockOwners(tx, ctx.org.id);
      const target = await targetMembership(tx, ctx.org.id, input.userId);
      await tx.membership.update({ where: { id: target.id }, data: { role: "owner" } });
      await tx.membership.update({ where: { orgId_userId: { orgId: ctx.org.id, userId: ctx.session.user.id } }, data: { role: "admin" } });
      return { newOwnerId: input.userId, yourRole: "admin" as const };
    });
  }),
});
