import { TunnelError } from "../protocol/errors";

/**
 * The local server a tunnel exposes, from `--port N` or `--to URL` (exactly one). `--port` means
 * http://localhost:N; `--to` may carry a base path that every forwarded path is appended to.
 */
export function resolveTunnelTarget(options: { port?: string | number; to?: string }): URL {
  const hasPort = options.port !== undefined && options.port !== "";
  const hasTo = options.to !== undefined && options.to !== "";
  if (hasPort === hasTo) throw new TunnelError("invalid_target", "give exactly one of --port N or --to URL");
  if (hasPort) {
    const port = Number(options.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TunnelError("invalid_target", `--port must be a TCP port (1-65535), got "${options.port}"`);
    return new URL(`http://localhost:${port}`);
  }
  let url: URL;
  try {
    url = new URL(options.to!);
  } catch {
    throw new TunnelError("invalid_target", `--to must be a URL such as http://localhost:3001, got "${options.to}"`);
  }
  if (url.protocol !== "http:") throw new TunnelError("invalid_target", `--to must be an http:// URL (the tunnel talks plain HTTP to your local server), got "${options.to}"`);
  if (url.search || url.hash) throw new TunnelError("invalid_target", "--to must not have a query or fragment");
  return url;
}
