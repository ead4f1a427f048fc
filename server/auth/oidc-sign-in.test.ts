/**
 * The OIDC provider config against a real OpenID Connect server (tests/support/oidc-server.ts),
 * driven end to end through Auth.js (@auth/core's `Auth`, the same handler Next.js serves):
 * sign-in page → IdP login + consent → callback → session, user, account and first org in PostgreSQL.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { Auth } from "@auth/core";
import { createPrismaClient, type Db } from "../db/client";
import { parseEnv } from "../env";
import { MemoryRateLimiter } from "../ratelimit/memory-rate-limiter";
import { createTestDatabase, type TestDatabase } from "../../tests/support/db";
import { startOidcServer, type OidcServer } from "../../tests/support/oidc-server";
import { createAuthConfig } from "./config";

const APP = "http://localhost:3999";

class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (!pair || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === "" || /max-age=0/i.test(line) || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  has(name: string): boolean {
    return [...this.cookies.keys()].some((k) => k.includes(name));
  }
}

function authFor(db: Db, idp: OidcServer, extra: Record<string, string> = {}) {
  const env = parseEnv({ DATABASE_URL: "postgresql://unused", APP_URL: APP, AUTH_SECRET: "x".repeat(40), ...idp.env, ...extra });
  const config = { ...createAuthConfig({ db, env, limiter: new MemoryRateLimiter() }), basePath: "/api/auth" };
  return (request: Request) => Auth(request, config);
}

/** Run the browser's part: app sign-in → IdP login (account id) → consent → back to the app's callback. */
async function signInWithOidc(auth: (r: Request) => Promise<Response>, accountId: string) {
  const app = new CookieJar();
  const idp = new CookieJar();
  const csrf = await auth(new Request(`${APP}/api/auth/csrf`));
  app.store(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };

  const start = await auth(
    new Request(`${APP}/api/auth/signin/oidc`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: app.header() },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${APP}/` }),
    }),
  );
  app.store(start);
  assert.equal(start.status, 302);
  let location = start.headers.get("location") ?? "";
  assert.match(location, /^http:\/\/127\.0\.0\.1:\d+\/auth\?/);
  assert.match(location, /redirect_uri=http%3A%2F%2Flocalhost%3A3999%2Fapi%2Fauth%2Fcallback%2Foidc/);

  for (let hop = 0; hop < 12 && !location.startsWith(APP); hop++) {
    let response = await fetch(location, { redirect: "manual", headers: { cookie: idp.header() } });
    idp.store(response);
    if (response.status === 200) {
      const html = await response.text();
      const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
      assert.ok(prompt, "an IdP interaction form");
      const body = new URLSearchParams({ prompt });
      if (prompt === "login") {
        body.set("login", accountId);
        body.set("password", "anything");
      }
      response = await fetch(location, { method: "POST", redirect: "manual", headers: { cookie: idp.header(), "content-type": "application/x-www-form-urlencoded" }, body });
      idp.store(response);
    }
    const next = response.headers.get("location");
    assert.ok(next, `IdP answered ${response.status} without a redirect`);
    location = new URL(next, location).toString();
  }
  assert.ok(location.startsWith(`${APP}/api/auth/callback/oidc?`), location);

  const callback = await auth(new Request(location, { headers: { cookie: app.header() } }));
  app.store(callback);
  return { callback, app };
}

describe("OIDC sign-in through Auth.js against the local OIDC server", () => {
  let database: TestDatabase;
  let db: Db;
  let idp: OidcServer;
  before(async () => {
    database = await createTestDatabase();
    db = createPrismaClient(database.url, { max: 3 });
    idp = await startOidcServer({ appOrigin: APP });
  });
  after(async () => {
    await idp.close();
    await db.$disconnect();
    await database.drop();
  });

  test("a first sign-in creates the user from the id_token's email and name, links the account, and gives them an org", async () => {
    const auth = authFor(db, idp);
    const { callback, app } = await signInWithOidc(auth, "alice");
    assert.equal(callback.status, 302, await callback.clone().text());
    assert.equal(callback.headers.get("location"), `${APP}/`);
    assert.ok(app.has("session-token"), "a session cookie is set");

    const user = await db.user.findUniqueOrThrow({ where: { email: "alice@example.com" }, include: { accounts: true, memberships: { include: { org: true } } } });
    assert.equal(user.name, "Alice Example");
    assert.deepEqual(user.accounts.map((a) => [a.provider, a.providerAccountId]), [["oidc", "alice"]]);
    assert.deepEqual(user.memberships.map((m) => [m.org.name, m.role]), [["Alice Example's org", "owner"]]);

    const session = await auth(new Request(`${APP}/api/auth/session`, { headers: { cookie: app.header() } }));
    const body = (await session.json()) as { user?: { id?: string; email?: string } };
    assert.equal(body.user?.email, "alice@example.com");
    assert.equal(body.user?.id, user.id);

    // Signing in again reuses the user and adds no org.
    const again = await signInWithOidc(auth, "alice");
    assert.equal(again.callback.status, 302);
    assert.equal(await db.user.count({ where: { email: "alice@example.com" } }), 1);
    assert.equal(await db.membership.count({ where: { userId: user.id } }), 1);
  });

  test("SIGNUP_MODE applies to OIDC: an uninvited newcomer is refused in invite mode, an invited one joins the inviting org", async () => {
    const auth = authFor(db, idp, { SIGNUP_MODE: "invite" });
    const refused = await signInWithOidc(auth, "bob");
    assert.equal(refused.callback.status, 302);
    assert.match(refused.callback.headers.get("location") ?? "", /\/signin\?error=SignupRestricted/);
    assert.equal(await db.user.count({ where: { email: "bob@example.com" } }), 0);

    const org = await db.organization.findFirstOrThrow({ where: { name: "Alice Example's org" } });
    await db.invitation.create({ data: { orgId: org.id, email: "Bob@Example.com", role: "member", tokenHash: "b".repeat(64), expiresAt: new Date(Date.now() + 60_000) } });
    const joined = await signInWithOidc(auth, "bob");
    assert.equal(joined.callback.headers.get("location"), `${APP}/`);
    const bob = await db.user.findUniqueOrThrow({ where: { email: "bob@example.com" }, include: { memberships: true } });
    assert.deepEqual(bob.memberships.map((m) => [m.orgId, m.role]), [[org.id, "member"]], "joined by invitation, no personal org");
  });
});
