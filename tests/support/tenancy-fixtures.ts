/**
 * Two organizations with one user per role, a project, an API key and an invitation each —
 * the fixture for tenant-isolation and RBAC tests. Real PostgreSQL (createTestDatabase()).
 */
import { createPrismaClient, type Db } from "../../server/db/client";
import { createTRPCContext } from "../../server/trpc/init";
import { createCaller } from "../../server/trpc/root";
import { generateApiKey } from "../../server/keys/api-key";
import { newInvitationToken } from "../../server/auth/invitations";
import { createTestDatabase, type TestDatabase } from "./db";

export type Caller = ReturnType<typeof createCaller>;

export interface OrgFixture {
  orgId: string;
  orgName: string;
  projectId: string;
  projectName: string;
  keyId: string;
  tunnelId: string;
  key: string;
  invitationId: string;
  invitationToken: string;
  users: { owner: string; admin: string; member: string; viewer: string };
}

export interface TenancyFixture {
  database: TestDatabase;
  db: Db;
  a: OrgFixture;
  b: OrgFixture;
  /** A signed-in user with no organization. */
  loner: string;
  as(userId: string | null): Caller;
  close(): Promise<void>;
}

async function seedOrg(db: Db, label: string): Promise<OrgFixture> {
  const users = {} as OrgFixture["users"];
  for (const role of ["owner", "admin", "member", "viewer"] as const) {
    const u = await db.user.create({ data: { email: `${role}@${label}.test`, name: `${label} ${role}` } });
    users[role] = u.id;
  }
  const orgName = `Org ${label.toUpperCase()}`;
  const org = await db.organization.create({
    data: {
      name: orgName,
      slug: `org-${label}`,
      memberships: { create: (["owner", "admin", "member", "viewer"] as const).map((role) => ({ role, userId: users[role] })) },
    },
  });
  const projectName = `Project ${label.toUpperCase()}`;
  const project = await db.project.create({ data: { orgId: org.id, name: projectName, slug: `project-${label}` } });
  const k = generateApiKey();
  const key = await db.apiKey.create({ data: { projectId: project.id, name: "ci", prefix: k.prefix, hash: k.hash, createdById: users.admin } });
  const tunnel = await db.tunnel.create({ data: { orgId: org.id, projectId: project.id, name: `tunnel-${label}-${k.prefix.slice(4, 10).toLowerCase()}` } });
  const inv = newInvitationToken();
  const invitation = await db.invitation.create({
    data: { orgId: org.id, email: `invitee@${label}.test`, role: "member", tokenHash: inv.tokenHash, invitedById: users.owner, expiresAt: new Date(Date.now() + 86_400_000) },
  });
  return { orgId: org.id, orgName, projectId: project.id, projectName, keyId: key.id, tunnelId: tunnel.id, key: k.key, invitationId: invitation.id, invitationToken: inv.token, users };
}

export async function createTenancyFixture(): Promise<TenancyFixture> {
  const database = await createTestDatabase();
  process.env.DATABASE_URL ??= database.url;
  const db = createPrismaClient(database.url, { max: 4 });
  const a = await seedOrg(db, "a");
  const b = await seedOrg(db, "b");
  const loner = (await db.user.create({ data: { email: "loner@c.test", name: "Loner" } })).id;
  return {
    database,
    db,
    a,
    b,
    loner,
    as: (userId) => createCaller(createTRPCContext({ db, session: userId ? { user: { id: userId } } : null })),
    close: async () => {
      await db.$disconnect();
      await database.drop();
    },
  };
}

/** The tRPC error code of a rejected call, or "OK" when it resolved. */
export async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return "OK";
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") return code;
    throw e;
  }
}
