/**
 * Rate-limit policies for authentication. Failures are counted; a success resets the
 * per-email counter (not the per-IP one).
 */
import type { RateLimitPolicy } from "../ratelimit/rate-limiter";

const FIFTEEN_MINUTES = 15 * 60 * 1000;

/** Failed password sign-ins per email address. */
export const SIGNIN_EMAIL_POLICY: RateLimitPolicy = { name: "signin-email", limit: 5, windowMs: FIFTEEN_MINUTES };
/** Failed password sign-ins per client IP (many accounts from one address). */
export const SIGNIN_IP_POLICY: RateLimitPolicy = { name: "signin-ip", limit: 30, windowMs: FIFTEEN_MINUTES };
/** Sign-ups and password-reset requests per client IP. */
export const SIGNUP_IP_POLICY: RateLimitPolicy = { name: "signup-ip", limit: 10, windowMs: 60 * 60 * 1000 };
export const RESET_EMAIL_POLICY: RateLimitPolicy = { name: "reset-email", limit: 3, windowMs: 60 * 60 * 1000 };
/** Wrong current passwords when changing password, per user. */
export const PASSWORD_CHANGE_POLICY: RateLimitPolicy = { name: "password-change", limit: 5, windowMs: FIFTEEN_MINUTES };

/** The client IP from proxy headers (first X-Forwarded-For hop), or "unknown". */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || headers.get("x-real-ip")?.trim() || "unknown";
}
