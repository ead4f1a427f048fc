/**
 * The request context for Next.js (route handler and server components): the signed-in
 * session from Auth.js and the process-wide database.
 */
import { headers as nextHeaders } from "next/headers";
import { auth } from "../auth/auth";
import { db } from "../db/client";
import { createTRPCContext, type AppSession, type TRPCContext } from "./init";

export async function sessionFromAuth(): Promise<AppSession | null> {
  const session = await auth();
  const id = session?.user?.id;
  if (!id) return null;
  return { user: { id, email: session.user.email ?? null, name: session.user.name ?? null }, expires: session.expires };
}

export async function createContext(opts?: { headers?: Headers }): Promise<TRPCContext> {
  const headers = opts?.headers ?? new Headers(await nextHeaders());
  return createTRPCContext({ db: db(), session: await sessionFromAuth(), headers });
}
