import { respondToIngest } from "@/server/ingest";

export const dynamic = "force-dynamic";

/**
 * The proxy-agent's records and schema snapshots. Contract: docs/ingestion.md. `npm start` serves
 * this path from node:http before Next.js (server/http/node-ingest.ts); this route answers it under
 * `next dev` and a bare `next start`, with the same handler.
 */
export async function POST(request: Request): Promise<Response> {
  return respondToIngest(request);
}
