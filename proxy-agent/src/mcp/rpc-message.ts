import type { MessageCapture } from "./message-capture";

/** The few fields of a JSON-RPC message a record needs; nothing else is read. */
export type RpcMessage =
  | { kind: "request"; id: string; method: string; params: Record<string, unknown> | undefined; bytes: number }
  | { kind: "notification"; method: string; params: Record<string, unknown> | undefined; bytes: number }
  | {
      kind: "response";
      /** null when the responder could not read the request's id (`"id": null`). */
      id: string | null;
      result: Record<string, unknown> | undefined;
      error: { code: number | null; message: string | null; data?: unknown } | undefined;
      bytes: number;
    };

export type ReadResult = { ok: true; messages: RpcMessage[] } | { ok: false; reason: string };

/**
 * Reads one captured message (a single JSON-RPC object or a batch array). Oversized captures
 * are sniffed for their id and method rather than parsed. Values that are valid JSON but not
 * JSON-RPC are skipped (they are someone else's traffic, not a tap failure).
 */
export function readCapturedMessages(capture: MessageCapture): ReadResult {
  const text = capture.text();
  if (text === null) {
    const sniffed = sniffOversized(capture);
    return sniffed === null ? { ok: false, reason: "oversized message without a readable id" } : { ok: true, messages: [sniffed] };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, reason: `invalid JSON: ${(err as Error).message}` };
  }
  if (Array.isArray(value)) {
    const messages: RpcMessage[] = [];
    for (const item of value) {
      // Batches are rare (2025-03-26 only): re-serialising an element for its size is acceptable there.
      const message = toRpcMessage(item, Buffer.byteLength(JSON.stringify(item) ?? ""));
      if (message !== null) messages.push(message);
    }
    return { ok: true, messages };
  }
  const message = toRpcMessage(value, capture.bytes);
  return { ok: true, messages: message === null ? [] : [message] };
}

export function toRpcMessage(value: unknown, bytes: number): RpcMessage | null {
  if (!isObject(value)) return null;
  const method = value.method;
  const id = value.id;
  if (typeof method === "string") {
    const params = isObject(value.params) ? value.params : undefined;
    if (id === undefined || id === null) return { kind: "notification", method, params, bytes };
    return { kind: "request", id: rpcIdKey(id), method, params, bytes };
  }
  if (!("result" in value) && !("error" in value)) return null;
  return {
    kind: "response",
    id: id === undefined || id === null ? null : rpcIdKey(id),
    result: isObject(value.result) ? value.result : undefined,
    error: isObject(value.error) ? readError(value.error) : undefined,
    bytes,
  };
}

/** A JSON-RPC id as the record stores it: the JSON text of the id (`7`, `"abc"`). */
export function rpcIdKey(id: unknown): string {
  return typeof id === "number" ? String(id) : JSON.stringify(id);
}

function readError(error: Record<string, unknown>): { code: number | null; message: string | null; data?: unknown } {
  return {
    code: typeof error.code === "number" && Number.isInteger(error.code) ? error.code : null,
    message: typeof error.message === "string" ? error.message : null,
    data: error.data,
  };
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Sniffing only trusts top-level positions: `{"jsonrpc":"2.0","id":…` at the start, or `"id":…}` at the very end
// (the TS SDK serialises requests and responses with the id last).
const HEAD_ID = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?(?:"method"\s*:\s*"(?:[^"\\]|\\.)*"\s*,\s*)?"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.){0,512}")/;
const TAIL_ID = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.){0,512}")\s*\}\s*$/;
const HEAD_METHOD = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?(?:"id"\s*:\s*(?:-?\d+|"(?:[^"\\]|\\.)*")\s*,\s*)?"method"\s*:\s*"((?:[^"\\]|\\.){1,512})"/;
const HEAD_ERROR_CODE = /^\s*\{[^{]*"error"\s*:\s*\{\s*"code"\s*:\s*(-?\d+)/;

/** Best effort for messages too large to parse: enough to pair the call and name its method. */
function sniffOversized(capture: MessageCapture): RpcMessage | null {
  const { head, tail } = capture.ends();
  const idText = HEAD_ID.exec(head)?.[1] ?? TAIL_ID.exec(tail)?.[1];
  const method = HEAD_METHOD.exec(head)?.[1];
  if (method !== undefined) {
    if (idText === undefined) return { kind: "notification", method, params: undefined, bytes: capture.bytes };
    return { kind: "request", id: idText, method, params: undefined, bytes: capture.bytes };
  }
  if (idText === undefined) return null;
  const code = HEAD_ERROR_CODE.exec(head)?.[1];
  return {
    kind: "response",
    id: idText,
    result: code === undefined ? {} : undefined,
    error: code === undefined ? undefined : { code: Number(code), message: null },
    bytes: capture.bytes,
  };
}
