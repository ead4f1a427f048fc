/**
 * The Auth.js configuration, built from injected dependencies so tests can run it against their
 * own database (with @auth/core's `Auth`) and `auth.ts` can build it lazily per request.
 *
 * Sessions are JWTs (the Credentials provider requires it); the Prisma adapter still stores
 * users, OAuth accounts and magic-link tokens.
 */
import type { AuthConfig } from "@auth/core";
import type { Adapter } from "@auth/core/adapters";
import Credentials from "@auth/core/providers/credentials";
import GitHub from "@auth/core/providers/github";
import Google from "@auth/core/providers/google";
import Nodemailer from "@auth/core/providers/nodemailer";
import type { Provider } from "@auth/core/providers";
import { PrismaAdapter } from "@auth/prisma-adapter";
import type { Db } from "../db/client";
import type { Env } from "../env";
import type { RateLimiter } from "../ratelimit/rate-limiter";
import { authorizePassword } from "./authorize-password";
import { acceptPendingInvitations, normalizeEmail } from "./invitations";
import { ensurePersonalOrg } from "./organization";
import { signupDecision } from "./signup-policy";
import { clientIp } from "./sign-in-limits";

export const AUTH_PAGES = {
  signIn: "/signin",
  error: "/signin",
  verifyRequest: "/signin/check-email",
} as const;

/** Only used outside production when AUTH_SECRET is unset (env.ts requires it in production). */
const DEVELOPMENT_SECRET = "tapline-development-secret-not-for-production-use";

export interface AuthDeps {
  db: Db;
  env: Env;
  limiter: RateLimiter;
}

export function authProviders({ db, env: e, limiter }: AuthDeps): Provider[] {
  const providers: Provider[] = [
    Credentials({
      id: "credentials",
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: (credentials, request) => authorizePassword(db, limiter, credentials, clientIp(request.headers)),
    }),
  ];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) providers.push(GitHub({ clientId: e.AUTH_GITHUB_ID, clientSecret: e.AUTH_GITHUB_SECRET }));
  if (e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET) providers.push(Google({ clientId: e.AUTH_GOOGLE_ID, clientSecret: e.AUTH_GOOGLE_SECRET }));
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID && e.AUTH_OIDC_SECRET) {
    providers.push({
      id: "oidc",
      name: e.AUTH_OIDC_NAME,
      type: "oidc",
      issuer: e.AUTH_OIDC_ISSUER,
      clientId: e.AUTH_OIDC_ID,
      clientSecret: e.AUTH_OIDC_SECRET,
      authorization: { params: { scope: "openid email profile" } },
      checks: ["pkce", "state"],
    });
  }
  if (e.SMTP_URL) providers.push(Nodemailer({ server: e.SMTP_URL, from: e.EMAIL_FROM }));
  return providers;
}

export function createAuthConfig(deps: AuthDeps): AuthConfig {
  const { db, env: e } = deps;
  return {
    adapter: PrismaAdapter(db as unknown as Parameters<typeof PrismaAdapter>[0]) as Adapter,
    providers: authProviders(deps),
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    secret: e.AUTH_SECRET ?? (e.NODE_ENV === "production" ? undefined : DEVELOPMENT_SECRET),
    trustHost: e.AUTH_TRUST_HOST,
    pages: AUTH_PAGES,
    logger: {
      error(error) {
        // Wrong passwords and refused sign-ups are answered on the page; not server errors.
        if (["CredentialsSignin", "AccessDenied"].includes(error.name) || ["CredentialsSignin", "AccessDenied"].includes((error as { type?: string }).type ?? "")) return;
        console.error(`[auth] ${error.name}: ${error.message}`);
      },
    },
    callbacks: {
      /** SIGNUP_MODE for every provider: existing users pass; new ones need signupDecision's approval. */
      async signIn({ user, account }) {
        if (account?.provider === "credentials") return true;
        const email = user.email ? normalizeEmail(user.email) : null;
        if (!email) return `${AUTH_PAGES.signIn}?error=EmailRequired`;
        const existing = await db.user.findFirst({ where: { email: { equals: email, mode: "insensitive" } }, select: { id: true } });
        if (existing) return true;
        const decision = await signupDecision(db, e, { email, providerVerifiedEmail: true });
        return decision.ok ? true : `${AUTH_PAGES.signIn}?error=SignupRestricted`;
      },
      jwt({ token, user }) {
        if (user?.id) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
    events: {
      /** A provider (OAuth, OIDC, email link) vouched for this email: join the orgs that invited it. */
      async createUser({ user }) {
        if (user.id && user.email) await acceptPendingInvitations(db, { id: user.id, email: user.email });
      },
      /** First sign-in of a user without an organization: give them "<Name>'s org". */
      async signIn({ user }) {
        if (user.id) await ensurePersonalOrg(db, user.id);
      },
    },
  };
}
