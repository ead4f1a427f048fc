import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createPrismaClient, type Db } from "../db/client";
import { createTestDatabase, type TestDatabase } from "../../tests/support/db";
import { MemoryRateLimiter } from "../ratelimit/memory-rate-limiter";
import type { EmailMessage } from "../email/mailer";
import { authorizePassword } from "./authorize-password";
import { newInvitationToken } from "./invitations";
import { requestPasswordReset, resetPassword } from "./password-reset";
import { signupDecision } from "./signup-policy";
import { signUpWithPassword } from "./sign-up";
import { SIGNIN_EMAIL_POLICY } from "./sign-in-limits";

const open = { SIGNUP_MODE: "open" as const, SIGNUP_ALLOWED_DOMAINS: [] };
const inviteOnly = { SIGNUP_MODE: "invite" as const, SIGNUP_ALLOWED_DOMAINS: [] };
const domains = { SIGNUP_MODE: "domains" as const, SIGNUP_ALLOWED_DOMAINS: ["acme.com"] };
const password = "a long enough password";

describe("sign-up, sign-in and password reset", () => {
  let database: TestDatabase;
  let db: Db;
  before(async () => {
    database = await createTestDatabase();
    db = createPrismaClient(database.url, { max: 3 });
  });
  after(async () => {
    await db.$disconnect();
    await database.drop();
  });

  test("the first account of a fresh install is allowed in any mode and owns the first organization", async () => {
    const result = await signUpWithPassword(db, inviteOnly, { name: "Ada Lovelace", email: "Ada@Example.com", password });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.email, "ada@example.com");
    const memberships = await db.membership.findMany({ where: { userId: result.userId }, include: { org: true } });
    assert.equal(memberships.length, 1);
    assert.equal(memberships[0]?.role, "owner");
    assert.equal(memberships[0]?.org.name, "Ada Lovelace's org");
    const user = await db.user.findUniqueOrThrow({ where: { id: result.userId } });
    assert.match(user.passwordHash ?? "", /^scrypt\$32768\$8\$1\$/);
  });

  test("form errors name the field and say what to do", async () => {
    assert.deepEqual(await signUpWithPassword(db, open, { name: "B", email: "b@example.com", password: "short" }), {
      ok: false,
      field: "password",
      message: "Use at least 10 characters for your password.",
    });
    const bad = await signUpWithPassword(db, open, { name: "B", email: "nope", password });
    assert.ok(!bad.ok && bad.field === "email");
    const dup = await signUpWithPassword(db, open, { name: "Again", email: "ADA@example.com", password });
    assert.ok(!dup.ok && /already exists/.test(dup.message));
  });

  test("open mode: anyone; each new user gets their own org", async () => {
    const r = await signUpWithPassword(db, open, { name: "Bob", email: "bob@example.com", password });
    assert.ok(r.ok);
    assert.equal((await db.membership.findFirstOrThrow({ where: { userId: r.userId }, include: { org: true } })).org.name, "Bob's org");
  });

  test("domains mode: only allowed domains, unless invited", async () => {
    const refused = await signUpWithPassword(db, domains, { name: "Eve", email: "eve@evil.com", password });
    assert.ok(!refused.ok && /@acme\.com/.test(refused.message));
    assert.ok((await signUpWithPassword(db, domains, { name: "Carl", email: "carl@ACME.com", password })).ok);
    assert.equal((await signupDecision(db, domains, { email: "x@sub.acme.com", providerVerifiedEmail: true })).ok, false);
  });

  test("invite mode: a valid token for the same email is required for passwords; providers need a pending invitation", async () => {
    const refused = await signUpWithPassword(db, inviteOnly, { name: "Dan", email: "dan@example.com", password });
    assert.ok(!refused.ok && /invitation only/.test(refused.message));
    assert.deepEqual(await signupDecision(db, inviteOnly, { email: "dan@example.com", providerVerifiedEmail: true }), {
      ok: false,
      message: "Sign-up on this Tapline is by invitation only. Ask an admin of your organization to invite you.",
    });

    const org = await db.organization.findFirstOrThrow({ where: { name: "Ada Lovelace's org" } });
    const { token, tokenHash } = newInvitationToken();
    await db.invitation.create({ data: { orgId: org.id, email: "dan@example.com", role: "member", tokenHash, expiresAt: new Date(Date.now() + 60_000) } });

    const wrongEmail = await signUpWithPassword(db, inviteOnly, { name: "Mallory", email: "mallory@example.com", password, inviteToken: token });
    assert.ok(!wrongEmail.ok && /for dan@example.com/.test(wrongEmail.message));
    const badToken = await signUpWithPassword(db, inviteOnly, { name: "Dan", email: "dan@example.com", password, inviteToken: "forged" });
    assert.ok(!badToken.ok && /not valid/.test(badToken.message));
    // Providers vouch for the email: a pending invitation is enough.
    assert.equal((await signupDecision(db, inviteOnly, { email: "DAN@example.com", providerVerifiedEmail: true })).ok, true);
    // An unverified claim (password sign-up) without the token is not.
    assert.equal((await signupDecision(db, inviteOnly, { email: "dan@example.com", providerVerifiedEmail: false })).ok, false);

    const dan = await signUpWithPassword(db, inviteOnly, { name: "Dan", email: "dan@example.com", password, inviteToken: token });
    assert.ok(dan.ok);
    assert.equal(dan.orgId, org.id);
    const memberships = await db.membership.findMany({ where: { userId: dan.userId } });
    assert.deepEqual(memberships.map((m) => [m.orgId, m.role]), [[org.id, "member"]], "joins the inviting org, no personal org");
  });

  test("password sign-in: right password passes, wrong ones are rate-limited per email and per IP", async () => {
    const limiter = new MemoryRateLimiter();
    const ok = await authorizePassword(db, limiter, { email: "BOB@example.com", password }, "10.0.0.1");
    assert.equal(ok.email, "bob@example.com");
    for (let i = 0; i < SIGNIN_EMAIL_POLICY.limit; i++) {
      await assert.rejects(authorizePassword(db, limiter, { email: "bob@example.com", password: "wrong password" }, "10.0.0.1"), { code: "invalid_credentials" });
    }
    await assert.rejects(authorizePassword(db, limiter, { email: "bob@example.com", password }, "10.0.0.2"), { code: "rate_limited" }, "even the right password waits");
    await assert.rejects(authorizePassword(db, limiter, { email: "nobody@example.com", password }, "10.0.0.3"), { code: "invalid_credentials" });
    await assert.rejects(authorizePassword(db, limiter, { email: "", password: "" }, "10.0.0.3"), { code: "invalid_credentials" });

    const ipLimiter = new MemoryRateLimiter();
    for (let i = 0; i < 30; i++) {
      await assert.rejects(authorizePassword(db, ipLimiter, { email: `user${i}@example.com`, password: "guess guess" }, "10.9.9.9"), { code: "invalid_credentials" });
    }
    await assert.rejects(authorizePassword(db, ipLimiter, { email: "carl@acme.com", password }, "10.9.9.9"), { code: "rate_limited" });
    assert.equal((await authorizePassword(db, ipLimiter, { email: "carl@acme.com", password }, "10.1.1.1")).email, "carl@acme.com");
  });

  test("password reset: emailed single-use link, expiring; unknown emails look the same; no SMTP → said so", async () => {
    const sent: EmailMessage[] = [];
    const mailer = { send: async (m: EmailMessage) => void sent.push(m) };
    assert.deepEqual(await requestPasswordReset(db, null, "http://localhost:3000", "bob@example.com"), { ok: false, reason: "email_disabled" });
    assert.deepEqual(await requestPasswordReset(db, mailer, "http://localhost:3000", "ghost@example.com"), { ok: true });
    assert.equal(sent.length, 0);
    assert.deepEqual(await requestPasswordReset(db, mailer, "http://localhost:3000", "Bob@Example.com"), { ok: true });
    assert.equal(sent.length, 1);
    const link = /http:\/\/localhost:3000\/reset\/(\S+)/.exec(sent[0]?.text ?? "");
    assert.ok(link?.[1]);
    const token = decodeURIComponent(link[1]);
    const stored = await db.verificationToken.findFirstOrThrow({ where: { identifier: { startsWith: "password-reset:" } } });
    assert.notEqual(stored.token, token, "only the hash is stored");

    assert.deepEqual(await resetPassword(db, token, "short"), { ok: false, field: "password", message: "Use at least 10 characters." });
    const later = new Date(Date.now() + 31 * 60_000);
    assert.equal((await resetPassword(db, token, "new password 123", later)).ok, false, "expired after 30 minutes");
    assert.deepEqual(await resetPassword(db, token, "new password 123"), { ok: true, email: "bob@example.com" });
    assert.equal((await resetPassword(db, token, "another password")).ok, false, "single use");
    const limiter = new MemoryRateLimiter();
    assert.equal((await authorizePassword(db, limiter, { email: "bob@example.com", password: "new password 123" }, "1.1.1.1")).email, "bob@example.com");
    await assert.rejects(authorizePassword(db, limiter, { email: "bob@example.com", password }, "1.1.1.1"), { code: "invalid_credentials" });
  });
});
