/** JSON-RPC codes the proxy itself answers with (the SDK's generic server error range). */
export const PROXY_ERROR = {
  /** The upstream server could not be reached or failed before answering. */
  upstreamUnavailable: -32000,
  /** The client did not present the proxy's bearer token. */
  unauthorized: -32001,
} as const;

/**
 * A JSON-RPC error response the proxy writes itself. `rpcId` is the request id as JSON text
 * (`7`, `"abc"`, as the tap keys it), or null when the request had none or was unreadable.
 */
export function jsonRpcErrorBody(rpcId: string | null, code: number, message: string): string {
  return `{"jsonrpc":"2.0","id":${rpcId ?? "null"},"error":{"code":${code},"message":${JSON.stringify(message)}}}`;
}
