/**
 * Legacy HTTP+SSE (2024-11-05): the server's first SSE event is `event: endpoint` whose data is the
 * URL the client must POST to. It is rewritten to an absolute path on the proxy, resolved against
 * the upstream SSE URL: absolute URLs naming the upstream origin would bypass the proxy, and
 * relative ones (`messages?…`) would resolve against the proxy's alias path instead of the upstream's.
 * SDK servers already send an absolute path (`/message?sessionId=…`), which passes unchanged.
 */
const ENDPOINT_EVENT = /(^|\n)event: ?endpoint\r?\ndata: ?([^\r\n]*)\r?\n\r?\n/;
/** The endpoint event comes first; if it has not shown up in this many bytes, stop looking. */
const MAX_SEEK_BYTES = 16 * 1024;

/** The session a legacy endpoint names: its `sessionId` query parameter, else the whole URL. */
export function legacySessionId(endpoint: string): string {
  const q = endpoint.indexOf("?");
  if (q !== -1) {
    const id = new URLSearchParams(endpoint.slice(q + 1)).get("sessionId");
    if (id !== null && id !== "") return id;
  }
  return endpoint;
}

/** Pathname of an endpoint URL, as the upstream resolves it. */
export function endpointPathname(endpoint: string, remoteUrl: string): string {
  return new URL(endpoint, remoteUrl).pathname;
}

/** The endpoint as a path on the proxy, when it points at the upstream origin; other origins are left alone. */
export function rewriteEndpoint(endpoint: string, remoteUrl: string): string {
  const url = new URL(endpoint, remoteUrl);
  return url.origin === new URL(remoteUrl).origin ? url.pathname + url.search : endpoint;
}

/**
 * Stream filter for a legacy SSE response: holds bytes back only until the endpoint event is
 * complete (the first event, sent at once), rewrites it, then passes every chunk through as is.
 */
export class EndpointEventRewriter {
  private held: Buffer[] = [];
  private heldBytes = 0;
  private passing = false;

  constructor(private readonly remoteUrl: string) {}

  /** The bytes to write to the client now (possibly none). */
  push(chunk: Buffer): Buffer | null {
    if (this.passing) return chunk;
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    const text = Buffer.concat(this.held).toString("utf8");
    const match = ENDPOINT_EVENT.exec(text);
    if (match === null) {
      if (this.heldBytes < MAX_SEEK_BYTES) return null;
      return this.release(text);
    }
    const original = match[2]!;
    const rewritten = rewriteEndpoint(original, this.remoteUrl);
    if (rewritten === original) return this.release(text);
    const dataStart = match.index + match[1]!.length + match[0].slice(match[1]!.length).indexOf(original);
    return this.release(text.slice(0, dataStart) + rewritten + text.slice(dataStart + original.length));
  }

  /** Bytes still held when the upstream stream ends. */
  flush(): Buffer | null {
    if (this.passing || this.heldBytes === 0) return null;
    return this.release(Buffer.concat(this.held).toString("utf8"));
  }

  private release(text: string): Buffer {
    this.passing = true;
    this.held = [];
    return Buffer.from(text, "utf8");
  }
}
