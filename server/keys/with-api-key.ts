import type { ApiKeyVerification, ApiKeyVerifier, VerifiedApiKey } from "./verify-api-key";

type Failure = Extract<ApiKeyVerification, { ok: false }>;

export function apiKeyErrorResponse(failure: Failure): Response {
  return Response.json(
    { error: { code: failure.code, message: failure.message } },
    { status: failure.status, headers: { "WWW-Authenticate": `Bearer realm="tapline", error="invalid_token"`, "Cache-Control": "no-store" } },
  );
}

export type ApiKeyHandler<C> = (request: Request, auth: { key: VerifiedApiKey }, context: C) => Response | Promise<Response>;

/** `withApiKey` against a given verifier (tests pass one bound to their database). */
export function withApiKeyFrom(verifier: () => ApiKeyVerifier) {
  return function withApiKey<C = unknown>(handler: ApiKeyHandler<C>) {
    return async (request: Request, context: C): Promise<Response> => {
      const result = await verifier().verify(request.headers.get("authorization"));
      if (!result.ok) return apiKeyErrorResponse(result);
      return handler(request, { key: result.key }, context);
    };
  };
}
