"use server";
/**
 * Server actions of the sign-in, sign-up and password-reset pages. They work without
 * JavaScript (plain form posts) and return messages for the forms.
 */
import { AuthError, CredentialsSignin } from "next-auth";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { signIn } from "@/server/auth/auth";
import { requestPasswordReset, resetPassword } from "@/server/auth/password-reset";
import { signUpWithPassword } from "@/server/auth/sign-up";
import { clientIp, RESET_EMAIL_POLICY, SIGNUP_IP_POLICY } from "@/server/auth/sign-in-limits";
import { signInMethods } from "@/server/auth/providers";
import { db } from "@/server/db/client";
import { mailer } from "@/server/email/mailer";
import { env } from "@/server/env";
import { rateLimiter } from "@/server/ratelimit";
import { safeCallbackUrl, signInErrorMessage } from "./messages";

export interface FormState {
  error?: string;
  field?: string;
  notice?: string;
  values?: Record<string, string>;
}

const text = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};

function isRedirect(e: unknown): boolean {
  return typeof (e as { digest?: unknown })?.digest === "string" && (e as { digest: string }).digest.startsWith("NEXT_REDIRECT");
}

export async function passwordSignInAction(_prev: FormState | null, form: FormData): Promise<FormState | null> {
  const email = text(form, "email").trim();
  const password = text(form, "password");
  if (!email || !password) return { error: "Enter your email and password.", field: email ? "password" : "email", values: { email } };
  try {
    await signIn("credentials", { email, password, redirectTo: safeCallbackUrl(text(form, "callbackUrl")) });
  } catch (e) {
    if (isRedirect(e)) throw e;
    if (e instanceof CredentialsSignin) return { error: signInErrorMessage("CredentialsSignin", e.code) ?? undefined, field: "password", values: { email } };
    if (e instanceof AuthError) return { error: signInErrorMessage(e.type) ?? undefined, values: { email } };
    throw e;
  }
  return null;
}

export async function providerSignInAction(form: FormData): Promise<void> {
  const provider = text(form, "provider");
  const known = signInMethods(env()).some((m) => m.id === provider && (m.type === "oauth" || m.type === "oidc"));
  if (!known) redirect("/signin?error=Configuration");
  await signIn(provider, { redirectTo: safeCallbackUrl(text(form, "callbackUrl")) });
}

export async function emailLinkSignInAction(_prev: FormState | null, form: FormData): Promise<FormState | null> {
  const email = text(form, "email").trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { error: "Enter a valid email address.", field: "email", values: { email } };
  try {
    await signIn("nodemailer", { email, redirectTo: safeCallbackUrl(text(form, "callbackUrl")) });
  } catch (e) {
    if (isRedirect(e)) throw e;
    if (e instanceof AuthError) return { error: signInErrorMessage(e.type) ?? undefined, values: { email } };
    throw e;
  }
  return null;
}

export async function signUpAction(_prev: FormState | null, form: FormData): Promise<FormState | null> {
  const values = { name: text(form, "name"), email: text(form, "email") };
  const ip = clientIp(await headers());
  const limit = await rateLimiter().hit(SIGNUP_IP_POLICY, ip);
  if (!limit.allowed) return { error: `Too many sign-ups from your network. Try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.`, values };

  const inviteToken = text(form, "inviteToken") || undefined;
  const result = await signUpWithPassword(db(), env(), { ...values, password: text(form, "password"), inviteToken });
  if (!result.ok) return { error: result.message, field: result.field, values };

  // An invitation used here is already accepted: go home rather than back to its page.
  const callbackUrl = inviteToken ? "/" : safeCallbackUrl(text(form, "callbackUrl"));
  try {
    await signIn("credentials", { email: result.email, password: text(form, "password"), redirectTo: callbackUrl });
  } catch (e) {
    if (isRedirect(e)) throw e;
    if (e instanceof AuthError) redirect(`/signin?callbackUrl=${encodeURIComponent(callbackUrl)}`);
    throw e;
  }
  return null;
}

export async function requestResetAction(_prev: FormState | null, form: FormData): Promise<FormState | null> {
  const email = text(form, "email").trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { error: "Enter a valid email address.", field: "email", values: { email } };
  const limiter = rateLimiter();
  const [byEmail, byIp] = await Promise.all([limiter.hit(RESET_EMAIL_POLICY, email), limiter.hit(SIGNUP_IP_POLICY, clientIp(await headers()))]);
  const sentNotice = `If an account exists for ${email}, we sent it a link to choose a new password. It expires in 30 minutes.`;
  if (!byEmail.allowed || !byIp.allowed) return { notice: sentNotice };
  const result = await requestPasswordReset(db(), mailer(), env().APP_URL, email);
  if (!result.ok) return { error: "Password reset by email is not set up on this Tapline (no SMTP server). Ask an administrator to reset your password.", values: { email } };
  return { notice: sentNotice };
}

export async function resetPasswordAction(_prev: FormState | null, form: FormData): Promise<FormState | null> {
  const password = text(form, "password");
  if (password !== text(form, "confirm")) return { error: "The two passwords differ.", field: "confirm" };
  const result = await resetPassword(db(), text(form, "token"), password);
  if (!result.ok) return { error: result.message, field: result.field };
  try {
    await signIn("credentials", { email: result.email, password, redirectTo: "/" });
  } catch (e) {
    if (isRedirect(e)) throw e;
    if (e instanceof AuthError) redirect("/signin");
    throw e;
  }
  return null;
}
