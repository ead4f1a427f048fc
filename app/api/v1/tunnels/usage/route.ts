import { TunnelUsageReport } from "@tapline/tunnel-relay/usage-report";
import { pool } from "@/server/db/pool";
import { withApiKey } from "@/server/keys";
import { recordTunnelUsage } from "@/server/tunnels/record-tunnel-usage";

export const dynamic = "force-dynamic";

/** The relay reports what tunnel connections carried, with the agent's own key (see tunnel-relay usage-reporter.ts). */
export const POST = withApiKey(async (request, { key }) => {
  if (!key.scopes.includes("tunnel")) {
    return Response.json({ error: { code: "forbidden", message: "this API key does not have the tunnel scope" } }, { status: 403 });
  }
  const body = TunnelUsageReport.safeParse(await request.json().catch(() => null));
  if (!body.success) return Response.json({ error: { code: "invalid_body", message: body.error.issues[0]?.message ?? "invalid usage report" } }, { status: 400 });
  const result = await recordTunnelUsage(pool(), key, body.data.sessions);
  if (!result.ok) return Response.json({ error: { code: result.code, message: result.message } }, { status: result.status });
  return Response.json({ sessions: result.sessions });
});
