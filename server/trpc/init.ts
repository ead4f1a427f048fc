/**
 * tRPC setup (create-t3-app shape): context `{ db, session, headers }`, superjson, and the
 * procedure types every router builds on:
 *
 *   publicProcedure   anyone
 *   protectedProcedure signed in (ctx.session.user narrowed)
 *   orgProcedure      input has `orgId`; the caller's membership is resolved once into
 *                     ctx.org / ctx.role; NOT_FOUND when not a member (never reveals existence)
 *   projectProcedure  input has `projectId`; resolves project → org → membership the same way
 *
 * Authorization beyond membership: `assertCan(ctx, action)` from server/auth/rbac.ts.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { Db } from "../db/client";
import type { Role } from "../auth/rbac";

export interface SessionUser {
  id: string;
  email?: string | null;
  name?: string | null;
}

export interface AppSession {
  user: SessionUser;
  expires?: string;
}

export interface TRPCContext {
  db: Db;
  session: AppSession | null;
  headers: Headers;
}

export function createTRPCContext(opts: { db: Db; session: AppSession | null; headers?: Headers }): TRPCContext {
  return { db: opts.db, session: opts.session, headers: opts.headers ?? new Headers() };
}

function zodMessage(error: ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "Invalid input.";
  const field = issue.path.join(".");
  return field ? `${field}: ${issue.message}` : issue.message;
}

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    return {
      ...shape,
      message: zodError ? zodMessage(zodError) : shape.message,
      data: { ...shape.data, zodError: zodError ? z.flattenError(zodError) : null },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;
export const middleware = t.middleware;

/** Input errors read "field: what is wrong" for server-side callers too (not zod's JSON dump). */
const readableInputErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof ZodError) result.error.message = zodMessage(result.error.cause);
  return result;
});

export const publicProcedure = t.procedure.use(readableInputErrors);

export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session?.user?.id) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "You are not signed in. Sign in and try again." });
  }
  return next({ ctx: { ...ctx, session: { ...ctx.session, user: ctx.session.user } } });
});

export const id = (what: string) => z.string({ error: `${what} is required` }).trim().min(1, `${what} is required`).max(64, `${what} is too long`);

export const orgProcedure = protectedProcedure.input(z.object({ orgId: id("orgId") })).use(async ({ ctx, input, next }) => {
  const membership = await ctx.db.membership.findUnique({
    where: { orgId_userId: { orgId: input.orgId, userId: ctx.session.user.id } },
    select: { role: true, org: { select: { id: true, name: true, slug: true, createdAt: true } } },
  });
  if (!membership) throw new TRPCError({ code: "NOT_FOUND", message: "Organization not found." });
  return next({ ctx: { org: membership.org, role: membership.role as Role } });
});

export const projectProcedure = protectedProcedure.input(z.object({ projectId: id("projectId") })).use(async ({ ctx, input, next }) => {
  const project = await ctx.db.project.findUnique({
    where: { id: input.projectId },
    select: {
      id: true,
      orgId: true,
      name: true,
      slug: true,
      environment: true,
      firstEventAt: true,
      createdAt: true,
      updatedAt: true,
      org: {
        select: {
          id: true,
          name: true,
          slug: true,
          createdAt: true,
          memberships: { where: { userId: ctx.session.user.id }, select: { role: true } },
        },
      },
    },
  });
  const role = project?.org.memberships[0]?.role;
  if (!project || !role) throw new TRPCError({ code: "NOT_FOUND", message: "Project not found." });
  const { org, ...rest } = project;
  return next({ ctx: { project: rest, org: { id: org.id, name: org.name, slug: org.slug, createdAt: org.createdAt }, role: role as Role } });
});
