import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTenancyFixture, type TenancyFixture } from "../../../tests/support/tenancy-fixtures";

describe("members and the last-owner rule", () => {
  let f: TenancyFixture;
  before(async () => {
    f = await createTenancyFixture();
  });
  after(async () => {
    await f.close();
  });

  const role = async (orgId: string, userId: string) =>
    (await f.db.membership.findUnique({ where: { orgId_userId: { orgId, userId } } }))?.role ?? null;

  test("the last owner cannot leave, be demoted or be removed", async () => {
    const { orgId, users } = f.b;
    await assert.rejects(f.as(users.owner).member.leave({ orgId }), { code: "PRECONDITION_FAILED", message: /last owner/ });
    await assert.rejects(f.as(users.owner).member.updateRole({ orgId, userId: users.owner, role: "admin" }), { code: "PRECONDITION_FAILED", message: /at least one owner/ });
    await assert.rejects(f.as(users.owner).member.remove({ orgId, userId: users.owner }), { code: "PRECONDITION_FAILED" });
    assert.equal(await role(orgId, users.owner), "owner");
  });

  test("admins manage members below owner but cannot touch owners or make one", async () => {
    const { orgId, users } = f.b;
    assert.deepEqual(await f.as(users.admin).member.updateRole({ orgId, userId: users.viewer, role: "member" }), { userId: users.viewer, role: "member" });
    await f.as(users.admin).member.updateRole({ orgId, userId: users.viewer, role: "viewer" });
    await assert.rejects(f.as(users.admin).member.updateRole({ orgId, userId: users.owner, role: "viewer" }), { code: "FORBIDDEN" });
    await assert.rejects(f.as(users.admin).member.updateRole({ orgId, userId: users.member, role: "owner" }), { code: "FORBIDDEN" });
    await assert.rejects(f.as(users.admin).member.remove({ orgId, userId: users.owner }), { code: "FORBIDDEN" });
    await assert.rejects(f.as(users.admin).member.transferOwnership({ orgId, userId: users.admin }), { code: "FORBIDDEN" });
    await assert.rejects(f.as(users.member).member.remove({ orgId, userId: users.viewer }), { code: "FORBIDDEN" });
    await assert.rejects(f.as(users.admin).member.updateRole({ orgId, userId: f.a.users.member, role: "viewer" }), { code: "NOT_FOUND" });
    await assert.rejects(
      f.as(users.admin).member.updateRole({ orgId, userId: users.member, role: "superuser" as "admin" }),
      (e: { code: string; message: string }) => e.code === "BAD_REQUEST" && /role: Role must be one of/.test(e.message),
    );
  });

  test("with a second owner, the first may step down; ownership transfer swaps owner and admin", async () => {
    const { orgId, users } = f.b;
    await f.as(users.owner).member.updateRole({ orgId, userId: users.admin, role: "owner" });
    await f.as(users.owner).member.updateRole({ orgId, userId: users.owner, role: "admin" });
    assert.equal(await role(orgId, users.owner), "admin");
    // users.admin is now the only owner.
    await assert.rejects(f.as(users.admin).member.leave({ orgId }), { code: "PRECONDITION_FAILED" });
    await f.as(users.admin).member.transferOwnership({ orgId, userId: users.owner });
    assert.equal(await role(orgId, users.owner), "owner");
    assert.equal(await role(orgId, users.admin), "admin");
  });

  test("concurrent demotions of the last two owners cannot both succeed", async () => {
    const { orgId, users } = f.b;
    await f.as(users.owner).member.updateRole({ orgId, userId: users.admin, role: "owner" });
    const results = await Promise.allSettled([
      f.as(users.owner).member.updateRole({ orgId, userId: users.admin, role: "admin" }),
      f.as(users.admin).member.updateRole({ orgId, userId: users.owner, role: "admin" }),
    ]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    assert.equal(await f.db.membership.count({ where: { orgId, role: "owner" } }), 1);
    // Put users.owner back as the sole owner for the next tests.
    const owner = (await f.db.membership.findFirstOrThrow({ where: { orgId, role: "owner" } })).userId;
    if (owner !== users.owner) await f.as(owner).member.transferOwnership({ orgId, userId: users.owner });
  });

  test("a member may leave; the org disappears from their list", async () => {
    const { orgId, users } = f.b;
    await f.as(users.member).member.leave({ orgId });
    assert.deepEqual(await f.as(users.member).org.list(), []);
    await assert.rejects(f.as(users.member).org.get({ orgId }), { code: "NOT_FOUND" });
  });

  test("only the owner deletes the org, by repeating its name", async () => {
    const org = await f.as(f.loner).org.create({ name: "Throwaway" });
    assert.equal(org.role, "owner");
    await assert.rejects(f.as(f.loner).org.delete({ orgId: org.id, confirmName: "throwaway" }), { code: "BAD_REQUEST", message: /Type the organization's name/ });
    await f.db.membership.create({ data: { orgId: org.id, userId: f.a.users.admin, role: "admin" } });
    await assert.rejects(f.as(f.a.users.admin).org.delete({ orgId: org.id, confirmName: "Throwaway" }), { code: "FORBIDDEN" });
    await f.as(f.loner).org.delete({ orgId: org.id, confirmName: "Throwaway" });
    assert.equal(await f.db.organization.count({ where: { id: org.id } }), 0);
  });
});
