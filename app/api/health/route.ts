import { db } from "@/server/db/client";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for `npm start`, load balancers and uptime checks. */
export async function GET() {
  try {
    await db().$queryRaw`SELECT 1`;
    return Response.json({ status: "ok" });
  } catch {
    return Response.json({ status: "error", error: { code: "database_unreachable", message: "the database did not answer" } }, { status: 503 });
  }
}
