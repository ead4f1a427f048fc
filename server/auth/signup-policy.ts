/**
 * Who may create an account (SIGNUP_MODE), for every sign-in method:
 *   open     anyone
 *   domains  emails whose domain is in SIGNUP_ALLOWED_DOMAINS — or anyone with an invitation
 *   invite   only invited people: with the invitation token (password sign-up), or — for OAuth,
 *            OIDC and email links, where the provider vouches for the email — a pending
 *            invitation addressed to that email
 * The very first account of a fresh install is always allowed (it becomes the first owner).
 */
import type { Db } from "../db/client";
import type { Env } from "../env";
import { findUsableInvitation, hasPendingInvitation, InvitationError, normalizeEmail } from "./invitations";

export type SignupDecision = { ok: true; reason: "first-user" | "open" | "domain" | "invitation" } | { ok: false; message: string };

export function emailDomain(email: string): string {
  return normalizeEmail(email).split("@").pop() ?? "";
}

export async function signupDecision(
  db: Db,
  config: Pick<Env, "SIGNUP_MODE" | "SIGNUP_ALLOWED_DOMAINS">,
  request: { email: string; inviteToken?: string | null; providerVerifiedEmail: boolean },
): Promise<SignupDecision> {
  const email = normalizeEmail(request.email);
  if ((await db.user.count()) === 0) return { ok: true, reason: "first-user" };
  if (config.SIGNUP_MODE === "open") return { ok: true, reason: "open" };

  if (request.inviteToken) {
    try {
      const inv = await findUsableInvitation(db, request.inviteToken);
      if (normalizeEmail(inv.email) === email) return { ok: true, reason: "invitation" };
      return { ok: false, message: `This invitation is for ${inv.email}. Sign up with that address.` };
    } catch (e) {
      if (e instanceof InvitationError) return { ok: false, message: e.message };
      throw e;
    }
  }
  if (request.providerVerifiedEmail && (await hasPendingInvitation(db, email))) return { ok: true, reason: "invitation" };

  if (config.SIGNUP_MODE === "domains") {
    const domain = emailDomain(email);
    if (config.SIGNUP_ALLOWED_DOMAINS.some((d) => domain === d.replace(/^@/, ""))) return { ok: true, reason: "domain" };
    return {
      ok: false,
      message: `Sign-up is limited to ${config.SIGNUP_ALLOWED_DOMAINS.map((d) => `@${d.replace(/^@/, "")}`).join(", ")} addresses on this Tapline. Ask an admin for an invitation.`,
    };
  }
  return { ok: false, message: "Sign-up on this Tapline is by invitation only. Ask an admin of your organization to invite you." };
}
