import { timingSafeEqual } from "node:crypto";
import type { ServerResponse } from "node:http";
import { jsonRpcErrorBody, PROXY_ERROR } from "./jsonrpc-error-body";

/** True when no token is configured or `authorization` is `Bearer <token>`. */
export function isAuthorized(authorization: string | undefined, expected: Buffer | null): boolean {
  if (expected === null) return true;
  if (authorization === undefined || !/^bearer /i.test(authorization)) return false;
  const given = Buffer.from(authorization.slice(7).trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function expectedBearer(token: string | undefined): Buffer | null {
  return token === undefined || token === "" ? null : Buffer.from(token);
}

/** The 401 answer's body and challenge, whichever server writes it. */
export const UNAUTHORIZED = {
  body: jsonRpcErrorBody(null, PROXY_ERROR.unauthorized, "Unauthorized: send Authorization: Bearer <token> (the proxy's --bearer-token)"),
  challenge: 'Bearer realm="tapline"',
};

export function rejectUnauthorized(res: ServerResponse): void {
  res.writeHead(401, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(UNAUTHORIZED.body),
    "www-authenticate": UNAUTHORIZED.challenge,
  });
  res.end(UNAUTHORIZED.body);
}
