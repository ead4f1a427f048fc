/**
 * API key lifecycle through the tRPC API, `verifyApiKey` and the real `GET /api/v1/whoami`
 * route handler, on a real PostgreSQL database.
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { ApiKeyVerifier, CACHE_TTL_MS, generateApiKey, hashApiKey, setApiKeyVerifier } from "../server/keys";
import { API_KEY_PATTERN } from "../server/keys/api-key";
import { GET as whoami } from "../app/api/v1/whoami/route";
import { createTenancyFixture, type TenancyFixture } from "./support/tenancy-fixtures";
import { startAppServer, type AppServer } from "./support/app-server";
import { createPrismaClient, type Db } from "../server/db/client";
import { hashPassword } from "../server/auth/password";

const bearer = (key: string) => `Bearer ${key}`;

async function callWhoami(authorization?: string) {
  const headers = new Headers();
  if (authorization !== undefined) headers.set("authorization", authorization);
  const response = await whoami(new Request("http://localhost/api/v1/whoami", { headers }), {});
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers };
}

describe("API keys", () => {
  let f: TenancyFixture;
  let now = Date.now();
  let verifier: ApiKeyVerifier;
  before(async () => {
    f = await createTenancyFixture();
    verifier = new ApiKeyVerifier(() => f.db, () => now);
    setApiKeyVerifier(verifier);
  });
  after(async () => {
    await f.close();
  });

  test("generated keys are tpl_ + 43 base62 characters, distinct, and hashed with SHA-256", () => {
    const keys = Array.from({ length: 200 }, () => generateApiKey());
    for (const k of keys) {
      assert.match(k.key, API_KEY_PATTERN);
      assert.equal(k.prefix, k.key.slice(0, 12));
      assert.equal(k.hash, hashApiKey(k.key));
      assert.match(k.hash, /^[0-9a-f]{64}$/);
    }
    assert.equal(new Set(keys.map((k) => k.key)).size, keys.length);
  });

  test("create → shown once → authenticates → revoke → 401", async () => {
    const member = f.as(f.a.users.member);
    const created = await member.apiKey.create({ projectId: f.a.projectId, name: "laptop agent" });
    assert.match(created.key, API_KEY_PATTERN);

    const stored = await f.db.apiKey.findUniqueOrThrow({ where: { id: created.id } });
    assert.equal(stored.hash, hashApiKey(created.key));
    assert.ok(!JSON.stringify(stored).includes(created.key), "the database never holds the key");

    const listed = await member.apiKey.list({ projectId: f.a.projectId });
    const serialized = JSON.stringify(listed);
    assert.ok(!serialized.includes(created.key) && !serialized.includes(stored.hash), "list never returns the key or its hash");
    const row = listed.find((k) => k.id === created.id);
    assert.ok(row);
    assert.equal(row.prefix, created.key.slice(0, 12));
    assert.equal(row.lastUsedAt, null);
    assert.equal(row.revoked, false);

    const ok = await verifier.verify(bearer(created.key));
    assert.ok(ok.ok);
    assert.deepEqual(
      { id: ok.key.id, projectId: ok.key.projectId, orgId: ok.key.orgId, scopes: ok.key.scopes },
      { id: created.id, projectId: f.a.projectId, orgId: f.a.orgId, scopes: ["ingest", "tunnel"] },
    );
    const used = (await member.apiKey.list({ projectId: f.a.projectId })).find((k) => k.id === created.id);
    assert.ok(used?.lastUsedAt, "lastUsedAt is set on first use");

    const http = await callWhoami(bearer(created.key));
    assert.equal(http.status, 200);
    assert.deepEqual(http.body.project, { id: f.a.projectId, name: f.a.projectName });
    assert.deepEqual(http.body.org, { id: f.a.orgId, name: f.a.orgName });

    await member.apiKey.revoke({ projectId: f.a.projectId, keyId: created.id });
    const revoked = await verifier.verify(bearer(created.key));
    assert.ok(!revoked.ok);
    assert.equal(revoked.status, 401);
    assert.equal(revoked.code, "revoked_api_key");
    assert.match(revoked.message, /revoked/);
    const httpRevoked = await callWhoami(bearer(created.key));
    assert.equal(httpRevoked.status, 401);
    assert.deepEqual(Object.keys(httpRevoked.body), ["error"]);
    assert.match(httpRevoked.headers.get("www-authenticate") ?? "", /^Bearer/);
  });

  test("missing, empty, malformed, wrong and unknown keys are 401 with a clear message (never a 500)", async () => {
    const valid = generateApiKey().key;
    const cases: [string | undefined, string][] = [
      [undefined, "missing_api_key"],
      ["", "missing_api_key"],
      ["   ", "missing_api_key"],
      ["Basic dXNlcjpwYXNz", "malformed_authorization"],
      ["Bearer", "malformed_authorization"],
      [`Bearer ${valid} extra`, "malformed_authorization"],
      [valid, "malformed_authorization"],
      ["Bearer sk_live_abcdef", "malformed_api_key"],
      ["Bearer tpl_short", "malformed_api_key"],
      [`Bearer ${valid.slice(0, -1)}!`, "malformed_api_key"],
      [`Bearer ${valid}x`, "malformed_api_key"],
      [`Bearer ${"tpl_" + "\u00e9".repeat(43)}`, "malformed_api_key"],
      [`Bearer ${valid}`, "invalid_api_key"],
      [`bearer ${f.a.key.slice(0, -1)}${f.a.key.endsWith("A") ? "B" : "A"}`, "invalid_api_key"],
    ];
    for (const [header, code] of cases) {
      const http = await callWhoami(header);
      assert.equal(http.status, 401, `${JSON.stringify(header)} → ${http.status}`);
      const error = http.body.error as { code: string; message: string };
      assert.equal(error.code, code, JSON.stringify(header));
      assert.ok(error.message.length > 20, "a message a user can act on");
      const direct = await verifier.verify(header ?? null);
      assert.ok(!direct.ok && direct.code === code);
    }
  });

  test("a key authenticates only as its own project: another project's key gives that project, never this one", async () => {
    const a = await verifier.verify(bearer(f.a.key));
    const b = await verifier.verify(bearer(f.b.key));
    assert.ok(a.ok && b.ok);
    assert.equal(a.key.projectId, f.a.projectId);
    assert.equal(b.key.projectId, f.b.projectId);
    assert.notEqual(a.key.orgId, b.key.orgId);
    // Org B's people cannot revoke or list org A's keys by id.
    await assert.rejects(f.as(f.b.users.owner).apiKey.revoke({ projectId: f.b.projectId, keyId: f.a.keyId }), { code: "NOT_FOUND" });
    assert.ok((await verifier.verify(bearer(f.a.key))).ok);
  });

  test("hits are cached briefly: a revoke made elsewhere takes effect within the cache TTL", async () => {
    const created = await f.as(f.a.users.admin).apiKey.create({ projectId: f.a.projectId, name: "cached" });
    assert.ok((await verifier.verify(bearer(created.key))).ok);
    // Revoked directly in the database (as another instance would): this instance's cache still answers…
    await f.db.apiKey.update({ where: { id: created.id }, data: { revokedAt: new Date() } });
    assert.ok((await verifier.verify(bearer(created.key))).ok, "served from cache within the TTL");
    now += CACHE_TTL_MS;
    const after = await verifier.verify(bearer(created.key));
    assert.ok(!after.ok && after.code === "revoked_api_key", "…and the revoke applies once the entry expires");
  });

  test("lastUsedAt is written at most once a minute", async () => {
    const created = await f.as(f.a.users.admin).apiKey.create({ projectId: f.a.projectId, name: "busy" });
    const lastUsed = async () => (await f.db.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt?.getTime();
    assert.ok((await verifier.verify(bearer(created.key))).ok);
    const first = await lastUsed();
    assert.equal(first, now);
    now += 30_000;
    await verifier.verify(bearer(created.key));
    assert.equal(await lastUsed(), first);
    now += 31_000;
    await verifier.verify(bearer(created.key));
    assert.equal(await lastUsed(), now);
  });

  test("members revoke only their own keys; admins revoke any; viewers none", async () => {
    const adminKey = await f.as(f.a.users.admin).apiKey.create({ projectId: f.a.projectId, name: "admin's" });
    await assert.rejects(f.as(f.a.users.member).apiKey.revoke({ projectId: f.a.projectId, keyId: adminKey.id }), { code: "FORBIDDEN" });
    await assert.rejects(f.as(f.a.users.viewer).apiKey.create({ projectId: f.a.projectId, name: "nope" }), { code: "FORBIDDEN" });
    const memberKey = await f.as(f.a.users.member).apiKey.create({ projectId: f.a.projectId, name: "member's" });
    await f.as(f.a.users.admin).apiKey.revoke({ projectId: f.a.projectId, keyId: memberKey.id });
    await f.as(f.a.users.member).apiKey.revoke({ projectId: f.a.projectId, keyId: adminKey.id }).catch(() => undefined);
    const keys = await f.as(f.a.users.viewer).apiKey.list({ projectId: f.a.projectId });
    assert.equal(keys.find((k) => k.id === memberKey.id)?.revoked, true);
    assert.equal(keys.find((k) => k.id === adminKey.id)?.revoked, false);
  });

  test("deleting the project makes its keys 401 at once", async () => {
    const project = await f.as(f.a.users.admin).project.create({ orgId: f.a.orgId, name: "Doomed", environment: "staging" });
    const created = await f.as(f.a.users.admin).apiKey.create({ projectId: project.id, name: "k" });
    assert.ok((await verifier.verify(bearer(created.key))).ok);
    await f.as(f.a.users.admin).project.delete({ projectId: project.id, confirmName: "Doomed" });
    const result = await verifier.verify(bearer(created.key));
    assert.ok(!result.ok && result.code === "invalid_api_key");
  });
});

describe("over real HTTP (the cloud server)", () => {
  let app: AppServer;
  let db: Db;
  let key: string;
  const password = "correct horse battery";
  before(async () => {
    app = await startAppServer();
    db = createPrismaClient(app.database.url, { max: 2 });
    const user = await db.user.create({ data: { email: "http@example.com", name: "Http", passwordHash: await hashPassword(password) } });
    const org = await db.organization.create({ data: { name: "HTTP Org", slug: "http-org", memberships: { create: { userId: user.id, role: "owner" } } } });
    const project = await db.project.create({ data: { orgId: org.id, name: "HTTP Project", slug: "http-project" } });
    const k = generateApiKey();
    await db.apiKey.create({ data: { projectId: project.id, name: "http", prefix: k.prefix, hash: k.hash } });
    key = k.key;
  });
  after(async () => {
    await db?.$disconnect();
    await app?.stop();
  });

  test("GET /api/v1/whoami answers the key's project and org, and 401 JSON for bad keys", async () => {
    const ok = await fetch(`${app.url}/api/v1/whoami`, { headers: { authorization: `Bearer ${key}` } });
    assert.equal(ok.status, 200, app.output());
    const body = (await ok.json()) as { project: { name: string }; org: { name: string } };
    assert.equal(body.project.name, "HTTP Project");
    assert.equal(body.org.name, "HTTP Org");
    for (const header of [undefined, "Bearer nope", `Bearer ${generateApiKey().key}`]) {
      const res = await fetch(`${app.url}/api/v1/whoami`, { headers: header ? { authorization: header } : {} });
      assert.equal(res.status, 401);
      const error = ((await res.json()) as { error: { code: string; message: string } }).error;
      assert.ok(error.code && error.message);
    }
  });

  test("password sign-in through Auth.js sets a session that the tRPC API accepts", async () => {
    const csrf = await fetch(`${app.url}/api/auth/csrf`);
    const cookies = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const post = (pw: string) =>
      fetch(`${app.url}/api/auth/callback/credentials`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookies.join("; ") },
        body: new URLSearchParams({ csrfToken, email: "HTTP@example.com", password: pw, callbackUrl: `${app.url}/` }),
      });

    const wrong = await post("wrong password!");
    assert.equal(wrong.status, 302);
    assert.match(wrong.headers.get("location") ?? "", /\/signin\?error=CredentialsSignin&code=invalid_credentials/);

    const signedIn = await post(password);
    assert.equal(signedIn.status, 302, app.output());
    const session = signedIn.headers.getSetCookie().find((c) => c.includes("session-token"));
    assert.ok(session, "session cookie");

    const anonymous = await fetch(`${app.url}/api/trpc/org.list`);
    assert.equal(anonymous.status, 401);
    const orgs = await fetch(`${app.url}/api/trpc/org.list`, { headers: { cookie: session.split(";")[0] ?? "" } });
    assert.equal(orgs.status, 200, await orgs.clone().text());
    const data = (await orgs.json()) as { result: { data: { json: { name: string; role: string }[] } } };
    assert.deepEqual(data.result.data.json.map((o) => [o.name, o.role]), [["HTTP Org", "owner"]]);
  });
});
