/** A JSON-RPC response body as tests read it from fetch. */
export interface RpcAnswer<Result = unknown> {
  jsonrpc: string;
  id: unknown;
  result?: Result;
  error?: { code: number; message: string };
}
