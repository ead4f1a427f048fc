import { MessageHeaders } from "./message-headers";

/** Request line and headers of one HTTP/1.x request from a client, as the forwarder needs them. */
export interface ClientRequestHead {
  method: string;
  /** The request-target as sent (origin form: path and query). */
  target: string;
  http10: boolean;
  /** Header lines as received: flat [name, value, …], client spelling and order. */
  rawHeaders: string[];
  /** `Content-Length` (-1 when absent). */
  contentLength: number;
  chunked: boolean;
  /** Whether the connection may carry another request after this one. */
  keepAlive: boolean;
  /** `Connection` (its token list names other hop-by-hop headers). */
  connection: string | undefined;
  host: string | undefined;
  authorization: string | undefined;
  sessionId: string | undefined;
  /** `Expect: 100-continue`: the client waits for an interim answer before sending its body. */
  expectContinue: boolean;
}

/** A request the proxy cannot forward: answered with `status` and the connection closed. */
export class ClientProtocolError extends Error {
  constructor(
    readonly status: 400 | 417 | 431 | 501 | 505,
    message: string,
  ) {
    super(message);
  }
}

/** Longest request head accepted: node's own default. */
export const MAX_REQUEST_HEAD_BYTES = 16 * 1024;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Control characters (HTAB aside) have no place in a request line or header line: they smuggle requests. */
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * Parses a request head (the text before the blank line, latin1). Strict where leniency would let a
 * request mean one thing here and another upstream: bare CR/LF, obsolete line folding, whitespace
 * before a colon, conflicting framing headers are all refused with 400.
 */
export function parseRequestHead(text: string): ClientRequestHead {
  const lines = text.split("\r\n");
  const requestLine = lines[0]!;
  const firstSpace = requestLine.indexOf(" ");
  const lastSpace = requestLine.lastIndexOf(" ");
  if (firstSpace <= 0 || lastSpace === firstSpace || CONTROL.test(requestLine)) throw new ClientProtocolError(400, "malformed request line");
  const method = requestLine.slice(0, firstSpace);
  const target = requestLine.slice(firstSpace + 1, lastSpace);
  const version = requestLine.slice(lastSpace + 1);
  if (!TOKEN.test(method) || target === "" || target.includes(" ")) throw new ClientProtocolError(400, "malformed request line");
  if (version !== "HTTP/1.1" && version !== "HTTP/1.0") throw new ClientProtocolError(505, `${version.slice(0, 16)} is not supported`);
  if (target.charCodeAt(0) !== 47 && target !== "*") throw new ClientProtocolError(method === "CONNECT" ? 501 : 400, "only origin-form request targets are served");
  const http10 = version === "HTTP/1.0";

  const rawHeaders: string[] = [];
  const headers = new MessageHeaders();
  let host: string | undefined;
  let authorization: string | undefined;
  let expect: string | undefined;
  for (let l = 1; l < lines.length; l++) {
    const line = lines[l]!;
    const colon = line.indexOf(":");
    if (colon <= 0 || CONTROL.test(line)) throw new ClientProtocolError(400, "malformed header line");
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) throw new ClientProtocolError(400, "malformed header name");
    const value = line.slice(colon + 1).trim();
    rawHeaders.push(name, value);
    if (!headers.read(name, value)) throw new ClientProtocolError(400, "bad Content-Length");
    // Besides those, only the headers the proxy acts on are looked at; the rest pass through as they came.
    if (name.length === 4 && name.toLowerCase() === "host") {
      if (host !== undefined) throw new ClientProtocolError(400, "more than one Host");
      host = value;
    } else if (name.length === 6 && name.toLowerCase() === "expect") expect = value;
    else if (name.length === 13 && authorization === undefined && name.toLowerCase() === "authorization") authorization = value;
  }
  const { contentLength, transferEncoding, connection, sessionId } = headers;

  let chunked = false;
  if (transferEncoding !== undefined) {
    // RFC 9112 §6.1: both framings at once is how requests are smuggled; a request whose last coding is not chunked has no knowable end.
    if (contentLength !== -1) throw new ClientProtocolError(400, "both Content-Length and Transfer-Encoding");
    if (http10 || !/^(?:\s*chunked\s*)$/i.test(transferEncoding)) throw new ClientProtocolError(501, `Transfer-Encoding "${transferEncoding.slice(0, 32)}" is not supported`);
    chunked = true;
  }
  let expectContinue = false;
  if (expect !== undefined) {
    if (expect.toLowerCase() !== "100-continue") throw new ClientProtocolError(417, `Expect "${expect.slice(0, 32)}" is not supported`);
    expectContinue = !http10;
  }
  const tokens = connection?.toLowerCase();
  const keepAlive = http10 ? false : tokens === undefined || !/(?:^|,)\s*close\s*(?:,|$)/.test(tokens);
  return { method, target, http10, rawHeaders, contentLength, chunked, keepAlive, connection, host, authorization, sessionId, expectContinue };
}
