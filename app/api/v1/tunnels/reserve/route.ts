import { z } from "zod";
import { db } from "@/server/db/client";
import { withApiKey } from "@/server/keys";
import { reserveTunnelName } from "@/server/tunnels/reserve-tunnel-name";

export const dynamic = "force-dynamic";

const Body = z.object({ name: z.string().min(1).max(63) });

/** Reserve a tunnel name for the key's organization: 200, or 409 when another organization owns it. */
export const POST = withApiKey(async (request, { key }) => {
  if (!key.scopes.includes("tunnel")) {
    return Response.json({ error: { code: "forbidden", message: "this API key does not have the tunnel scope" } }, { status: 403 });
  }
  const body = Body.safeParse(await request.json().catch(() => null));
  if (!body.success) return Response.json({ error: { code: "invalid_body", message: 'expected {"name": "…"}' } }, { status: 400 });
  const result = await reserveTunnelName(db(), key, body.data.name);
  if (!result.ok) return Response.json({ error: { code: result.code, message: result.message } }, { status: result.status });
  return Response.json({ name: body.data.name });
});
