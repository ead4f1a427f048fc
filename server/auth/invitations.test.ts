import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createTenancyFixture, type TenancyFixture } from "../../tests/support/tenancy-fixtures";
import { setMailer, type EmailMessage } from "../email/mailer";
import { hashToken } from "./invitations";

describe("invitations", () => {
  let f: TenancyFixture;
  const sent: EmailMessage[] = [];
  before(async () => {
    f = await createTenancyFixture();
    setMailer({ send: async (m) => void sent.push(m) });
  });
  after(async () => {
    setMailer(null);
    await f.close();
  });

  const tokenFrom = (url: string) => decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");

  test("create returns an accept URL with a 32-byte token stored only as SHA-256, valid 7 days, and emails it", async () => {
    const before = Date.now();
    const inv = await f.as(f.a.users.admin).invitation.create({ orgId: f.a.orgId, email: "  New.Person@Example.COM ", role: "member" });
    assert.equal(inv.email, "new.person@example.com");
    assert.match(inv.url, /\/invite\/[A-Za-z0-9_-]{43}$/);
    const token = tokenFrom(inv.url);
    assert.equal(Buffer.from(token, "base64url").length, 32);
    const row = await f.db.invitation.findUniqueOrThrow({ where: { id: inv.id } });
    assert.equal(row.tokenHash, hashToken(token));
    assert.ok(!JSON.stringify(row).includes(token));
    const days = (row.expiresAt.getTime() - before) / 86_400_000;
    assert.ok(days > 6.99 && days <= 7.01, `expires in ${days} days`);
    assert.equal(inv.emailed, true);
    assert.equal(sent.at(-1)?.to, "new.person@example.com");
    assert.ok(sent.at(-1)?.text.includes(inv.url));
  });

  test("preview is public and says what the link offers; accept needs the invited email (any case)", async () => {
    const inv = await f.as(f.a.users.owner).invitation.create({ orgId: f.a.orgId, email: "casey@example.com", role: "viewer" });
    const token = tokenFrom(inv.url);
    const preview = await f.as(null).invitation.preview({ token });
    assert.equal(preview.orgName, f.a.orgName);
    assert.equal(preview.role, "viewer");
    assert.equal(preview.inviter, "a owner");
    assert.equal(preview.expired, false);
    await assert.rejects(f.as(null).invitation.preview({ token: "nope" }), { code: "NOT_FOUND" });

    await assert.rejects(f.as(f.loner).invitation.accept({ token }), { code: "FORBIDDEN", message: /for casey@example.com/ });
    const casey = await f.db.user.create({ data: { email: "Casey@Example.com", name: "Casey" } });
    const joined = await f.as(casey.id).invitation.accept({ token });
    assert.deepEqual(joined, { orgId: f.a.orgId, orgName: f.a.orgName, role: "viewer" });
    assert.equal((await f.as(casey.id).org.list())[0]?.role, "viewer");
    await assert.rejects(f.as(casey.id).invitation.accept({ token }), { code: "PRECONDITION_FAILED", message: /already used/ });
    assert.equal((await f.as(null).invitation.preview({ token })).status, "accepted");
  });

  test("expired and revoked invitations cannot be accepted", async () => {
    const dana = await f.db.user.create({ data: { email: "dana@example.com" } });
    const expired = await f.as(f.a.users.admin).invitation.create({ orgId: f.a.orgId, email: "dana@example.com", role: "member" });
    await f.db.invitation.update({ where: { id: expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const token = tokenFrom(expired.url);
    assert.equal((await f.as(null).invitation.preview({ token })).expired, true);
    await assert.rejects(f.as(dana.id).invitation.accept({ token }), { code: "PRECONDITION_FAILED", message: /expired/ });

    const revoked = await f.as(f.a.users.admin).invitation.create({ orgId: f.a.orgId, email: "dana@example.com", role: "member" });
    await f.as(f.a.users.admin).invitation.revoke({ orgId: f.a.orgId, invitationId: revoked.id });
    await assert.rejects(f.as(dana.id).invitation.accept({ token: tokenFrom(revoked.url) }), { code: "PRECONDITION_FAILED", message: /revoked/ });
    assert.equal(await f.db.membership.count({ where: { userId: dana.id } }), 0);
    await assert.rejects(f.as(f.a.users.admin).invitation.revoke({ orgId: f.a.orgId, invitationId: revoked.id }), { code: "NOT_FOUND" });
  });

  test("a new invitation for the same email replaces the pending one; members cannot be invited twice", async () => {
    const first = await f.as(f.a.users.admin).invitation.create({ orgId: f.a.orgId, email: "eve@example.com", role: "member" });
    const second = await f.as(f.a.users.admin).invitation.create({ orgId: f.a.orgId, email: "EVE@example.com", role: "admin" });
    const list = await f.as(f.a.users.viewer).invitation.list({ orgId: f.a.orgId });
    assert.ok(list.some((i) => i.id === second.id));
    assert.ok(!list.some((i) => i.id === first.id));
    await assert.rejects(f.as(f.a.users.admin).invitation.create({ orgId: f.a.orgId, email: "member@a.test", role: "viewer" }), { code: "CONFLICT" });
    await assert.rejects(
      f.as(f.a.users.owner).invitation.create({ orgId: f.a.orgId, email: "x@example.com", role: "owner" as "admin" }),
      { code: "BAD_REQUEST", message: /role: Role must be admin, member or viewer/ },
    );
    await assert.rejects(f.as(f.a.users.admin).invitation.create({ orgId: f.a.orgId, email: "not-an-email", role: "member" }), { code: "BAD_REQUEST", message: /email/ });
  });
});
