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
  return headers;
}
