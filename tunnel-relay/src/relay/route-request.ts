/** Where a public request goes: the tunnel name and the path the local server should see. */
export interface TunnelRoute {
  name: string;
  path: string;
  /** Set in path mode: the public prefix (`/t/<name>`) the local server does not see. */
  prefix?: string;
}

const PATH_MODE = /^\/t\/([^/?#]+)(.*)$/;

function hostWithoutPort(host: string): string {
  if (host.startsWith("[")) return host.slice(0, host.indexOf("]") + 1);
  const colon = host.lastIndexOf(":");
  return (colon === -1 ? host : host.slice(0, colon)).toLowerCase();
}

/** Subdomain mode (`<name>.<baseDomain>`) first, then path mode (`/t/<name>/…`); undefined = the relay's own endpoints. */
export function routePublicRequest(host: string | undefined, url: string, baseDomain: string | undefined): TunnelRoute | undefined {
  if (host && baseDomain) {
    const hostname = hostWithoutPort(host);
    const suffix = `.${baseDomain.toLowerCase()}`;
    if (hostname.endsWith(suffix)) {
      const name = hostname.slice(0, -suffix.length);
      if (name && !name.includes(".")) return { name, path: url || "/" };
    }
  }
  const match = PATH_MODE.exec(url);
  if (!match) return undefined;
  const rest = match[2] ?? "";
  const path = rest === "" ? "/" : rest.startsWith("?") ? `/${rest}` : rest;
  return { name: match[1]!.toLowerCase(), path, prefix: `/t/${match[1]}` };
}
