import { withApiKey } from "@/server/keys";

export const dynamic = "force-dynamic";

/** The relay asks who an agent's API key belongs to before it accepts the tunnel. */
export const POST = withApiKey(async (_request, { key }) => {
  if (!key.scopes.includes("tunnel")) {
    return Response.json({ error: { code: "forbidden", message: "this API key does not have the tunnel scope" } }, { status: 403 });
  }
  return Response.json({ orgId: key.orgId, projectId: key.projectId, keyId: key.id });
});
