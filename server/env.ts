/**
 * Every setting of the cloud, from environment variables, validated in one place.
 * Documented in docs/configuration.md; keep the two in step.
 */
import { z } from "zod";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyAsUndefined, z.url().optional());
const bool = (fallback: boolean) =>
  z.preprocess((v) => {
    const s = emptyAsUndefined(v);
    if (s === undefined) return fallback;
    if (typeof s === "string") return ["1", "true", "yes", "on"].includes(s.toLowerCase());
    return s;
  }, z.boolean());

export const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** PostgreSQL connection string. `npm start` sets it to the embedded database when unset. */
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is not set: set it to a PostgreSQL URL, or start Tapline with `npm start`, which runs an embedded database" })
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// URL"),
  /** Public URL of the cloud (links in emails, OAuth callbacks). */
  APP_URL: z.preprocess(emptyAsUndefined, z.url().default("http://localhost:3000")),
  /** Secret that signs session cookies; `npm start` generates and keeps one in the data directory. */
  AUTH_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional()),
  /** `open` (anyone may sign up), `invite` (only with an invitation), `domains` (only emails in SIGNUP_ALLOWED_DOMAINS). */
  SIGNUP_MODE: z.enum(["open", "invite", "domains"]).default("open"),
  SIGNUP_ALLOWED_DOMAINS: z.preprocess(
    (v) => (typeof v === "string" ? v.split(",").map((d) => d.trim().toLowerCase()).filter(Boolean) : []),
    z.array(z.string()),
  ),
  REDIS_URL: optionalUrl,
  /** smtp://user:pass@host:port — enables magic links, password reset and invitation emails. */
  SMTP_URL: optionalUrl,
  EMAIL_FROM: z.preprocess(emptyAsUndefined, z.string().default("Tapline <no-reply@localhost>")),
  AUTH_GITHUB_ID: optionalString,
  AUTH_GITHUB_SECRET: optionalString,
  AUTH_GOOGLE_ID: optionalString,
  AUTH_GOOGLE_SECRET: optionalString,
  /** Any OpenID Connect provider: issuer URL, client id and secret, and the button label. */
  AUTH_OIDC_ISSUER: optionalUrl,
  AUTH_OIDC_ID: optionalString,
  AUTH_OIDC_SECRET: optionalString,
  AUTH_OIDC_NAME: z.preprocess(emptyAsUndefined, z.string().default("Single sign-on")),
  /** Trust X-Forwarded-* headers (behind a reverse proxy). */
  AUTH_TRUST_HOST: bool(true),
  /** Public base URL of the tunnel relay, e.g. https://tunnel.example.com. */
  RELAY_PUBLIC_URL: optionalUrl,
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}\nSee docs/configuration.md.`);
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    throw new EnvError(result.error.issues.map((i) => `${i.path.join(".") || "env"}: ${i.message}`));
  }
  const e = result.data;
  const pairs: [string, string | undefined, string | undefined][] = [
    ["AUTH_GITHUB", e.AUTH_GITHUB_ID, e.AUTH_GITHUB_SECRET],
    ["AUTH_GOOGLE", e.AUTH_GOOGLE_ID, e.AUTH_GOOGLE_SECRET],
    ["AUTH_OIDC", e.AUTH_OIDC_ID, e.AUTH_OIDC_SECRET],
  ];
  const issues = pairs.filter(([, id, secret]) => Boolean(id) !== Boolean(secret)).map(([p]) => `${p}_ID and ${p}_SECRET must be set together`);
  if (e.AUTH_OIDC_ID && !e.AUTH_OIDC_ISSUER) issues.push("AUTH_OIDC_ISSUER is required when AUTH_OIDC_ID is set");
  if (e.SIGNUP_MODE === "domains" && e.SIGNUP_ALLOWED_DOMAINS.length === 0) issues.push("SIGNUP_MODE=domains needs SIGNUP_ALLOWED_DOMAINS (comma-separated)");
  if (e.NODE_ENV === "production" && !e.AUTH_SECRET) issues.push("AUTH_SECRET is required in production");
  if (issues.length) throw new EnvError(issues);
  return e;
}

let cached: Env | undefined;

export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
