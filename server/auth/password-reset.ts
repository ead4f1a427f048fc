/**
 * Password reset by emailed link. The token (32 random bytes) is stored only as its SHA-256 in
 * VerificationToken (identifier `password-reset:<userId>`), works once, and expires after
 * RESET_TTL_MINUTES. Requests never reveal whether an account exists.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import type { Mailer } from "../email/mailer";
import { passwordResetEmail } from "../email/templates";
import { normalizeEmail } from "./invitations";
import { hashPassword, passwordProblem } from "./password";

export const RESET_TTL_MINUTES = 30;
const IDENTIFIER_PREFIX = "password-reset:";

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

export function passwordResetUrl(appUrl: string, token: string): string {
  return new URL(`/reset/${encodeURIComponent(token)}`, appUrl).toString();
}

export type ResetRequestResult = { ok: true } | { ok: false; reason: "email_disabled" };

export async function requestPasswordReset(db: Db, mailer: Mailer | null, appUrl: string, rawEmail: string, now = new Date()): Promise<ResetRequestResult> {
  if (!mailer) return { ok: false, reason: "email_disabled" };
  const email = normalizeEmail(rawEmail);
  const user = await db.user.findFirst({ where: { email: { equals: email, mode: "insensitive" } }, select: { id: true, email: true } });
  if (!user) return { ok: true };
  const token = randomBytes(32).toString("base64url");
  const identifier = IDENTIFIER_PREFIX + user.id;
  await db.$transaction([
    db.verificationToken.deleteMany({ where: { identifier } }),
    db.verificationToken.create({ data: { identifier, token: sha256(token), expires: new Date(now.getTime() + RESET_TTL_MINUTES * 60_000) } }),
  ]);
  await mailer.send(passwordResetEmail(user.email, { url: passwordResetUrl(appUrl, token), validMinutes: RESET_TTL_MINUTES }));
  return { ok: true };
}

export type ResetResult = { ok: true; email: string } | { ok: false; field?: "password"; message: string };

export async function resetPassword(db: Db, token: string, password: string, now = new Date()): Promise<ResetResult> {
  const problem = passwordProblem(password);
  if (problem) return { ok: false, field: "password", message: problem };
  const row = await db.verificationToken.findFirst({ where: { token: sha256(token), identifier: { startsWith: IDENTIFIER_PREFIX } } });
  const invalid = { ok: false as const, message: "This reset link is not valid any more (links work once and expire after 30 minutes). Ask for a new one." };
  if (!row || row.expires <= now) return invalid;
  const used = await db.verificationToken.deleteMany({ where: { identifier: row.identifier, token: row.token } });
  if (used.count !== 1) return invalid;
  const updated = await db.user.updateManyAndReturn({
    where: { id: row.identifier.slice(IDENTIFIER_PREFIX.length) },
    data: { passwordHash: await hashPassword(password), emailVerified: now },
    select: { email: true },
  });
  const user = updated[0];
  return user ? { ok: true, email: user.email } : invalid;
}
