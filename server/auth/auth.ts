/**
 * Auth.js (next-auth v5): `{ handlers, auth, signIn, signOut }` for route handlers, server
 * components and server actions. The configuration is built lazily (first request), so
 * `next build` does not need the environment.
 *
 * Auth.js builds OAuth redirect URIs from AUTH_URL, else from APP_URL when it was set explicitly,
 * else from the request's host: APP_URL must be the address users browse (e.g. `localhost`, not
 * `127.0.0.1`, if that is what they type), or the state cookie is set on another host and the
 * callback fails with "InvalidCheck".
 */
import NextAuth from "next-auth";
import { db } from "../db/client";
import { env } from "../env";
import { rateLimiter } from "../ratelimit";
import { createAuthConfig } from "./config";

export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const e = env();
  if (!process.env.AUTH_URL && process.env.APP_URL) process.env.AUTH_URL = new URL("/api/auth", e.APP_URL).toString();
  return createAuthConfig({ db: db(), env: e, limiter: rateLimiter() });
});
