/** Help for `tapline tunnel`, for the proxy-agent CLI to print. */
export function tunnelCommandHelp(): string {
  return `Usage: tapline tunnel (--port N | --to URL) [options]

Gives a local MCP server a stable public URL through a Tapline relay.

Options:
  --port N          local port to expose (same as --to http://localhost:N)
  --to URL          local server base URL, e.g. http://localhost:3001
  --name NAME       stable name reserved for your organization (3-63 of a-z 0-9 -);
                    fails with name_taken if another organization owns it.
                    Without --name a random name is assigned and remembered in
                    ~/.tapline/tunnels.json, so the next start gets the same URL.
  --relay URL       relay to connect to (env TAPLINE_RELAY_URL)
  --api-key KEY     API key (env TAPLINE_API_KEY); sent only in the Authorization header
  --host-header M   preserve (default) or rewrite the Host header to the local target

Public URLs: https://<name>.<base-domain>/… and <relay>/t/<name>/…
The agent reconnects by itself after network drops and relay restarts.`;
}
