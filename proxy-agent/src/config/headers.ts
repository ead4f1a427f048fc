import { ConfigError } from "./config-error";

/** `"K:V,K2:V2"` (MCPulse Proxy's format) → header map. Values may contain `:`; only the first one splits. */
export function parseHeaderList(text: string, what = "--headers"): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const part of text.split(",")) {
    if (part.trim() === "") continue;
    const colon = part.indexOf(":");
    const name = colon === -1 ? "" : part.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new ConfigError("bad_value", `${what}: "${part.trim()}" is not NAME:VALUE`);
    }
    headers[name] = part.slice(colon + 1).trim();
  }
  return checkHeaders(headers, what);
}

/**
 * Header names must be tokens and values free of control characters (RFC 9110; tab allowed): the
 * forwarder writes header lines to the upstream as they are, so a CR/LF from a config file or an
 * env var would otherwise split the request. Returns `headers` when they are all valid.
 */
export function checkHeaders(headers: Record<string, string>, what: string): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new ConfigError("bad_value", `${what}: "${name}" is not a valid header name`);
    checkHeaderValue(value, `${what}: header ${name}`);
  }
  return headers;
}

export function checkHeaderValue(value: string, what: string): string {
  if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new ConfigError("bad_value", `${what} contains a line break or control character`);
  return value;
}
