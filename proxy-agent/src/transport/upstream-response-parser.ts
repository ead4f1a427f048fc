import { MessageHeaders } from "./message-headers";

/** Status line and headers of one upstream HTTP/1.1 response, as the relay and the pool need them. */
export interface ResponseHead {
  status: number;
  /** Header lines as received: flat [name, value, …], upstream spelling and order, values latin1. */
  rawHeaders: string[];
  /** `Content-Type` ("" when absent). */
  contentType: string;
  /** `Mcp-Session-Id`, when present. */
  sessionId: string | undefined;
  /** `Connection` (its token list says which other headers are hop-by-hop). */
  connection: string | undefined;
  /** How the upstream delimits the body: none at all (HEAD, 204, 304), Content-Length, chunked, or the connection closing. */
  framing: "none" | "length" | "chunked" | "close";
}

/** What the parser hands out, in order: one head (after any 1xx), body slices, then the end. */
export interface ResponseParserEvents {
  onHead(head: ResponseHead): void;
  /** A slice of the decoded body (a view into the received chunk: copy it to keep it). */
  onBody(slice: Buffer): void;
  onEnd(): void;
}

export class UpstreamProtocolError extends Error {
  readonly code = "UPSTREAM_PROTOCOL";
}

/** Longest response head accepted (node's own default for incoming heads is 16 KiB). */
const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_SIZE_LINE = 1024;
const CR = 13;
const LF = 10;
const HEAD_END = Buffer.from("\r\n\r\n");

const enum State {
  Head,
  /** Content-Length body: `remaining` bytes left. */
  Length,
  /** Body delimited by the connection closing. */
  UntilClose,
  ChunkSize,
  ChunkExtension,
  ChunkData,
  ChunkDataCr,
  ChunkDataLf,
  Trailer,
  Done,
}

/**
 * Incremental reader of one HTTP/1.1 response from the upstream: finds the head (skipping 1xx interim
 * responses), then undoes the body framing (Content-Length, chunked, or until close) without copying:
 * body slices are views of the chunks the socket delivered. One parser per response.
 */
export class UpstreamResponseParser {
  private state = State.Head;
  private headParts: Buffer[] = [];
  private headBytes = 0;
  private remaining = 0;
  private sizeLineBytes = 0;
  private sawSizeDigit = false;
  private trailerLineBytes = 0;
  /** Whether the connection may carry another request after this response. */
  keepAlive = true;
  /** `Keep-Alive: timeout=N` of the response, in ms (null when absent). */
  keepAliveHintMs: number | null = null;

  constructor(
    private readonly events: ResponseParserEvents,
    /** A HEAD request's response has no body whatever its headers say. */
    private readonly headRequest: boolean,
  ) {}

  /**
   * A decoder of a chunked body alone (a client's request body): same events without `onHead`, and
   * `push` returns where the body ended so the bytes after it (a pipelined request) stay the caller's.
   */
  static chunkedBody(events: ResponseParserEvents): UpstreamResponseParser {
    const parser = new UpstreamResponseParser(events, false);
    parser.state = State.ChunkSize;
    parser.resetChunkSize();
    return parser;
  }

  get done(): boolean {
    return this.state === State.Done;
  }

  /** Whether the head arrived (a failure after it is a failure mid-response). */
  get headSeen(): boolean {
    return this.state !== State.Head;
  }

  /**
   * Feeds bytes from the socket. Returns how many were consumed: fewer than `chunk.length` only when
   * the response ended inside the chunk (the rest is not part of it). Throws UpstreamProtocolError.
   */
  push(chunk: Buffer): number {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      switch (this.state) {
        case State.Head:
          i = this.readHead(chunk, i);
          break;
        case State.Length: {
          const take = Math.min(this.remaining, n - i);
          this.remaining -= take;
          const slice = i === 0 && take === n ? chunk : chunk.subarray(i, i + take);
          i += take;
          if (this.remaining === 0) this.state = State.Done;
          this.events.onBody(slice);
          if (this.state === State.Done) {
            this.events.onEnd();
            return i;
          }
          break;
        }
        case State.UntilClose:
          this.events.onBody(i === 0 ? chunk : chunk.subarray(i));
          return n;
        case State.ChunkSize:
          i = this.readChunkSize(chunk, i);
          break;
        case State.ChunkExtension: {
          const lf = chunk.indexOf(LF, i);
          this.sizeLineBytes += (lf === -1 ? n : lf) - i;
          if (this.sizeLineBytes > MAX_CHUNK_SIZE_LINE) throw new UpstreamProtocolError("chunk extension too long");
          if (lf === -1) return n;
          i = lf + 1;
          this.endSizeLine();
          break;
        }
        case State.ChunkData: {
          const take = Math.min(this.remaining, n - i);
          this.remaining -= take;
          const slice = chunk.subarray(i, i + take);
          i += take;
          if (this.remaining === 0) this.state = State.ChunkDataCr;
          this.events.onBody(slice);
          break;
        }
        case State.ChunkDataCr:
          if (chunk[i] === CR) {
            this.state = State.ChunkDataLf;
            i++;
            break;
          }
          this.expectLf(chunk[i]!);
          i++;
          break;
        case State.ChunkDataLf:
          this.expectLf(chunk[i]!);
          i++;
          break;
        case State.Trailer:
          i = this.readTrailer(chunk, i);
          if ((this.state as State) === State.Done) {
            this.events.onEnd();
            return i;
          }
          break;
        case State.Done:
          return i;
      }
    }
    return n;
  }

  /** The connection closed (or half-closed). Ends a close-delimited body; anything else unfinished is an error. */
  closed(): void {
    if (this.state === State.UntilClose) {
      this.state = State.Done;
      this.events.onEnd();
      return;
    }
    if (this.state !== State.Done) throw new UpstreamProtocolError(this.headSeen ? "upstream closed the connection mid-response" : "upstream closed the connection before responding");
  }

  private readHead(chunk: Buffer, start: number): number {
    if (this.headParts.length === 0) {
      const end = chunk.indexOf(HEAD_END, start);
      if (end !== -1) {
        this.startBody(chunk.toString("latin1", start, end));
        return end + 4;
      }
      this.holdHeadPart(start === 0 ? chunk : chunk.subarray(start));
      return chunk.length;
    }
    // The head straddles chunks: search from a few bytes back so a split "\r\n\r\n" is found.
    const held = this.headBytes;
    const buffer = Buffer.concat([...this.headParts, start === 0 ? chunk : chunk.subarray(start)]);
    const end = buffer.indexOf(HEAD_END, Math.max(0, held - 3));
    this.headParts = [];
    this.headBytes = 0;
    if (end === -1) {
      this.holdHeadPart(buffer);
      return chunk.length;
    }
    this.startBody(buffer.toString("latin1", 0, end));
    return start + end + 4 - held;
  }

  private holdHeadPart(part: Buffer): void {
    this.headParts.push(part);
    this.headBytes += part.length;
    if (this.headBytes > MAX_HEAD_BYTES) throw new UpstreamProtocolError("response head too large");
  }

  private startBody(text: string): void {
    const lines = text.split("\r\n");
    const statusLine = lines[0]!;
    if (!statusLine.startsWith("HTTP/1.") || statusLine.charCodeAt(8) !== 32) throw new UpstreamProtocolError(`not an HTTP/1.x response: ${JSON.stringify(statusLine.slice(0, 40))}`);
    const status = Number(statusLine.slice(9, 12));
    if (!(status >= 100 && status <= 999) || (statusLine.length > 12 && statusLine.charCodeAt(12) !== 32)) {
      throw new UpstreamProtocolError(`bad status line: ${JSON.stringify(statusLine.slice(0, 40))}`);
    }
    const http10 = statusLine.charCodeAt(7) === 48;
    // 1xx interim responses (103 Early Hints, a stray 100 Continue) precede the real one: skip them.
    if (status < 200) return;

    const rawHeaders: string[] = [];
    const headers = new MessageHeaders();
    let contentType = "";
    let keepAliveHeader: string | undefined;
    for (let l = 1; l < lines.length; l++) {
      const line = lines[l]!;
      const first = line.charCodeAt(0);
      if (first === 32 || first === 9) {
        // Obsolete line folding: the value continues on this line.
        if (rawHeaders.length === 0) throw new UpstreamProtocolError("folded line without a header");
        rawHeaders[rawHeaders.length - 1] += " " + line.trim();
        continue;
      }
      const colon = line.indexOf(":");
      if (colon <= 0) throw new UpstreamProtocolError(`bad header line: ${JSON.stringify(line.slice(0, 40))}`);
      const name = line.slice(0, colon);
      const last = name.charCodeAt(colon - 1);
      if (last === 32 || last === 9) throw new UpstreamProtocolError("whitespace before a header's colon");
      const value = line.slice(colon + 1).trim();
      rawHeaders.push(name, value);
      if (!headers.read(name, value)) throw new UpstreamProtocolError("bad Content-Length");
      // Besides those, only the headers the proxy acts on are looked at; the rest pass through as they came.
      if (name.length === 12 && contentType === "" && name.toLowerCase() === "content-type") contentType = value;
      else if (name.length === 10 && name.toLowerCase() === "keep-alive") keepAliveHeader = value;
    }
    const { contentLength, transferEncoding, connection, sessionId } = headers;
    const connectionTokens = connection?.toLowerCase();
    this.keepAlive = http10 ? connectionTokens?.includes("keep-alive") === true : connectionTokens?.includes("close") !== true;
    if (keepAliveHeader !== undefined) {
      const timeout = /(?:^|[,;\s])timeout\s*=\s*(\d+)/i.exec(keepAliveHeader)?.[1];
      if (timeout !== undefined) this.keepAliveHintMs = Number(timeout) * 1000;
    }
    const chunked = transferEncoding !== undefined && /(?:^|,)\s*chunked\s*$/i.test(transferEncoding);
    if (transferEncoding !== undefined && !chunked) this.keepAlive = false;

    const bodyless = this.headRequest || status === 204 || status === 304;
    if (bodyless) this.state = State.Done;
    else if (chunked) this.state = State.ChunkSize;
    else if (transferEncoding !== undefined) this.state = State.UntilClose;
    else if (contentLength >= 0) this.state = contentLength === 0 ? State.Done : State.Length;
    else {
      this.state = State.UntilClose;
      this.keepAlive = false;
    }
    this.remaining = contentLength;
    this.resetChunkSize();
    const framing = bodyless ? "none" : chunked ? "chunked" : this.state === State.UntilClose ? "close" : "length";
    this.events.onHead({ status, rawHeaders, contentType, sessionId, connection, framing });
    if (this.state === State.Done) this.events.onEnd();
  }

  private readChunkSize(chunk: Buffer, start: number): number {
    let i = start;
    const n = chunk.length;
    while (i < n) {
      const c = chunk[i]!;
      const digit = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (digit === -1) {
        if (!this.sawSizeDigit) throw new UpstreamProtocolError("bad chunk size");
        if (c === LF) {
          this.endSizeLine();
          return i + 1;
        }
        // CR, `;extension`, or whitespace before one: skip to the end of the line.
        this.state = State.ChunkExtension;
        return i;
      }
      this.sawSizeDigit = true;
      this.remaining = this.remaining * 16 + digit;
      if (++this.sizeLineBytes > 13) throw new UpstreamProtocolError("chunk size too large");
      i++;
    }
    return i;
  }

  private endSizeLine(): void {
    const size = this.remaining;
    this.resetChunkSize();
    if (size === 0) {
      this.state = State.Trailer;
      this.trailerLineBytes = 0;
      return;
    }
    this.remaining = size;
    this.state = State.ChunkData;
  }

  private resetChunkSize(): void {
    if (this.state === State.ChunkSize || this.state === State.ChunkExtension || this.state === State.Trailer) this.remaining = 0;
    this.sizeLineBytes = 0;
    this.sawSizeDigit = false;
  }

  private expectLf(c: number): void {
    if (c !== LF) throw new UpstreamProtocolError("chunk data not followed by CRLF");
    this.state = State.ChunkSize;
    this.resetChunkSize();
  }

  /** Trailer fields are dropped (the client's response is re-framed); an empty line ends the body. */
  private readTrailer(chunk: Buffer, start: number): number {
    let i = start;
    const n = chunk.length;
    while (i < n) {
      const c = chunk[i++]!;
      if (c === LF) {
        if (this.trailerLineBytes === 0) {
          this.state = State.Done;
          return i;
        }
        this.trailerLineBytes = 0;
      } else if (c !== CR) {
        if (++this.trailerLineBytes > MAX_HEAD_BYTES) throw new UpstreamProtocolError("trailer too large");
      }
    }
    return i;
  }
}
