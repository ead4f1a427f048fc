import { ConfigError } from "./config-error";

/** An absolute http(s) URL, or a ConfigError naming `flag`. */
export function parseHttpUrl(text: string, flag: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError("bad_value", `${flag}: "${text}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError("bad_value", `${flag}: "${text}" must be http:// or https://`);
  }
  return url;
}

/** `--cloud-url`: a full http(s) URL, or a bare `host:port` (MCPulse's `localhost:50051` style) read as `http://host:port`. */
export function normaliseCloudUrl(text: string): string {
  const trimmed = text.trim();
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  return parseHttpUrl(withScheme, "--cloud-url").href.replace(/\/$/, "");
}
