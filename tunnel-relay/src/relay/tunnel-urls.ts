/** Public URLs of a tunnel: subdomain form when a base domain is configured, path form always. */
export function tunnelUrls(publicUrl: string, baseDomain: string | undefined, name: string): string[] {
  const base = new URL(publicUrl);
  const urls: string[] = [];
  if (baseDomain) urls.push(`${base.protocol}//${name}.${baseDomain}${base.port ? `:${base.port}` : ""}`);
  urls.push(`${base.origin}${base.pathname.replace(/\/$/, "")}/t/${name}`);
  return urls;
}
