/**
 * Email magic links (Auth.js Nodemailer provider + Prisma adapter) and SMTP delivery, end to end
 * through Auth.js's handler, a real nodemailer transport and a loopback SMTP server.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Auth } from "@auth/core";
import { createPrismaClient, type Db } from "../db/client";
import { parseEnv } from "../env";
import { MemoryRateLimiter } from "../ratelimit/memory-rate-limiter";
import { createTestDatabase, type TestDatabase } from "../../tests/support/db";
import { decodeQuotedPrintable, startSmtpCapture, type SmtpCapture } from "../email/testing/smtp-capture";
import { createAuthConfig } from "./config";
import { signInMethods } from "./providers";

const APP = "http://localhost:3998";

function cookiesOf(response: Response): string {
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

describe("email magic links", () => {
  let database: TestDatabase;
  let db: Db;
  let smtp: SmtpCapture;
  before(async () => {
    database = await createTestDatabase();
    db = createPrismaClient(database.url, { max: 3 });
    smtp = await startSmtpCapture();
  });
  after(async () => {
    await smtp.close();
    await db.$disconnect();
    await database.drop();
  });

  function auth(extra: Record<string, string> = {}) {
    const env = parseEnv({ DATABASE_URL: "postgresql://unused", APP_URL: APP, AUTH_SECRET: "y".repeat(40), SMTP_URL: smtp.url, EMAIL_FROM: "Tapline <auth@tapline.test>", ...extra });
    assert.ok(signInMethods(env).some((m) => m.id === "nodemailer"), "SMTP_URL enables email links");
    const config = { ...createAuthConfig({ db, env, limiter: new MemoryRateLimiter() }), basePath: "/api/auth" };
    return (request: Request) => Auth(request, config);
  }

  async function requestLink(handler: (r: Request) => Promise<Response>, email: string) {
    const csrf = await handler(new Request(`${APP}/api/auth/csrf`));
    const cookie = cookiesOf(csrf);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    return handler(
      new Request(`${APP}/api/auth/signin/nodemailer`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body: new URLSearchParams({ csrfToken, email, callbackUrl: `${APP}/` }),
      }),
    );
  }

  test("a link is emailed over SMTP; following it creates the user, their org and a session", async () => {
    const handler = auth();
    const sent = await requestLink(handler, "Linda@Example.com");
    assert.equal(sent.status, 302);
    assert.equal(sent.headers.get("location"), `${APP}/api/auth/verify-request?provider=nodemailer&type=email`);
    const page = await handler(new Request(sent.headers.get("location") ?? ""));
    assert.match(page.headers.get("location") ?? "", /\/signin\/check-email\?/, "Auth.js sends the user to our check-email page");

    const mail = await smtp.next();
    assert.deepEqual(mail.to, ["linda@example.com"]);
    assert.equal(mail.from, "auth@tapline.test");
    const body = decodeQuotedPrintable(mail.raw);
    const link = /http:\/\/localhost:3998\/api\/auth\/callback\/nodemailer\?[^\s"<]+/.exec(body)?.[0]?.replace(/&amp;/g, "&");
    assert.ok(link, "the email carries the sign-in link");
    const stored = await db.verificationToken.findFirstOrThrow({ where: { identifier: "linda@example.com" } });
    assert.ok(!link.includes(stored.token), "only a hash of the token is stored");

    const callback = await handler(new Request(link));
    assert.equal(callback.status, 302);
    assert.equal(callback.headers.get("location"), `${APP}/`);
    assert.match(cookiesOf(callback), /session-token=/);
    const user = await db.user.findUniqueOrThrow({ where: { email: "linda@example.com" }, include: { memberships: { include: { org: true } } } });
    assert.ok(user.emailVerified);
    assert.deepEqual(user.memberships.map((m) => [m.org.name, m.role]), [["linda's org", "owner"]]);

    const reused = await handler(new Request(link));
    assert.match(reused.headers.get("location") ?? "", /\/signin\?error=Verification/, "a link works once");
  });

  test("in domains mode no link is sent to an address outside the allowed domains", async () => {
    const handler = auth({ SIGNUP_MODE: "domains", SIGNUP_ALLOWED_DOMAINS: "acme.com" });
    const before = smtp.messages.length;
    const refused = await requestLink(handler, "mallory@evil.test");
    assert.match(refused.headers.get("location") ?? "", /\/signin\?error=SignupRestricted/);
    const allowed = await requestLink(handler, "ann@acme.com");
    assert.match(allowed.headers.get("location") ?? "", /verify-request/);
    const mail = await smtp.next();
    assert.deepEqual(mail.to, ["ann@acme.com"]);
    assert.equal(smtp.messages.length, before + 1);
  });
});
