import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { assertCan } from "../../auth/rbac";
import {
  acceptInvitation,
  hashToken,
  INVITATION_TTL_MS,
  InvitationError,
  invitationStatus,
  invitationUrl,
  newInvitationToken,
} from "../../auth/invitations";
import { mailer } from "../../email/mailer";
import { invitationEmail } from "../../email/templates";
import { env } from "../../env";
import { createTRPCRouter, id, orgProcedure, protectedProcedure, publicProcedure } from "../init";

const email = z.string({ error: "Email is required" }).trim().toLowerCase().max(254, "Email is too long").pipe(z.email({ error: "Enter a valid email address" }));
const token = z.string({ error: "token is required" }).trim().min(1, "token is required").max(200);

function toTRPCError(e: unknown): never {
  if (e instanceof InvitationError) {
    const code = e.code === "not_found" ? "NOT_FOUND" : e.code === "email_mismatch" ? "FORBIDDEN" : "PRECONDITION_FAILED";
    throw new TRPCError({ code, message: e.message });
  }
  throw e;
}

export const invitationRouter = createTRPCRouter({
  list: orgProcedure.query(async ({ ctx }) => {
    assertCan(ctx, "invitation:read");
    const rows = await ctx.db.invitation.findMany({
      where: { orgId: ctx.org.id, acceptedAt: null, revokedAt: null },
      select: { id: true, email: true, role: true, createdAt: true, expiresAt: true, acceptedAt: true, revokedAt: true, invitedBy: { select: { name: true, email: true } } },
      orderBy: { createdAt: "desc" },
    });
    return rows.map(({ invitedBy, ...inv }) => ({ ...inv, status: invitationStatus(inv), invitedBy: invitedBy?.name ?? invitedBy?.email ?? null }));
  }),

  /**
   * Admin+. Returns the accept URL (share it, or it is emailed when SMTP is set). A new
   * invitation for the same email replaces the pending one.
   */
  create: orgProcedure
    .input(z.object({ email, role: z.enum(["admin", "member", "viewer"], { error: "Role must be admin, member or viewer (make owners from the members list)" }) }))
    .mutation(async ({ ctx, input }) => {
      assertCan(ctx, "invitation:manage");
      const already = await ctx.db.membership.findFirst({
        where: { orgId: ctx.org.id, user: { email: { equals: input.email, mode: "insensitive" } } },
        select: { id: true },
      });
      if (already) throw new TRPCError({ code: "CONFLICT", message: `${input.email} is already a member of ${ctx.org.name}.` });
      const { token: secret, tokenHash } = newInvitationToken();
      const expiresAt = new Date(Date.now() + INVITATION_TTL_MS);
      const invitation = await ctx.db.$transaction(async (tx) => {
        await tx.invitation.updateMany({
          where: { orgId: ctx.org.id, email: { equals: input.email, mode: "insensitive" }, acceptedAt: null, revokedAt: null },
          data: { revokedAt: new Date() },
        });
        return tx.invitation.create({
          data: { orgId: ctx.org.id, email: input.email, role: input.role, tokenHash, invitedById: ctx.session.user.id, expiresAt },
          select: { id: true, email: true, role: true, expiresAt: true },
        });
      });
      const url = invitationUrl(env().APP_URL, secret);
      let emailed = false;
      const m = mailer();
      if (m) {
        const inviter = await ctx.db.user.findUnique({ where: { id: ctx.session.user.id }, select: { name: true, email: true } });
        try {
          await m.send(invitationEmail(input.email, { orgName: ctx.org.name, inviterName: inviter?.name || inviter?.email || "Someone", role: input.role, url }));
          emailed = true;
        } catch (e) {
          console.error(`invitation email to ${input.email} failed:`, e);
        }
      }
      return { ...invitation, url, emailed };
    }),

  revoke: orgProcedure.input(z.object({ invitationId: id("invitationId") })).mutation(async ({ ctx, input }) => {
    assertCan(ctx, "invitation:manage");
    const result = await ctx.db.invitation.updateMany({
      where: { id: input.invitationId, orgId: ctx.org.id, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (result.count === 0) throw new TRPCError({ code: "NOT_FOUND", message: "No pending invitation with this id in this organization." });
    return { id: input.invitationId };
  }),

  /** Public: what an invitation link offers, for the accept page. */
  preview: publicProcedure.input(z.object({ token })).query(async ({ ctx, input }) => {
    const inv = await ctx.db.invitation.findUnique({
      where: { tokenHash: hashToken(input.token) },
      select: { email: true, role: true, expiresAt: true, acceptedAt: true, revokedAt: true, org: { select: { name: true } }, invitedBy: { select: { name: true, email: true } } },
    });
    if (!inv) throw new TRPCError({ code: "NOT_FOUND", message: "This invitation link is not valid. Ask for a new invitation." });
    const status = invitationStatus(inv);
    return {
      orgName: inv.org.name,
      inviter: inv.invitedBy?.name ?? inv.invitedBy?.email ?? null,
      email: inv.email,
      role: inv.role,
      expiresAt: inv.expiresAt,
      status,
      expired: status === "expired",
    };
  }),

  /** Signed in, with the invited email (case-insensitive). Returns the org joined. */
  accept: protectedProcedure.input(z.object({ token })).mutation(async ({ ctx, input }) => {
    const user = await ctx.db.user.findUnique({ where: { id: ctx.session.user.id }, select: { id: true, email: true } });
    if (!user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Your account no longer exists. Sign in again." });
    try {
      return await acceptInvitation(ctx.db, input.token, user);
    } catch (e) {
      toTRPCError(e);
    }
  }),
});
