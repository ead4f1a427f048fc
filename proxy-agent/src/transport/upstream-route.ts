/**
 * Where a request to the proxy goes upstream. The rule:
 * - paths are forwarded unchanged to the upstream origin (`/health` → `<origin>/health`), so OAuth
 *   well-known documents, assets and legacy `/message` endpoints keep working;
 * - the remote URL's own path is the MCP endpoint, and the conventional `/mcp` (Streamable HTTP) or
 *   `/sse` (legacy SSE) on the proxy is an alias for it, so `tapline --url https://host/v1/abc/mcp`
 *   is reachable at `http://127.0.0.1:8787/mcp` too. An alias request without a query string
 *   gets the remote URL's query (API keys some hosts put there).
 */
export interface UpstreamRoute {
  readonly origin: string;
  readonly endpointPath: string;
  readonly endpointQuery: string;
  readonly aliasPath: string;
}

export interface RoutedRequest {
  /** Path and query to request on the upstream origin. */
  readonly upstreamPath: string;
  /** The request targets the MCP endpoint (as opposed to any other path on the origin). */
  readonly isEndpoint: boolean;
  /** Pathname only, for classification and passthrough records. */
  readonly pathname: string;
}

export function upstreamRoute(remoteUrl: string, kind: "http" | "sse"): UpstreamRoute {
  const url = new URL(remoteUrl);
  return {
    origin: url.origin,
    endpointPath: url.pathname,
    endpointQuery: url.search,
    aliasPath: kind === "http" ? "/mcp" : "/sse",
  };
}

export function routeRequest(route: UpstreamRoute, requestUrl: string): RoutedRequest {
  const q = requestUrl.indexOf("?");
  const pathname = q === -1 ? requestUrl : requestUrl.slice(0, q);
  const query = q === -1 ? "" : requestUrl.slice(q);
  if (pathname === route.endpointPath || pathname === route.aliasPath) {
    return { upstreamPath: route.endpointPath + (query || route.endpointQuery), isEndpoint: true, pathname };
  }
  return { upstreamPath: requestUrl, isEndpoint: false, pathname };
}
