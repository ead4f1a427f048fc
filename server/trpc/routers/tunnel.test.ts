import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { TRPCError } from "@trpc/server";
import { createTenancyFixture, type TenancyFixture } from "../../../tests/support/tenancy-fixtures";

let f: TenancyFixture;
before(async () => {
  f = await createTenancyFixture();
});
after(async () => {
  await f.close();
});

test("a project's tunnels are listed with their public URL; admins revoke and restore them, members may not", async () => {
  const a = f.a;
  const listed = await f.as(a.users.viewer).tunnel.list({ projectId: a.projectId });
  assert.equal(listed.length, 1);
  assert.equal(listed[0]!.id, a.tunnelId);
  assert.equal(listed[0]!.revokedAt, null);

  await assert.rejects(f.as(a.users.member).tunnel.revoke({ projectId: a.projectId, tunnelId: a.tunnelId }), (e) => e instanceof TRPCError && e.code === "FORBIDDEN");
  const revoked = await f.as(a.users.admin).tunnel.revoke({ projectId: a.projectId, tunnelId: a.tunnelId });
  assert.ok(revoked.revokedAt instanceof Date);
  const row = await f.db.tunnel.findUniqueOrThrow({ where: { id: a.tunnelId } });
  assert.ok(row.revokedAt, "stored, so the relay refuses the name (name_revoked)");

  await f.as(a.users.admin).tunnel.restore({ projectId: a.projectId, tunnelId: a.tunnelId });
  assert.equal((await f.db.tunnel.findUniqueOrThrow({ where: { id: a.tunnelId } })).revokedAt, null);
});
