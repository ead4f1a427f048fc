/**
 * Creating organizations (from the API, and the first one on a user's first sign-in).
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client";

export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return slug || "org";
}

/** First URL segments the app itself uses: an organization with one of these slugs would be unreachable. */
export const RESERVED_ORG_SLUGS: ReadonlySet<string> = new Set(["account", "invite", "signin", "signup", "reset", "api", "settings", "new", "studio", "docs", "admin", "static", "public", "_next"]);
/** Sections under /[org]/[project]/ and /[org]/: a project with one of these slugs would be hidden. */
export const RESERVED_PROJECT_SLUGS: ReadonlySet<string> = new Set(["settings", "new", "members", "invitations", "billing", "overview", "tools", "slow", "errors", "sessions", "clients", "schema", "studio", "tunnels"]);

/** `base`, or `base-xxxx` when taken or reserved; `taken` checks one candidate. */
export async function uniqueSlug(base: string, taken: (slug: string) => Promise<boolean>, reserved: ReadonlySet<string> = RESERVED_ORG_SLUGS): Promise<string> {
  if (!reserved.has(base) && !(await taken(base))) return base;
  for (let i = 0; i < 5; i++) {
    const candidate = `${base}-${randomBytes(3).toString("hex")}`;
    if (!(await taken(candidate))) return candidate;
  }
  return `${base}-${randomBytes(8).toString("hex")}`;
}

export async function createOrganization(db: Db, ownerId: string, name: string) {
  const slug = await uniqueSlug(slugify(name), async (s) => (await db.organization.count({ where: { slug: s } })) > 0);
  return db.organization.create({
    data: { name, slug, memberships: { create: { userId: ownerId, role: "owner" } } },
    select: { id: true, name: true, slug: true, createdAt: true },
  });
}

export function personalOrgName(user: { name?: string | null; email?: string | null }): string {
  const who = user.name?.trim() || user.email?.split("@")[0] || "My";
  return who === "My" ? "My org" : `${who}'s org`;
}

/**
 * Give a user with no organization their own ("<Name>'s org", as owner). Called on every
 * sign-in; a no-op for users who already belong to an org (e.g. joined by invitation).
 * On a fresh install the first account therefore becomes owner of the first organization.
 */
export async function ensurePersonalOrg(db: Db, userId: string): Promise<{ id: string; created: boolean } | null> {
  const existing = await db.membership.findFirst({ where: { userId }, select: { orgId: true } });
  if (existing) return { id: existing.orgId, created: false };
  const user = await db.user.findUnique({ where: { id: userId }, select: { name: true, email: true } });
  if (!user) return null;
  const org = await createOrganization(db, userId, personalOrgName(user));
  return { id: org.id, created: true };
}
