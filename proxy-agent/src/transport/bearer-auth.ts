import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { jsonRpcErrorBody, PROXY_ERROR } from "./jsonrpc-error-body";

/** True when no token is configured or the request carries `Authorization: Bearer <token>`. */
export function isAuthorized(req: IncomingMessage, expected: Buffer | null): boolean {
  if (expected === null) return true;
  const header = req.headers.authorization;
  if (header === undefined || !/^bearer /i.test(header)) return false;
  const given = Buffer.from(header.slice(7).trim());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function expectedBearer(token: string | undefined): Buffer | null {
  return token === undefined || token === "" ? null : Buffer.from(token);
}

export function rejectUnauthorized(res: ServerResponse): void {
  const body = jsonRpcErrorBody(null, PROXY_ERROR.unauthorized, "Unauthorized: send Authorization: Bearer <token> (the proxy's --bearer-token)");
  res.writeHead(401, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
    "www-authenticate": 'Bearer realm="tapline"',
  });
  res.end(body);
}
