import type { Role } from "./api-types";

// What the UI offers per role; the API enforces the same rules (server/auth/rbac.ts) and is the authority.
export const canManageProjects = (role: Role) => role === "owner" || role === "admin";
export const canCreateKeys = (role: Role) => role !== "viewer";
export const canRevokeAnyKey = (role: Role) => role === "owner" || role === "admin";
export const canManageMembers = (role: Role) => role === "owner" || role === "admin";
export const canManageInvitations = (role: Role) => role === "owner" || role === "admin";
export const canRenameOrg = (role: Role) => role === "owner" || role === "admin";
export const isOwner = (role: Role) => role === "owner";

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: "Everything, including deleting the organization and managing owners",
  admin: "Manages projects, API keys, invitations and members below owner",
  member: "Sees everything; creates API keys and revokes their own",
  viewer: "Read-only access to projects and members",
};
