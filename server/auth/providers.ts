/**
 * Which sign-in methods this instance offers, from the environment: email + password always;
 * GitHub, Google and a generic OIDC provider when their client id/secret are set; email magic
 * links when SMTP_URL is set.
 */
import type { Env } from "../env";

export interface SignInMethod {
  id: string;
  name: string;
  type: "credentials" | "oauth" | "oidc" | "email";
}

export function signInMethods(e: Env): SignInMethod[] {
  const methods: SignInMethod[] = [{ id: "credentials", name: "Email and password", type: "credentials" }];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) methods.push({ id: "github", name: "GitHub", type: "oauth" });
  if (e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET) methods.push({ id: "google", name: "Google", type: "oidc" });
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID && e.AUTH_OIDC_SECRET) methods.push({ id: "oidc", name: e.AUTH_OIDC_NAME, type: "oidc" });
  if (e.SMTP_URL) methods.push({ id: "nodemailer", name: "Email link", type: "email" });
  return methods;
}
