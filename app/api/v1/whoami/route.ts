/**
 * GET /api/v1/whoami — which project and organization an API key belongs to.
 * The proxy-agent and the tunnel call it to check a key before using it.
 */
import { withApiKey } from "@/server/keys";

export const dynamic = "force-dynamic";

export const GET = withApiKey(async (_request, { key }) =>
  Response.json(
    {
      key: { id: key.id, name: key.name, prefix: key.prefix, scopes: key.scopes },
      project: { id: key.projectId, name: key.projectName },
      org: { id: key.orgId, name: key.orgName },
    },
    { headers: { "Cache-Control": "no-store" } },
  ),
);
