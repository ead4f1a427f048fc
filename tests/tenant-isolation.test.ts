/**
 * Tenant isolation over EVERY tRPC procedure. The procedure list comes from appRouter itself, so
 * a new procedure fails this suite until it has an entry below — and the entry's calls prove it
 * checks membership and role:
 *   - as a member of org B with org A's ids          → FORBIDDEN or NOT_FOUND, and A is unchanged
 *   - as a viewer of org A, every mutation            → FORBIDDEN (exceptions listed with reasons)
 *   - signed out                                     → UNAUTHORIZED (public procedures listed explicitly)
 */
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { encodeErrorGroupKey } from "../server/analytics";
import { appRouter } from "../server/trpc/root";
import { createTenancyFixture, outcome, type OrgFixture, type TenancyFixture } from "./support/tenancy-fixtures";

type Scope =
  /** Touches one tenant's data, identified by ids in the input (org A's in these calls). */
  | { scope: "tenant"; input: (a: OrgFixture) => unknown; viewerMayCall?: string }
  /** Acts only on the caller's own account or memberships; there is no other tenant's id to pass. */
  | { scope: "self"; input: (a: OrgFixture) => unknown; why: string }
  /** Callable signed out. */
  | { scope: "public"; input: (a: OrgFixture) => unknown; why: string };

const PROCEDURES: Record<string, Scope> = {
  "org.list": { scope: "self", input: () => undefined, why: "lists the caller's own memberships" },
  "org.create": { scope: "self", input: () => ({ name: "Fresh org" }), why: "creates an org owned by the caller" },
  "org.get": { scope: "tenant", input: (a) => ({ orgId: a.orgId }) },
  "org.rename": { scope: "tenant", input: (a) => ({ orgId: a.orgId, name: "Hijacked" }) },
  "org.delete": { scope: "tenant", input: (a) => ({ orgId: a.orgId, confirmName: a.orgName }) },

  "member.list": { scope: "tenant", input: (a) => ({ orgId: a.orgId }) },
  "member.updateRole": { scope: "tenant", input: (a) => ({ orgId: a.orgId, userId: a.users.member, role: "admin" }) },
  "member.remove": { scope: "tenant", input: (a) => ({ orgId: a.orgId, userId: a.users.member }) },
  "member.leave": { scope: "tenant", input: (a) => ({ orgId: a.orgId }), viewerMayCall: "anyone but the last owner may leave an org they belong to" },
  "member.transferOwnership": { scope: "tenant", input: (a) => ({ orgId: a.orgId, userId: a.users.member }) },

  "invitation.list": { scope: "tenant", input: (a) => ({ orgId: a.orgId }) },
  "invitation.create": { scope: "tenant", input: (a) => ({ orgId: a.orgId, email: "intruder@evil.test", role: "admin" }) },
  "invitation.revoke": { scope: "tenant", input: (a) => ({ orgId: a.orgId, invitationId: a.invitationId }) },
  "invitation.preview": { scope: "public", input: (a) => ({ token: a.invitationToken }), why: "the accept page shows what a link offers before sign-in; the token is the secret" },
  "invitation.accept": { scope: "tenant", input: (a) => ({ token: a.invitationToken }) },

  "project.list": { scope: "tenant", input: (a) => ({ orgId: a.orgId }) },
  "project.get": { scope: "tenant", input: (a) => ({ projectId: a.projectId }) },
  "project.create": { scope: "tenant", input: (a) => ({ orgId: a.orgId, name: "Planted", environment: "production" }) },
  "project.update": { scope: "tenant", input: (a) => ({ projectId: a.projectId, name: "Renamed" }) },
  "project.delete": { scope: "tenant", input: (a) => ({ projectId: a.projectId, confirmName: a.projectName }) },

  "apiKey.list": { scope: "tenant", input: (a) => ({ projectId: a.projectId }) },
  "apiKey.create": { scope: "tenant", input: (a) => ({ projectId: a.projectId, name: "stolen" }) },
  "apiKey.revoke": { scope: "tenant", input: (a) => ({ projectId: a.projectId, keyId: a.keyId }) },

  "tunnel.list": { scope: "tenant", input: (a) => ({ projectId: a.projectId }) },
  "tunnel.revoke": { scope: "tenant", input: (a) => ({ projectId: a.projectId, tunnelId: a.tunnelId }) },
  "tunnel.restore": { scope: "tenant", input: (a) => ({ projectId: a.projectId, tunnelId: a.tunnelId }) },

  "analytics.overview": { scope: "tenant", input: (a) => ({ projectId: a.projectId, range: { preset: "24h" } }) },
  "analytics.tools": { scope: "tenant", input: (a) => ({ projectId: a.projectId, range: { preset: "24h" } }) },
  "analytics.tool": { scope: "tenant", input: (a) => ({ projectId: a.projectId, range: { preset: "24h" }, tool: "get_forecast" }) },
  "analytics.slowCalls": { scope: "tenant", input: (a) => ({ projectId: a.projectId, range: { preset: "24h" }, thresholdMs: 0 }) },
  "analytics.callDetail": { scope: "tenant", input: (a) => ({ projectId: a.projectId, range: { preset: "24h" }, id: "0193a0b0-0000-7000-8000-000000000000" }) },
  "analytics.errorGroups": { scope: "tenant", input: (a) => ({ projectId: a.projectId, range: { preset: "24h" } }) },
  "analytics.errorOccurrences": {
    scope: "tenant",
    input: (a) => ({
      projectId: a.projectId,
      range: { preset: "24h" },
      key: encodeErrorGroupKey({ method: "tools/call", target: "x", status: "tool_error", errorCode: null, errorGroup: "" }),
    }),
  },
  "analytics.sessions": { scope: "tenant", input: (a) => ({ projectId: a.projectId, range: { preset: "24h" } }) },
  "analytics.session": { scope: "tenant", input: (a) => ({ projectId: a.projectId, range: { preset: "24h" }, sessionId: "s-1" }) },
  "analytics.clients": { scope: "tenant", input: (a) => ({ projectId: a.projectId, range: { preset: "24h" } }) },
  "analytics.schema": { scope: "tenant", input: (a) => ({ projectId: a.projectId, range: { preset: "30d" } }) },
  "analytics.setHealthThresholds": { scope: "tenant", input: (a) => ({ projectId: a.projectId, thresholds: { failing: { errorRate: 0.01 } } }) },
  "analytics.organization": { scope: "tenant", input: (a) => ({ orgId: a.orgId, range: { preset: "24h" } }) },

  "account.get": { scope: "self", input: () => undefined, why: "the caller's own account" },
  "account.update": { scope: "self", input: () => ({ name: "New Name" }), why: "the caller's own account" },
  "account.changePassword": { scope: "self", input: () => ({ current: "", next: "a brand new password" }), why: "the caller's own account" },
};

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" | "subscription" } }>).map(
  ([path, p]) => ({ path, type: p._def.type }),
);

function call(f: TenancyFixture, userId: string | null, path: string, input: unknown): Promise<unknown> {
  const [router, name] = path.split(".") as [string, string];
  const caller = f.as(userId) as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>;
  const fn = caller[router]?.[name];
  assert.ok(fn, `no procedure ${path} on the caller`);
  return fn(input);
}

async function snapshotOrg(f: TenancyFixture, a: OrgFixture) {
  const [org, members, project, key, invitation, projects, tunnel] = await Promise.all([
    f.db.organization.findUnique({ where: { id: a.orgId }, select: { name: true } }),
    f.db.membership.findMany({ where: { orgId: a.orgId }, select: { userId: true, role: true }, orderBy: { userId: "asc" } }),
    f.db.project.findUnique({ where: { id: a.projectId }, select: { name: true, environment: true } }),
    f.db.apiKey.findUnique({ where: { id: a.keyId }, select: { revokedAt: true } }),
    f.db.invitation.findUnique({ where: { id: a.invitationId }, select: { revokedAt: true, acceptedAt: true } }),
    f.db.project.count({ where: { orgId: a.orgId } }),
    f.db.tunnel.findUnique({ where: { id: a.tunnelId }, select: { revokedAt: true, name: true } }),
  ]);
  const invitations = await f.db.invitation.count({ where: { orgId: a.orgId } });
  const keys = await f.db.apiKey.count({ where: { projectId: a.projectId } });
  return { org, members, project, key, invitation, projects, invitations, keys, tunnel };
}

describe("tenant isolation", () => {
  let f: TenancyFixture;
  before(async () => {
    f = await createTenancyFixture();
  });
  after(async () => {
    await f.close();
  });

  test("every procedure of appRouter has an entry in the isolation table (add one for a new procedure)", () => {
    const missing = procedures.filter((p) => !(p.path in PROCEDURES)).map((p) => p.path);
    assert.deepEqual(missing, [], `procedures without an isolation entry: ${missing.join(", ")}`);
    const stale = Object.keys(PROCEDURES).filter((path) => !procedures.some((p) => p.path === path));
    assert.deepEqual(stale, [], `entries for procedures that no longer exist: ${stale.join(", ")}`);
    assert.ok(procedures.length >= 26);
  });

  test("a member of org B calling with org A's ids gets FORBIDDEN or NOT_FOUND, for every tenant procedure, and A is unchanged", async () => {
    const before = await snapshotOrg(f, f.a);
    for (const { path } of procedures) {
      const entry = PROCEDURES[path];
      if (!entry || entry.scope !== "tenant") continue;
      for (const role of ["owner", "admin", "member", "viewer"] as const) {
        const result = await outcome(() => call(f, f.b.users[role], path, entry.input(f.a)));
        assert.ok(result === "FORBIDDEN" || result === "NOT_FOUND", `${path} as org B ${role} with org A's ids: ${result}`);
      }
      const lonely = await outcome(() => call(f, f.loner, path, entry.input(f.a)));
      assert.ok(lonely === "FORBIDDEN" || lonely === "NOT_FOUND", `${path} as a user with no org: ${lonely}`);
    }
    assert.deepEqual(await snapshotOrg(f, f.a), before);
  });

  test("a viewer of org A gets FORBIDDEN from every mutation (listed exceptions excepted), and A is unchanged", async () => {
    const before = await snapshotOrg(f, f.a);
    const viewer = f.a.users.viewer;
    for (const { path, type } of procedures) {
      const entry = PROCEDURES[path];
      if (type !== "mutation" || !entry || entry.scope !== "tenant") continue;
      const result = await outcome(() => call(f, viewer, path, entry.input(f.a)));
      if (entry.viewerMayCall) {
        assert.equal(result, "OK", `${path} as viewer should be allowed (${entry.viewerMayCall})`);
        await f.db.membership.upsert({
          where: { orgId_userId: { orgId: f.a.orgId, userId: viewer } },
          create: { orgId: f.a.orgId, userId: viewer, role: "viewer" },
          update: {},
        });
      } else {
        assert.equal(result, "FORBIDDEN", `${path} as viewer of the org: ${result}`);
      }
    }
    assert.deepEqual(await snapshotOrg(f, f.a), before);
  });

  test("a viewer of org A can read every tenant query", async () => {
    for (const { path, type } of procedures) {
      const entry = PROCEDURES[path];
      if (type !== "query" || !entry || entry.scope !== "tenant") continue;
      assert.equal(await outcome(() => call(f, f.a.users.viewer, path, entry.input(f.a))), "OK", path);
    }
  });

  test("signed out, every procedure but the listed public ones answers UNAUTHORIZED", async () => {
    for (const { path } of procedures) {
      const entry = PROCEDURES[path];
      assert.ok(entry, path);
      const result = await outcome(() => call(f, null, path, entry.input(f.a)));
      if (entry.scope === "public") assert.equal(result, "OK", `${path} is public (${entry.why})`);
      else assert.equal(result, "UNAUTHORIZED", `${path} signed out: ${result}`);
    }
  });

  test("lists never leak another tenant's rows", async () => {
    const orgs = (await f.as(f.b.users.owner).org.list()).map((o) => o.id);
    assert.deepEqual(orgs, [f.b.orgId]);
    const projects = await f.as(f.b.users.viewer).project.list({ orgId: f.b.orgId });
    assert.deepEqual(projects.map((p) => p.id), [f.b.projectId]);
    const keys = await f.as(f.b.users.viewer).apiKey.list({ projectId: f.b.projectId });
    assert.deepEqual(keys.map((k) => k.id), [f.b.keyId]);
    const members = await f.as(f.b.users.viewer).member.list({ orgId: f.b.orgId });
    assert.deepEqual(members.map((m) => m.userId).sort(), Object.values(f.b.users).sort());
  });
});
