import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTenancyFixture, type TenancyFixture } from "../../../tests/support/tenancy-fixtures";
import { hashPassword, verifyPassword } from "../../auth/password";

describe("account and project procedures", () => {
  let f: TenancyFixture;
  before(async () => {
    f = await createTenancyFixture();
  });
  after(async () => {
    await f.close();
  });

  test("account: read and rename; no password fields leak", async () => {
    const me = f.as(f.a.users.member);
    const account = await me.account.get();
    assert.equal(account.email, "member@a.test");
    assert.equal(account.hasPassword, false);
    assert.ok(!("passwordHash" in account));
    assert.equal((await me.account.update({ name: "  Mia  " })).name, "Mia");
    await assert.rejects(me.account.update({ name: "   " }), { code: "BAD_REQUEST", message: /name: Name is required/ });
  });

  test("changePassword: first password without current; then current required, wrong ones rate-limited", async () => {
    const userId = f.a.users.viewer;
    const me = f.as(userId);
    await assert.rejects(me.account.changePassword({ current: "", next: "short" }), { code: "BAD_REQUEST", message: /at least 10 characters/ });
    assert.deepEqual(await me.account.changePassword({ current: "", next: "first password 1" }), { ok: true });
    await assert.rejects(me.account.changePassword({ current: "", next: "second password 2" }), { code: "BAD_REQUEST", message: "Current password is wrong." });
    assert.deepEqual(await me.account.changePassword({ current: "first password 1", next: "second password 2" }), { ok: true });
    const stored = (await f.db.user.findUniqueOrThrow({ where: { id: userId } })).passwordHash ?? "";
    assert.equal(await verifyPassword("second password 2", stored), true);

    await f.db.user.update({ where: { id: f.b.users.viewer }, data: { passwordHash: await hashPassword("bee password 1") } });
    const other = f.as(f.b.users.viewer);
    for (let i = 0; i < 5; i++) await assert.rejects(other.account.changePassword({ current: `guess ${i} guess`, next: "stolen password" }), { code: "BAD_REQUEST" });
    await assert.rejects(other.account.changePassword({ current: "bee password 1", next: "stolen password" }), { code: "TOO_MANY_REQUESTS" });
  });

  test("projects: admins create (unique slugs, validated environment), update and delete with the name repeated", async () => {
    const admin = f.as(f.a.users.admin);
    const p1 = await admin.project.create({ orgId: f.a.orgId, name: "Weather MCP", environment: "staging" });
    const p2 = await admin.project.create({ orgId: f.a.orgId, name: "Weather MCP", environment: "production" });
    assert.equal(p1.slug, "weather-mcp");
    assert.match(p2.slug, /^weather-mcp-[0-9a-f]{6}$/);
    await assert.rejects(admin.project.create({ orgId: f.a.orgId, name: "X", environment: "prod env!" }), { code: "BAD_REQUEST", message: /environment: Environment may contain/ });
    await assert.rejects(admin.project.update({ projectId: p1.id }), { code: "BAD_REQUEST", message: /Nothing to update/ });
    assert.equal((await admin.project.update({ projectId: p1.id, environment: "dev" })).environment, "dev");
    const got = await f.as(f.a.users.viewer).project.get({ projectId: p1.id });
    assert.equal(got.org.id, f.a.orgId);
    assert.equal(got.role, "viewer");
    await assert.rejects(admin.project.delete({ projectId: p2.id, confirmName: "weather mcp" }), { code: "BAD_REQUEST", message: /Type the project's name/ });
    await admin.project.delete({ projectId: p2.id, confirmName: "Weather MCP" });
    await assert.rejects(admin.project.get({ projectId: p2.id }), { code: "NOT_FOUND" });
    await assert.rejects(f.as(f.a.users.member).project.create({ orgId: f.a.orgId, name: "Y", environment: "production" }), { code: "FORBIDDEN", message: /member\) cannot manage projects/ });
  });
});
