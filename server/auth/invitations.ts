/**
 * Invitation tokens: 32 random bytes (base64url) in the link, only their SHA-256 stored,
 * valid for 7 days, accepted only by a signed-in user whose email matches (case-insensitive).
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function invitationUrl(appUrl: string, token: string): string {
  return new URL(`/invite/${encodeURIComponent(token)}`, appUrl).toString();
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

export function invitationStatus(inv: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }, now = new Date()): InvitationStatus {
  if (inv.acceptedAt) return "accepted";
  if (inv.revokedAt) return "revoked";
  if (inv.expiresAt <= now) return "expired";
  return "pending";
}

export class InvitationError extends Error {
  constructor(
    readonly code: "not_found" | "expired" | "revoked" | "accepted" | "email_mismatch",
    message: string,
  ) {
    super(message);
  }
}

/** Find a usable invitation by token, or throw an InvitationError that says why not. */
export async function findUsableInvitation(db: Db, token: string) {
  const inv = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { org: { select: { id: true, name: true } } },
  });
  if (!inv) throw new InvitationError("not_found", "This invitation link is not valid. Ask for a new invitation.");
  const status = invitationStatus(inv);
  if (status === "expired") throw new InvitationError("expired", "This invitation has expired. Ask an admin of the organization for a new one.");
  if (status === "revoked") throw new InvitationError("revoked", "This invitation was revoked. Ask an admin of the organization for a new one.");
  if (status === "accepted") throw new InvitationError("accepted", "This invitation was already used.");
  return inv;
}

/**
 * Accept an invitation for `user`: the invited email must match the user's (case-insensitive).
 * Creates the membership (keeping a higher existing role) and marks the invitation accepted, atomically.
 */
export async function acceptInvitation(db: Db, token: string, user: { id: string; email: string }): Promise<{ orgId: string; orgName: string; role: string }> {
  const inv = await findUsableInvitation(db, token);
  if (normalizeEmail(inv.email) !== normalizeEmail(user.email)) {
    throw new InvitationError(
      "email_mismatch",
      `This invitation is for ${inv.email}, but you are signed in as ${user.email}. Sign in with the invited email address.`,
    );
  }
  return db.$transaction(async (tx) => {
    const marked = await tx.invitation.updateMany({
      where: { id: inv.id, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
      data: { acceptedAt: new Date() },
    });
    if (marked.count !== 1) throw new InvitationError("accepted", "This invitation was already used.");
    const existing = await tx.membership.findUnique({ where: { orgId_userId: { orgId: inv.orgId, userId: user.id } } });
    if (!existing) {
      await tx.membership.create({ data: { orgId: inv.orgId, userId: user.id, role: inv.role } });
      return { orgId: inv.orgId, orgName: inv.org.name, role: inv.role };
    }
    return { orgId: inv.orgId, orgName: inv.org.name, role: existing.role };
  });
}

/** Whether `email` has a pending invitation anywhere (sign-up in invite mode through OAuth/email links). */
export async function hasPendingInvitation(db: Db, email: string): Promise<boolean> {
  const n = await db.invitation.count({
    where: { email: { equals: normalizeEmail(email), mode: "insensitive" }, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
  });
  return n > 0;
}

/** Accept every pending invitation addressed to `email` (after a provider verified the email). */
export async function acceptPendingInvitations(db: Db, user: { id: string; email: string }): Promise<number> {
  const pending = await db.invitation.findMany({
    where: { email: { equals: normalizeEmail(user.email), mode: "insensitive" }, acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true, orgId: true, role: true },
  });
  let accepted = 0;
  for (const inv of pending) {
    await db.$transaction(async (tx) => {
      const marked = await tx.invitation.updateMany({ where: { id: inv.id, acceptedAt: null }, data: { acceptedAt: new Date() } });
      if (marked.count !== 1) return;
      const existing = await tx.membership.findUnique({ where: { orgId_userId: { orgId: inv.orgId, userId: user.id } } });
      if (!existing) await tx.membership.create({ data: { orgId: inv.orgId, userId: user.id, role: inv.role } });
      accepted++;
    });
  }
  return accepted;
}
