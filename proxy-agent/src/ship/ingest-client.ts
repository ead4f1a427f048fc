/**
 * One POST of one batch to the cloud's ingestion API, classified into what the shipper must do
 * next. Keep-alive connection, gzip body, a hard timeout; never throws.
 */
import { gzip } from "node:zlib";
import { promisify } from "node:util";
import { Agent, request } from "undici";
import { retryAfterMs } from "./backoff";
import { ApiErrorSchema, IngestResponseSchema, type IngestBatch, type IngestResponse } from "../wire";

const gzipAsync = promisify(gzip);

export type IngestOutcome =
  | { kind: "ok"; response: IngestResponse }
  /** Try again later: network failure, timeout, 429, 5xx. */
  | { kind: "retry"; status: number | null; message: string; retryAfterMs?: number }
  /** The body is over the cloud's limit: send fewer records per batch. */
  | { kind: "too_large"; message: string }
  /** Retrying the same request cannot succeed (bad key, forbidden, rejected batch). */
  | { kind: "permanent"; status: number; code: string; message: string };

export interface IngestClientOptions {
  cloudUrl: string;
  apiKey: string;
  userAgent: string;
  timeoutMs?: number;
}

export class IngestClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(private readonly o: IngestClientOptions) {
    this.url = new URL("/api/v1/ingest", o.cloudUrl);
    this.agent = new Agent({ connections: 1, keepAliveTimeout: 30_000, headersTimeout: o.timeoutMs ?? 30_000, bodyTimeout: o.timeoutMs ?? 30_000 });
  }

  async send(batch: IngestBatch): Promise<IngestOutcome> {
    let body: Buffer;
    try {
      body = await gzipAsync(JSON.stringify(batch));
    } catch (e) {
      return { kind: "permanent", status: 0, code: "encode_failed", message: `could not encode the batch: ${(e as Error).message}` };
    }
    let status: number;
    let text: string;
    let retryAfter: string | undefined;
    try {
      const res = await request(this.url, {
        method: "POST",
        dispatcher: this.agent,
        headers: {
          authorization: `Bearer ${this.o.apiKey}`,
          "content-type": "application/json",
          "content-encoding": "gzip",
          "user-agent": this.o.userAgent,
        },
        body,
      });
      status = res.statusCode;
      const ra = res.headers["retry-after"];
      retryAfter = Array.isArray(ra) ? ra[0] : ra;
      text = await res.body.text();
    } catch (e) {
      return { kind: "retry", status: null, message: `cannot reach ${this.url.origin}: ${describeNetworkError(e)}` };
    }
    if (status === 200) {
      const parsed = IngestResponseSchema.safeParse(safeJson(text));
      if (parsed.success) return { kind: "ok", response: parsed.data };
      return { kind: "retry", status, message: `unexpected answer from ${this.url.origin} (is --cloud-url a Tapline cloud?)` };
    }
    const err = ApiErrorSchema.safeParse(safeJson(text));
    const code = err.success ? err.data.error.code : `http_${status}`;
    const detail = err.success ? err.data.error.message + firstIssue(err.data.error.issues) : text.slice(0, 200) || `HTTP ${status}`;
    if (status === 413) return { kind: "too_large", message: detail };
    if (status === 429 || status >= 500 || status === 408) {
      return { kind: "retry", status, message: `${code}: ${detail}`, retryAfterMs: retryAfterMs(retryAfter) };
    }
    return { kind: "permanent", status, code, message: detail };
  }

  async close(): Promise<void> {
    await this.agent.close().catch(() => {});
  }
}

function firstIssue(issues: { path: string; message: string }[] | undefined): string {
  const i = issues?.[0];
  return i ? ` (first problem: ${i.path}: ${i.message})` : "";
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeNetworkError(e: unknown): string {
  const err = e as { code?: string; cause?: { code?: string }; message?: string };
  return err.code ?? err.cause?.code ?? err.message ?? String(e);
}
