/**
 * The Credentials provider's check: email + password, rate-limited per email and per IP
 * (failures only; a success clears the email's counter). Errors are CredentialsSignin with a
 * `code` the sign-in page turns into a message.
 */
import { CredentialsSignin } from "@auth/core/errors";
import { z } from "zod";
import type { Db } from "../db/client";
import type { RateLimiter } from "../ratelimit/rate-limiter";
import { normalizeEmail } from "./invitations";
import { hashPassword, needsRehash, PASSWORD_MAX_LENGTH, verifyAgainstDummy, verifyPassword } from "./password";
import { SIGNIN_EMAIL_POLICY, SIGNIN_IP_POLICY } from "./sign-in-limits";

export class InvalidCredentials extends CredentialsSignin {
  override code = "invalid_credentials";
}

export class TooManyAttempts extends CredentialsSignin {
  override code = "rate_limited";
}

const Credentials = z.object({
  email: z.string().trim().min(1).max(254).transform(normalizeEmail),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

export interface AuthorizedUser {
  id: string;
  email: string;
  name: string | null;
  image: string | null;
}

export async function authorizePassword(db: Db, limiter: RateLimiter, credentials: unknown, ip: string): Promise<AuthorizedUser> {
  const parsed = Credentials.safeParse(credentials);
  if (!parsed.success) throw new InvalidCredentials();
  const { email, password } = parsed.data;

  const [byEmail, byIp] = await Promise.all([limiter.peek(SIGNIN_EMAIL_POLICY, email), limiter.peek(SIGNIN_IP_POLICY, ip)]);
  if (!byEmail.allowed || !byIp.allowed) throw new TooManyAttempts();

  const user = await db.user.findFirst({
    where: { email: { equals: email, mode: "insensitive" } },
    select: { id: true, email: true, name: true, image: true, passwordHash: true },
  });
  const valid = user?.passwordHash ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDummy(password);
  if (!user || !valid) {
    await Promise.all([limiter.hit(SIGNIN_EMAIL_POLICY, email), limiter.hit(SIGNIN_IP_POLICY, ip)]);
    throw new InvalidCredentials();
  }
  await limiter.reset(SIGNIN_EMAIL_POLICY, email);
  if (user.passwordHash && needsRehash(user.passwordHash)) {
    await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  }
  return { id: user.id, email: user.email, name: user.name, image: user.image };
}
