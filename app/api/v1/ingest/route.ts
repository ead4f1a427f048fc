import { handleIngest, ingestDeps } from "@/server/ingest";
import { apiError } from "@/server/ingest/handle-ingest";

export const dynamic = "force-dynamic";

/** The proxy-agent's records and schema snapshots. Contract: docs/ingestion.md. */
export async function POST(request: Request): Promise<Response> {
  try {
    return await handleIngest(request, ingestDeps());
  } catch (e) {
    // The batch was not (fully) acknowledged; the agent retries and de-duplication makes that safe.
    console.error(`ingest failed: ${(e as Error).message}`);
    return apiError(503, "ingest_unavailable", "the events could not be stored right now; retry later", {}, { "Retry-After": "5" });
  }
}
