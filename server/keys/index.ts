/**
 * Machine API authentication: the process-wide verifier and helpers for route handlers.
 *
 *   export const GET = withApiKey(async (request, { key }) => Response.json({ project: key.projectId }));
 */
import { db } from "../db/client";
import { ApiKeyVerifier, type ApiKeyVerification } from "./verify-api-key";
import { withApiKeyFrom } from "./with-api-key";

export * from "./api-key";
export { ApiKeyVerifier, parseAuthorization, CACHE_TTL_MS, type ApiKeyVerification, type VerifiedApiKey } from "./verify-api-key";
export { apiKeyErrorResponse, withApiKeyFrom, type ApiKeyHandler } from "./with-api-key";

const g = globalThis as { __taplineApiKeyVerifier?: ApiKeyVerifier };

export function apiKeyVerifier(): ApiKeyVerifier {
  g.__taplineApiKeyVerifier ??= new ApiKeyVerifier(db);
  return g.__taplineApiKeyVerifier;
}

/** Verify an `Authorization` header value with the process-wide verifier (and database). */
export function verifyApiKey(header: string | null): Promise<ApiKeyVerification> {
  return apiKeyVerifier().verify(header);
}

/** Run a route handler only with a valid API key; 401 JSON `{ error: { code, message } }` otherwise. */
export const withApiKey = withApiKeyFrom(apiKeyVerifier);

/** Replace the process-wide verifier (tests bind one to their own database). */
export function setApiKeyVerifier(verifier: ApiKeyVerifier): void {
  g.__taplineApiKeyVerifier = verifier;
}
