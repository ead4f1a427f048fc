/**
 * Who may do what in an organization: the one place roles map to actions.
 * Procedures ask `can(role, action)` / `assertCan(ctx, action)`; never compare roles elsewhere.
 *
 *   viewer  reads everything in the org (projects, key prefixes, members, invitations)
 *   member  viewer + creates API keys, and revokes the keys they created
 *           (so an engineer can connect their own MCP server without an admin)
 *   admin   member + manages projects, any API key, invitations, and members below owner
 *           (changes roles among admin/member/viewer, removes them); renames the org
 *   owner   everything, incl. making owners, transferring ownership and deleting the org
 *
 * The last owner can never leave, be removed or be demoted (enforced in the member router).
 */
import { TRPCError } from "@trpc/server";

export const ROLES = ["owner", "admin", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  "org:read",
  "org:rename",
  "org:delete",
  "member:read",
  "member:manage", // change roles / remove members whose role is below owner
  "member:manageOwners", // make, demote and remove owners; transfer ownership
  "invitation:read",
  "invitation:manage",
  "project:read",
  "project:manage",
  "apiKey:read",
  "apiKey:create",
  "apiKey:revokeOwn",
  "apiKey:revokeAny",
  "tunnel:read",
  "tunnel:manage", // revoke and restore tunnel names
] as const;
export type Action = (typeof ACTIONS)[number];

const viewer: Action[] = ["org:read", "member:read", "invitation:read", "project:read", "apiKey:read", "tunnel:read"];
const member: Action[] = [...viewer, "apiKey:create", "apiKey:revokeOwn"];
const admin: Action[] = [...member, "org:rename", "member:manage", "invitation:manage", "project:manage", "apiKey:revokeAny", "tunnel:manage"];
const owner: Action[] = [...ACTIONS];

export const ROLE_ACTIONS: Record<Role, ReadonlySet<Action>> = {
  owner: new Set(owner),
  admin: new Set(admin),
  member: new Set(member),
  viewer: new Set(viewer),
};

const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 };

export function can(role: Role, action: Action): boolean {
  return ROLE_ACTIONS[role].has(action);
}

/** True when `role` is at least `minimum` (owner > admin > member > viewer). */
export function atLeast(role: Role, minimum: Role): boolean {
  return RANK[role] >= RANK[minimum];
}

const ACTION_PHRASES: Record<Action, string> = {
  "org:read": "view this organization",
  "org:rename": "rename this organization",
  "org:delete": "delete this organization",
  "member:read": "view members",
  "member:manage": "manage members",
  "member:manageOwners": "manage owners",
  "invitation:read": "view invitations",
  "invitation:manage": "manage invitations",
  "project:read": "view projects",
  "project:manage": "manage projects",
  "apiKey:read": "view API keys",
  "apiKey:create": "create API keys",
  "apiKey:revokeOwn": "revoke API keys",
  "apiKey:revokeAny": "revoke other people's API keys",
  "tunnel:read": "view tunnels",
  "tunnel:manage": "revoke or restore tunnels",
};

export function forbidden(role: Role, action: Action): TRPCError {
  return new TRPCError({ code: "FORBIDDEN", message: `Your role (${role}) cannot ${ACTION_PHRASES[action]}. Ask an owner or admin of the organization.` });
}

/** Throw FORBIDDEN unless `ctx.role` allows `action`. */
export function assertCan(ctx: { role: Role }, action: Action): void {
  if (!can(ctx.role, action)) throw forbidden(ctx.role, action);
}

/** Throw FORBIDDEN unless `ctx.role` is at least `minimum`. */
export function requireRole(ctx: { role: Role }, minimum: Role): void {
  if (!atLeast(ctx.role, minimum)) {
    throw new TRPCError({ code: "FORBIDDEN", message: `This needs the ${minimum} role or higher; yours is ${ctx.role}.` });
  }
}
