/**
 * Email + password sign-up: validates, applies SIGNUP_MODE, creates the user with an scrypt hash,
 * accepts the invitation it came with, and gives the user their first organization if they
 * have none.
 */
import { z } from "zod";
import type { Db } from "../db/client";
import type { Env } from "../env";
import { acceptInvitation, normalizeEmail } from "./invitations";
import { ensurePersonalOrg } from "./organization";
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./password";
import { signupDecision } from "./signup-policy";

export const SignUpInput = z.object({
  name: z.string().trim().min(1, "Enter your name.").max(80, "Use at most 80 characters for your name."),
  email: z.string().trim().max(254, "Use at most 254 characters for your email.").transform(normalizeEmail).pipe(z.email({ error: "Enter a valid email address." })),
  password: z
    .string()
    .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters for your password.`)
    .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters for your password.`),
  inviteToken: z.string().trim().max(200).optional().transform((t) => t || undefined),
});

export type SignUpResult =
  | { ok: true; userId: string; email: string; orgId: string | null }
  | { ok: false; field?: "name" | "email" | "password"; message: string };

export async function signUpWithPassword(db: Db, config: Pick<Env, "SIGNUP_MODE" | "SIGNUP_ALLOWED_DOMAINS">, raw: unknown): Promise<SignUpResult> {
  const parsed = SignUpInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path[0];
    return { ok: false, field: field === "name" || field === "email" || field === "password" ? field : undefined, message: issue?.message ?? "Check the form." };
  }
  const input = parsed.data;
  const decision = await signupDecision(db, config, { email: input.email, inviteToken: input.inviteToken, providerVerifiedEmail: false });
  if (!decision.ok) return { ok: false, field: "email", message: decision.message };

  const existing = await db.user.findFirst({ where: { email: { equals: input.email, mode: "insensitive" } }, select: { id: true } });
  if (existing) return { ok: false, field: "email", message: "An account with this email already exists. Sign in instead, or reset your password." };

  let user;
  try {
    user = await db.user.create({ data: { name: input.name, email: input.email, passwordHash: await hashPassword(input.password) }, select: { id: true, email: true } });
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") return { ok: false, field: "email", message: "An account with this email already exists. Sign in instead." };
    throw e;
  }
  let orgId: string | null = null;
  if (input.inviteToken) orgId = (await acceptInvitation(db, input.inviteToken, user)).orgId;
  else orgId = (await ensurePersonalOrg(db, user.id))?.id ?? null;
  return { ok: true, userId: user.id, email: user.email, orgId };
}
