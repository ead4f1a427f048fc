import { createProxyCommand } from "./proxy-command";

export const httpCommand = createProxyCommand("http", {
  name: "http",
  group: "proxy",
  summary: "Proxy a Streamable HTTP MCP server and record every call",
  usage: "--remote-url <url> [options]",
  description: "Clients connect to http://HOST:PORT/mcp (default 127.0.0.1:8787); every request is forwarded to --remote-url.",
  examples: [
    "tapline http --remote-url https://mcp.example.com/mcp",
    "tapline http --remote-url http://localhost:3000/mcp --listen :9000 --server-id my-server",
    'tapline http --remote-url https://api.example.com/mcp --bearer-token "$TOKEN" --headers "X-Team:core"',
  ],
});
