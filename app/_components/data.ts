/**
 * Server-side data for pages (server components only): the session, the caller's organizations
 * and projects, looked up by the slugs in the URL. Each is cached per request, so a layout and
 * its page share one query.
 */
import { TRPCError } from "@trpc/server";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/server/auth/auth";
import { serverApi } from "@/server/trpc/server";

export const SIGN_IN_PATH = "/signin";

export function signInUrl(callbackPath: string): string {
  return `${SIGN_IN_PATH}?callbackUrl=${encodeURIComponent(callbackPath)}`;
}

/** The signed-in user, or a redirect to sign-in that comes back to `callbackPath`. */
export const requireUser = cache(async (callbackPath: string) => {
  const session = await auth();
  if (!session?.user?.id) redirect(signInUrl(callbackPath));
  return session.user;
});

/** Runs an API call; a lapsed session sends the user to sign-in, a missing or hidden thing is a 404. */
export async function call<T>(fn: () => Promise<T>, callbackPath = "/"): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof TRPCError) {
      if (e.code === "UNAUTHORIZED") redirect(signInUrl(callbackPath));
      if (e.code === "NOT_FOUND") notFound();
    }
    throw e;
  }
}

export const listOrgs = cache(async () => call(async () => (await serverApi()).org.list()));

/** The organization named by the URL's `[org]` slug, among the caller's own (404 otherwise). */
export const orgBySlug = cache(async (slug: string) => {
  const orgs = await listOrgs();
  const org = orgs.find((o) => o.slug === slug);
  if (!org) notFound();
  return org;
});

export const listProjects = cache(async (orgId: string) => call(async () => (await serverApi()).project.list({ orgId })));

/** The project named by `[org]/[project]`. */
export const projectBySlug = cache(async (orgSlug: string, projectSlug: string) => {
  const org = await orgBySlug(orgSlug);
  const projects = await listProjects(org.id);
  const project = projects.find((p) => p.slug === projectSlug);
  if (!project) notFound();
  return { org, project };
});
